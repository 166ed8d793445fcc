/**
 * RL: the release DQN agents play on a canvas — CartPole-v1 (models/cartpole-dqn) and Snake
 * (models/snake-dqn). Greedy actions come from the Q-network with an async read-back, so the
 * page also runs on WebGPU (where synchronous reads are not allowed).
 */
import { tf } from '@dlkit/core';
import { DQN, HYPERPARAMS } from '@dlkit/rl';
import { errorText, h } from '../lib/dom.js';
import { drawCartPole, drawFrame } from '../lib/env-canvas.js';
import { drawLineChart } from '../lib/line-chart.js';
import { card, type PageContext } from '../lib/page.js';
import { loadAgent } from '../lib/task-loaders.js';

const AGENTS = [
  { dir: 'cartpole-dqn', title: 'CartPole-v1 (cartpole-dqn)' },
  { dir: 'snake-dqn', title: 'Snake 9×9 (snake-dqn)' },
];

async function greedy(agent: DQN, obs: Float32Array): Promise<number> {
  const a = tf.tidy(() => tf.argMax(agent.qNet.predict(tf.tensor(obs, [1, ...agent.obsShape])) as tf.Tensor, 1));
  try {
    return (await a.data())[0]!;
  } finally {
    a.dispose();
  }
}

export async function render(ctx: PageContext): Promise<void> {
  const agents = new Map<string, Promise<Awaited<ReturnType<typeof loadAgent>>>>();
  const load = (dir: string) => {
    let p = agents.get(dir);
    if (!p) {
      p = loadAgent(`/models/${dir}/`, ctx.progress(dir));
      agents.set(dir, p);
    }
    return p;
  };
  const select = h('select', { id: 'rl-agent' }, ...AGENTS.map((a) => h('option', { value: a.dir }, a.title)));
  const speed = h('select', { id: 'rl-speed' }, ...[1, 4, 16].map((n) => h('option', { value: n }, `${n} step${n > 1 ? 's' : ''} / frame`)));
  const playBtn = h('button', { type: 'button', id: 'rl-play' }, 'Pause');
  const resetBtn = h('button', { type: 'button', class: 'secondary' }, 'New episode');
  const canvas = h('canvas', { width: 600, height: 300, class: 'env', role: 'img', 'aria-label': 'The environment' });
  const g = canvas.getContext('2d')!;
  const stats = h('dl', { class: 'stats', 'data-testid': 'rl-stats' });
  const history = h('p', { class: 'meta', 'aria-live': 'polite' });
  const note = h('p', { class: 'meta' });

  let running = true;
  let run = 0;
  let steps = 0;
  let total = 0;
  const returns: number[] = [];

  let fruits: number | undefined;
  let ended = '';
  const showStats = () => {
    stats.dataset.steps = String(steps);
    const shown: Record<string, string | number> = { step: steps, return: total.toFixed(2) };
    if (fruits !== undefined) shown.fruits = fruits;
    if (ended) shown.ended = ended;
    stats.replaceChildren(...Object.entries(shown).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-stat': k }, String(v))]));
  };

  async function episode(): Promise<void> {
    const my = ++run;
    const dir = select.value;
    let loaded: Awaited<ReturnType<typeof loadAgent>>;
    try {
      loaded = await load(dir);
    } catch (e) {
      ctx.fail(e, 'Loading the agent');
      return;
    }
    const { agent, card: c } = loaded;
    const m = c.metrics ?? {};
    note.textContent = `Model card: mean return ${Number(m.evalMeanReturn).toFixed(1)} ± ${Number(m.evalStdReturn).toFixed(1)} over ${m.evalEpisodes} evaluation episodes; trained ${c.extra?.steps} steps.`;
    const env = agent.env;
    const cartpole = env.id.startsWith('CartPole');
    canvas.height = cartpole ? 300 : 450;
    canvas.width = cartpole ? 600 : 450;
    let { observation } = env.reset(Math.floor(Math.random() * 1e9));
    steps = 0;
    total = 0;
    fruits = undefined;
    ended = '';
    const drawNow = () => (cartpole ? drawCartPole(g, observation as Float32Array) : drawFrame(g, env));
    drawNow();
    showStats();
    for (;;) {
      if (my !== run) return;
      if (!running) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const n = Number(speed.value);
      let done = false;
      for (let i = 0; i < n && !done; i++) {
        const action = await ctx.timed('policy', () => greedy(agent, observation as Float32Array), 1, 'step');
        if (my !== run) return;
        const r = env.step(action);
        observation = r.observation;
        steps++;
        total += r.reward;
        done = r.terminated || r.truncated;
        if (typeof r.info.fruits === 'number') fruits = r.info.fruits;
        if (done) ended = r.truncated ? 'time limit' : 'terminated';
      }
      drawNow();
      showStats();
      if (done) {
        returns.push(total);
        history.textContent = `Episodes this visit: ${returns.map((x) => x.toFixed(1)).join(', ')}`;
        await new Promise((r) => setTimeout(r, 800));
        if (my !== run) return;
        observation = env.reset(Math.floor(Math.random() * 1e9)).observation;
        steps = 0;
        total = 0;
        fruits = undefined;
        ended = '';
      }
      await new Promise((r) => requestAnimationFrame(r));
    }
  }

  playBtn.addEventListener('click', () => {
    running = !running;
    playBtn.textContent = running ? 'Pause' : 'Play';
  });
  resetBtn.addEventListener('click', () => void episode());
  select.addEventListener('change', () => {
    returns.length = 0;
    history.textContent = '';
    void episode();
  });

  ctx.root.append(
    h('h1', {}, 'Reinforcement learning'),
    h('p', { class: 'lead' }, 'Trained DQN agents from ', h('code', {}, '@dlkit/rl'), ' choosing every action live in this tab.'),
    card(
      'Watch the agent play',
      h('div', { class: 'row' }, h('label', { for: 'rl-agent' }, 'Agent '), select, h('label', { for: 'rl-speed' }, 'Speed '), speed, playBtn, resetBtn),
      canvas,
      stats,
      note,
      history,
    ),
    trainCard(ctx),
  );
  try {
    await load('cartpole-dqn');
  } catch (e) {
    history.textContent = errorText(e);
    throw e;
  }
  void episode();
  ctx.ready();
}

/** Trains a fresh CartPole DQN (rl-zoo hyperparameters) in this tab, plotting each episode's return. */
function trainCard(ctx: PageContext): HTMLElement {
  const hp = HYPERPARAMS['CartPole-v1']!;
  const startBtn = h('button', { type: 'button', id: 'rl-train' }, 'Train');
  const chart = h('canvas', { width: 640, height: 220, class: 'chart', role: 'img', 'aria-label': 'Episode returns while training', 'data-testid': 'rl-curve' });
  const status = h('p', { class: 'meta', 'aria-live': 'polite' }, `Trains DQN on CartPole-v1 for ${hp.totalTimesteps.toLocaleString()} steps with rl-baselines3-zoo's hyperparameters; the released agent reached 500 with them.`);
  let agent: DQN | undefined;
  let stop = false;
  startBtn.addEventListener('click', async () => {
    if (agent) {
      stop = true;
      return;
    }
    stop = false;
    startBtn.textContent = 'Stop';
    const returns: number[] = [];
    const avg: number[] = [];
    const t0 = performance.now();
    agent = new DQN('CartPole-v1', { ...hp.options, seed: Math.floor(Math.random() * 1e6) });
    try {
      await agent.learn({
        totalTimesteps: hp.totalTimesteps,
        callbacks: [
          {
            onEpisodeEnd: (_c, ep) => {
              returns.push(ep.return);
              const last = returns.slice(-20);
              avg.push(last.reduce((a, b) => a + b, 0) / last.length);
              drawLineChart(chart, [
                { label: 'episode return', color: '#93b4f5', values: returns },
                { label: 'mean of last 20', color: '#2563eb', values: avg },
              ], { yMin: 0, yMax: 500, xLabel: 'episode' });
              chart.dataset.episodes = String(returns.length);
            },
            // Yield to the page every 100 steps so it stays responsive (and Stop works).
            onStep: async (c) => {
              if (c.numTimesteps % 100 === 0) {
                status.textContent = `step ${c.numTimesteps.toLocaleString()} / ${hp.totalTimesteps.toLocaleString()} · ${returns.length} episodes · ${((c.numTimesteps * 1000) / (performance.now() - t0)).toFixed(0)} steps/s on ${ctx.report.selected}`;
                await new Promise((r) => setTimeout(r, 0));
              }
              return !stop;
            },
          },
        ],
      });
      status.textContent += stop ? ' · stopped' : ' · done';
    } catch (e) {
      status.replaceChildren(h('span', { class: 'error', role: 'alert' }, errorText(e)));
    } finally {
      agent.dispose();
      agent = undefined;
      startBtn.textContent = 'Train';
    }
  });
  return card('Train a fresh CartPole agent', h('div', { class: 'row' }, startBtn), chart, status);
}

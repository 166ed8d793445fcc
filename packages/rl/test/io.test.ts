// save → load, user-env validation (check_env), CLI verbs, task registry, play / recordFrames.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask, isDlkitError, selectBackend, tf } from '@dlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Box, CatchEnv, CheckpointCallback, checkEnv, Discrete, DQN, type Env, EvalCallback, evaluatePolicy, makeEnv, play, rlCli, SnakeEnv, StopTrainingOnRewardThreshold } from '../src/index.js';
import { evalAgent, jsonlFileLogger, playAgent, recordFrames, trainAgent } from '../src/node.js';
import { ChainEnv } from './helpers.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'dlkit-rl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A user env with a configurable bug. */
function buggyEnv(bug: 'none' | 'shape' | 'nan-reward' | 'nan-obs' | 'bool'): Env {
  const env = new ChainEnv(4, 10);
  const step = env.step.bind(env);
  env.step = (a: number) => {
    const r = step(a);
    if (bug === 'shape') r.observation = new Float32Array(3);
    if (bug === 'nan-reward') r.reward = Number.NaN;
    if (bug === 'nan-obs') r.observation[0] = Number.NaN;
    if (bug === 'bool') (r as { terminated: unknown }).terminated = 0;
    return r;
  };
  return env;
}

describe('save / load', () => {
  it('a loaded agent takes identical actions and keeps its card', async () => {
    const base = tf.memory().numTensors;
    const agent = new DQN(new ChainEnv(), { netArch: [16], dueling: true, learningStarts: 50, seed: 3 });
    await agent.learn({ totalTimesteps: 300 });
    const out = join(dir, 'chain');
    await agent.save(out);
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card.task).toBe('reinforcement-learning');
    expect(card.extra).toMatchObject({ algorithm: 'DQN', envId: 'Chain', seed: 3, steps: 300 });
    expect(card.extra.episodeReturns).toEqual(agent.episodeReturns);
    expect(card.training.hyperparameters).toMatchObject({ netArch: [16], dueling: true });
    expect(card.training.wallTimeSeconds).toBeGreaterThan(0);
    const loaded = await DQN.load(out, new ChainEnv());
    const env = new ChainEnv();
    const obs = Array.from({ length: 8 }, (_, i) => {
      const o = new Float32Array(8);
      o[i] = 1;
      return o;
    });
    expect(loaded.predict(obs)).toEqual(agent.predict(obs));
    expect(Array.from(loaded.qValues(obs[2]!))).toEqual(Array.from(agent.qValues(obs[2]!)));
    expect(loaded.numTimesteps).toBe(300);
    env.reset();
    await expect(DQN.load(out)).rejects.toThrow(/Unknown environment "Chain"/);
    await expect(DQN.load(out, new CatchEnv())).rejects.toThrow(/shape/);
    await expect(DQN.load(join(dir, 'nope'))).rejects.toThrow(/No model/);
    agent.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('user environments are validated (check_env)', () => {
  it('a correct env passes', () => {
    expect(() => checkEnv(buggyEnv('none'))).not.toThrow();
  });
  it('invalid actions are rejected', () => {
    const env = new CatchEnv();
    env.reset(0);
    for (const a of [3, -1, 1.5, Number.NaN]) expect(() => env.step(a)).toThrow(/invalid action/);
    const agent = new DQN(buggyEnv('none'), { seed: 0 });
    expect(() => agent.env.step(2)).toThrow(/invalid action 2; expected an integer in \[0, 1\]/);
    agent.dispose();
  });
  it('wrong observation shapes, NaN rewards/observations and non-boolean flags are DlkitErrors', async () => {
    expect(() => checkEnv(buggyEnv('shape'))).toThrow(/length 3, but observationSpace.shape \[4\] needs 4/);
    expect(() => checkEnv(buggyEnv('nan-reward'))).toThrow(/reward NaN/);
    expect(() => checkEnv(buggyEnv('nan-obs'))).toThrow(/non-finite observation/);
    expect(() => checkEnv(buggyEnv('bool'))).toThrow(/terminated=0/);
    const agent = new DQN(buggyEnv('nan-reward'), { seed: 0 });
    const err = await agent.learn({ totalTimesteps: 10 }).catch((e) => e);
    expect(isDlkitError(err, 'NUMERIC')).toBe(true);
    agent.dispose();
    const notDiscrete = { ...new ChainEnv(), id: 'x', observationSpace: Box(0, 1, [2]), actionSpace: { kind: 'box' } } as unknown as Env;
    expect(() => new DQN(notDiscrete)).toThrow(/Discrete/);
    expect(() => Box(0, 1, [2, 0])).toThrow(/shape/);
    expect(() => Discrete(0)).toThrow(/Discrete/);
  });
});

describe('callbacks that save', () => {
  it('EvalCallback saves the best model and stops via StopTrainingOnRewardThreshold; CheckpointCallback; JSONL file', async () => {
    const agent = new DQN(new ChainEnv(), { netArch: [16], learningStarts: 50, seed: 0, learningRate: 3e-3, trainFreq: 1, targetUpdateInterval: 50, explorationFraction: 0.3 });
    const best = join(dir, 'best');
    const evalCb = new EvalCallback({
      evalEnv: new ChainEnv(),
      evalFreq: 200,
      nEvalEpisodes: 2,
      bestModelSavePath: best,
      callbackOnNewBest: new StopTrainingOnRewardThreshold({ rewardThreshold: 0.9 }),
    });
    const ckpt = new CheckpointCallback({ saveFreq: 400, savePath: join(dir, 'ckpt') });
    const log = join(dir, 'episodes.jsonl');
    await agent.learn({ totalTimesteps: 3000, callbacks: [evalCb, ckpt, jsonlFileLogger(log)] });
    expect(evalCb.evaluations.length).toBeGreaterThan(0);
    expect(evalCb.bestMeanReward).toBeGreaterThanOrEqual(0.9);
    expect(agent.numTimesteps).toBeLessThan(3000);
    expect(existsSync(join(best, 'model-card.json'))).toBe(true);
    expect(ckpt.saved[0]).toMatch(/dqn_400_steps$/);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(agent.episodeReturns.length);
    agent.dispose();
  });
});

describe('CLI verbs and task registry', () => {
  it('registers reinforcement-learning with rl/dqn aliases and train/eval/play verbs', async () => {
    const t = getTask('dqn');
    expect(t.id).toBe('reinforcement-learning');
    expect(t.modality).toBe('environment');
    expect(t.cli).toBe(rlCli);
    expect(rlCli.verbs.map((v) => v.name)).toEqual(['train', 'eval', 'play']);
    const agent = (await getTask('rl').create({ env: 'catch', policy: 'cnn' })) as DQN;
    expect(agent.env.id).toBe('Catch-v0');
    agent.dispose();
  });

  it('train → eval → play --record, the same code path as the CLI', async () => {
    const base = tf.memory().numTensors;
    const out = join(dir, 'cartpole');
    const logs: string[] = [];
    const trained = await rlCli.verbs[0]!.run([], { env: 'cartpole', steps: 300, seed: 1, out, evalEpisodes: 2 }, { log: (m) => logs.push(m), json: false });
    expect(trained).toMatchObject({ env: 'CartPole-v1', steps: 300, seed: 1, out, episodes: 2 });
    expect(typeof trained.meanReturn).toBe('number');
    expect(logs.join('\n')).toMatch(/Saved to/);
    expect(readFileSync(join(out, 'episodes.jsonl'), 'utf8').length).toBeGreaterThan(0);
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card.training.hyperparameters).toMatchObject({ learningRate: 2.3e-3, netArch: [256, 256], trainFreq: 256, gradientSteps: 128 });
    expect(card.training.command).toMatch(/dlkit rl train --env CartPole-v1/);
    const ev = await evalAgent({ model: out, episodes: 3, seed: 0 });
    expect(Object.keys(ev).sort()).toEqual(['env', 'episodes', 'meanLength', 'meanReturn', 'stdReturn']);
    const again = await rlCli.verbs[1]!.run([], { model: out, episodes: 3, seed: 0 }, { log: () => {}, json: true });
    expect(again).toEqual(ev);
    const frames = join(dir, 'frames');
    const played = await playAgent({ model: out, episodes: 1, record: frames, seed: 0 });
    const pngs = readdirSync(frames).filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBe(played.frames);
    expect(readFileSync(join(frames, pngs[0]!)).subarray(1, 4).toString()).toBe('PNG');
    await expect(rlCli.verbs[1]!.run([], {}, { log: () => {}, json: true })).rejects.toThrow(/--model/);
    expect(tf.memory().numTensors).toBe(base);
  }, 120_000);

  it('train --net-arch overrides the tuned network and is recorded in the card command', async () => {
    const out = join(dir, 'arch');
    await rlCli.verbs[0]!.run([], { env: 'mountaincar', steps: 50, seed: 0, out, evalEpisodes: 1, netArch: ['16', '8'] }, { log: () => {}, json: true });
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card.training.hyperparameters.netArch).toEqual([16, 8]);
    expect(card.training.command).toMatch(/^pnpm dlkit rl train --env MountainCar-v0 --steps 50 --seed 0 --backend \w+ --net-arch 16,8 --eval-episodes 1 --out /);
    expect(existsSync(join(out, 'learning-curve.svg'))).toBe(false); // no episode finished in 50 steps
    await expect(rlCli.verbs[0]!.run([], { env: 'cartpole', steps: 10, out, netArch: ['wide'] }, { log: () => {}, json: true })).rejects.toThrow(/--net-arch/);
  });

  it('--eval-freq keeps the best evaluated weights, records the selection, and never reuses the reported seeds', async () => {
    const out = join(dir, 'best');
    const base = tf.memory().numTensors;
    const r = await trainAgent({ env: 'cartpole', steps: 1800, seed: 3, netArch: [16], evalFreq: 600, out, evalEpisodes: 5, progress: false });
    expect(tf.memory().numTensors).toBe(base);
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card.training.command).toContain('--eval-freq 600 ');
    const sel = card.extra.selection;
    expect(sel.evaluations.map((e: { step: number }) => e.step)).toEqual([600, 1200, 1800]);
    const means = sel.evaluations.map((e: { meanReturn: number }) => e.meanReturn);
    expect(sel.bestMeanReturn).toBe(Math.max(...means));
    expect(sel.bestStep).toBe(sel.evaluations[means.indexOf(sel.bestMeanReturn)].step);
    expect(r.selectedStep).toBe(sel.bestStep);
    expect(sel.firstSeed).toBeGreaterThan(3 + 1000 + 5); // the reported episodes are seeds 1003..1007
    // The saved agent is the selected one: it replays the selection evaluation exactly.
    const agent = await DQN.load(out);
    expect(evaluatePolicy(agent, makeEnv('CartPole-v1'), { nEvalEpisodes: sel.episodes, seed: sel.firstSeed }).meanReturn).toBe(sel.bestMeanReturn);
    agent.dispose();
  });

  it('trainAgent on Snake reports meanFruits', async () => {
    const out = join(dir, 'snake');
    const r = await trainAgent({ env: 'snake', steps: 200, out, evalEpisodes: 2, progress: false });
    expect(typeof r.meanFruits).toBe('number');
    const ev = await evalAgent({ model: out, episodes: 2 });
    expect(ev.meanFruits).toBeTypeOf('number');
  });
});

describe('play and recordFrames', () => {
  it('play animates text frames with ANSI clears; recordFrames writes upscaled PNGs', async () => {
    const frames: string[] = [];
    const policy = { predict: () => 1 };
    const r = await play(policy, new CatchEnv(), { episodes: 2, fps: 0, seed: 0, write: (s) => frames.push(s) });
    expect(r.lengths).toEqual([9, 9]);
    expect(frames).toHaveLength(20);
    expect(frames[0]!.startsWith('\x1b[2J\x1b[H')).toBe(true);
    expect(frames[0]).toContain('===');
    const snake = new SnakeEnv();
    const rec = await recordFrames(policy, snake, join(dir, 'snake-frames'), { maxFrames: 3, seed: 0 });
    expect(rec.files).toHaveLength(3);
    const sharp = (await import('sharp')).default;
    const meta = await sharp(rec.files[0]!).metadata();
    expect(meta.width).toBe(9 * 27);
    for (const id of ['CartPole-v1', 'MountainCar-v0', 'Snake-v0', 'Catch-v0']) {
      const env = makeEnv(id);
      env.reset(0);
      expect(env.render('text').length).toBeGreaterThan(10);
    }
  });
});

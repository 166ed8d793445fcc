/**
 * What the `dlkit rl train|eval|play` verbs do, as plain functions: scripts/train.ts calls the
 * same `trainAgent`, so a recipe in a model card is re-runnable either way.
 */
import { join } from 'node:path';
import { type BackendName, checkInt, ready, selectBackend, tf } from '@dlkit/core';
import { atomicWriteFile } from '@dlkit/core/node';
import { writePlot } from '@dlkit/train/node';
import { EvalCallback } from '../callbacks.js';
import { learningCurveSpec } from '../curve.js';
import { DQN } from '../dqn.js';
import { makeEnv, resolveEnvId } from '../envs/registry.js';
import type { EvaluateResult } from '../evaluate.js';
import { evaluatePolicyParallel } from '../evaluate-parallel.js';
import { defaultHyperparams } from '../hyperparams.js';
import { play } from '../play.js';
import { recordFrames } from './record.js';

export interface TrainCommandOptions {
  env?: string;
  steps?: number;
  seed?: number;
  out?: string;
  /** tfjs backend ('auto', 'wasm', 'cpu', ...); default: the configured one (DLKIT_BACKEND). */
  backend?: string;
  /** Hidden layer sizes of the Q-network, overriding the tuned ones. */
  netArch?: number[];
  /** Evaluation episodes after training (default 10). */
  evalEpisodes?: number;
  /**
   * Every this many steps, evaluate greedily on SELECT_EPISODES episodes (seeds apart from the
   * final evaluation's) and keep the best weights: the agent saved is the best one seen
   * (rl-zoo's best_model). 0 = off, the final weights are saved.
   */
  evalFreq?: number;
  progress?: boolean;
  log?: (msg: string) => void;
  /** Recorded in the model card. */
  command?: string;
}

function evalSummary(r: EvaluateResult): Record<string, number> {
  const out: Record<string, number> = { meanReturn: r.meanReturn, stdReturn: r.stdReturn, meanLength: r.meanLength, episodes: r.episodes };
  if (r.meanFruits !== undefined) out.meanFruits = r.meanFruits;
  return out;
}

/** The `dlkit rl train` command line that reproduces a run (recorded in the model card). */
export function trainCommandLine(o: { env: string; steps: number; seed: number; backend: string; netArch?: number[]; evalEpisodes: number; evalFreq?: number; out: string }): string {
  const arch = o.netArch ? ` --net-arch ${o.netArch.join(',')}` : '';
  const sel = o.evalFreq ? ` --eval-freq ${o.evalFreq}` : '';
  return `pnpm dlkit rl train --env ${o.env} --steps ${o.steps} --seed ${o.seed} --backend ${o.backend}${arch}${sel} --eval-episodes ${o.evalEpisodes} --out ${o.out}`;
}

/** Episodes per model-selection evaluation (--eval-freq). */
export const SELECT_EPISODES = 20;

export async function trainAgent(o: TrainCommandOptions): Promise<Record<string, unknown>> {
  const backend = o.backend ? await selectBackend(o.backend as BackendName) : await ready();
  const envId = resolveEnvId(o.env ?? 'CartPole-v1');
  const hp = defaultHyperparams(envId);
  const seed = checkInt('seed', o.seed ?? 0);
  const steps = checkInt('steps', o.steps ?? hp.totalTimesteps, 1);
  const out = o.out ?? `rl-${envId.toLowerCase()}-dqn`;
  const envOptions = hp.envOptions ?? {};
  const evalEpisodes = checkInt('evalEpisodes', o.evalEpisodes ?? 10, 1);
  const evalSeed = seed + 1000;
  const evalFreq = checkInt('evalFreq', o.evalFreq ?? 0, 0);
  const selectSeed = seed + 5000; // selection episodes never overlap the reported ones
  const agent = new DQN(makeEnv(envId, envOptions), { ...hp.options, ...(o.netArch ? { netArch: o.netArch } : {}), seed });
  agent.envOptions = envOptions;
  let best: { step: number; meanReturn: number; weights: tf.Tensor[] } | undefined;
  const selections: { step: number; meanReturn: number }[] = [];
  try {
    o.log?.(`Training DQN on ${envId} for ${steps} steps (seed ${seed}, backend ${backend.selected}).`);
    const callbacks = [];
    if (evalFreq > 0) {
      const selector = new EvalCallback({
        evalEnv: makeEnv(envId, envOptions),
        evalFreq,
        nEvalEpisodes: SELECT_EPISODES,
        seed: selectSeed,
        log: o.log,
        callbackOnNewBest: {
          onStep: (ctx) => {
            tf.dispose(best?.weights ?? []);
            best = { step: ctx.numTimesteps, meanReturn: ctx.bestMeanReward!, weights: agent.qNet.getWeights().map((w) => w.clone()) };
            return true;
          },
        },
      });
      callbacks.push(selector, {
        onStep: (ctx: { numTimesteps: number }) => {
          const last = selector.evaluations.at(-1);
          if (last?.timesteps === ctx.numTimesteps) selections.push({ step: last.timesteps, meanReturn: last.result.meanReturn });
          return true;
        },
      });
    }
    await agent.learn({ totalTimesteps: steps, progressBar: o.progress ?? true, callbacks });
    if (best) {
      // The best evaluated weights become the agent (online and target network, fast path too).
      agent.qNet.setWeights(best.weights);
      agent.setQNetworkWeights(agent.qNet);
      o.log?.(`Best of ${selections.length} evaluations: ${best.meanReturn.toFixed(2)} at step ${best.step}.`);
    }
    const evaluation = evaluatePolicyParallel(agent, () => makeEnv(envId, envOptions), { nEvalEpisodes: evalEpisodes, seed: evalSeed });
    const metrics = evalSummary(evaluation);
    await agent.save(out, {
      command: o.command ?? trainCommandLine({ env: envId, steps, seed, backend: backend.selected, netArch: o.netArch, evalEpisodes, evalFreq: evalFreq || undefined, out }),
      metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`eval${k[0]!.toUpperCase()}${k.slice(1)}`, v])),
      backend: backend.selected,
      // Evaluation episodes are seeded apart from training so they are unseen starts.
      extra: {
        evaluation: { episodes: evalEpisodes, seeds: `${evalSeed}..${evalSeed + evalEpisodes - 1}`, deterministic: true },
        curve: 'learning-curve.svg',
        ...(best
          ? { selection: { evalFreq, episodes: SELECT_EPISODES, firstSeed: selectSeed, bestStep: best.step, bestMeanReturn: best.meanReturn, evaluations: selections } }
          : {}),
      },
    });
    const lines = agent.episodeReturns.map((r, i) => `${JSON.stringify({ episode: i + 1, return: r, length: agent.episodeLengths[i] })}\n`);
    await atomicWriteFile(join(out, 'episodes.jsonl'), lines.join(''));
    if (agent.episodeReturns.length) {
      await writePlot(join(out, 'learning-curve.svg'), learningCurveSpec({ envId, episodeReturns: agent.episodeReturns, episodeLengths: agent.episodeLengths }));
    }
    o.log?.(`Saved to ${out}: mean return ${metrics.meanReturn!.toFixed(2)} ± ${metrics.stdReturn!.toFixed(2)} over ${metrics.episodes} episodes.`);
    return {
      env: envId,
      steps,
      seed,
      out,
      backend: backend.selected,
      wallTimeS: +agent.wallTime.toFixed(2),
      trainEpisodes: agent.episodeReturns.length,
      ...(best ? { selectedStep: best.step } : {}),
      ...metrics,
    };
  } finally {
    tf.dispose(best?.weights ?? []);
    agent.dispose();
  }
}

export async function evalAgent(o: { model: string; env?: string; episodes?: number; seed?: number }): Promise<Record<string, unknown>> {
  await ready();
  const agent = await DQN.load(o.model, o.env);
  try {
    // Episodes run side by side (episode i seeded with seed + i) so 100 episodes take seconds.
    const r = evaluatePolicyParallel(agent, () => makeEnv(agent.env.id, agent.envOptions), {
      nEvalEpisodes: checkInt('episodes', o.episodes ?? 10, 1),
      seed: checkInt('seed', o.seed ?? 0),
    });
    return { env: agent.env.id, ...evalSummary(r) };
  } finally {
    agent.dispose();
  }
}

export async function playAgent(o: {
  model: string;
  env?: string;
  episodes?: number;
  fps?: number;
  record?: string;
  seed?: number;
  write?: (s: string) => void;
}): Promise<Record<string, unknown>> {
  await ready();
  const agent = await DQN.load(o.model, o.env);
  try {
    const episodes = checkInt('episodes', o.episodes ?? 1, 1);
    if (o.record) {
      const { files, returns } = await recordFrames(agent, agent.env, o.record, { episodes, seed: o.seed });
      return { env: agent.env.id, episodes, returns, frames: files.length, dir: o.record };
    }
    const { returns, lengths } = await play(agent, agent.env, { episodes, fps: o.fps ?? 10, seed: o.seed, write: o.write });
    return { env: agent.env.id, episodes, returns, lengths };
  } finally {
    agent.dispose();
  }
}

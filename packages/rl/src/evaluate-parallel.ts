/**
 * evaluatePolicy for many episodes at once: one env per episode (episode i reset with seed + i,
 * SB3's VecEnv seeding), all stepped in lockstep so the agent predicts one batch per step.
 * 100 CartPole episodes become 500 batched forward passes instead of 50,000 single ones.
 */
import { checkInt, DlkitError } from '@dlkit/core';
import { withChecks } from './check-env.js';
import type { Env } from './env.js';
import type { EvaluateResult } from './evaluate.js';
import { summarize } from './evaluate.js';
import type { PredictOptions } from './types.js';

/** A policy that maps a batch of observations to a batch of actions (DQN does). */
export interface BatchPolicy {
  predict(observations: Float32Array[], options?: PredictOptions): number[];
}

export interface EvaluateParallelOptions {
  nEvalEpisodes?: number;
  /** Episode i is reset with seed + i (default 0). */
  seed?: number;
  deterministic?: boolean;
  /** Safety cap per episode for envs without a time limit (default 100000). */
  maxEpisodeSteps?: number;
}

export function evaluatePolicyParallel(policy: BatchPolicy, makeEnv: (index: number) => Env, options: EvaluateParallelOptions = {}): EvaluateResult {
  const n = checkInt('nEvalEpisodes', options.nEvalEpisodes ?? 10, 1);
  const cap = checkInt('maxEpisodeSteps', options.maxEpisodeSteps ?? 100_000, 1);
  const seed = checkInt('seed', options.seed ?? 0);
  const deterministic = options.deterministic ?? true;
  const envs = Array.from({ length: n }, (_, i) => withChecks(makeEnv(i)));
  const obs = envs.map((e, i) => e.reset(seed + i).observation);
  const returns = new Array<number>(n).fill(0);
  const lengths = new Array<number>(n).fill(0);
  const fruits: number[] = new Array<number>(n).fill(Number.NaN);
  let live = envs.map((_, i) => i);
  while (live.length) {
    const actions = policy.predict(live.map((i) => obs[i]!), { deterministic });
    if (actions.length !== live.length) {
      throw new DlkitError('SHAPE_MISMATCH', `evaluatePolicyParallel: predict returned ${actions.length} actions for ${live.length} observations.`);
    }
    live = live.filter((i, k) => {
      const r = envs[i]!.step(actions[k]!);
      returns[i]! += r.reward;
      lengths[i]!++;
      obs[i] = r.observation;
      if (typeof r.info.fruits === 'number') fruits[i] = r.info.fruits;
      return !(r.terminated || r.truncated || lengths[i]! >= cap);
    });
  }
  return summarize(returns, lengths, fruits.every((f) => !Number.isNaN(f)) ? fruits : undefined);
}

/**
 * SB3's evaluate_policy: run `nEvalEpisodes` full episodes with the policy (greedy by default)
 * and report mean/std return and mean length (+ meanFruits when the env reports info.fruits).
 */
import { checkInt } from '@dlkit/core';
import { withChecks } from './check-env.js';
import type { Env } from './env.js';
import type { Policy } from './types.js';

export interface EvaluateOptions {
  nEvalEpisodes?: number;
  deterministic?: boolean;
  /** Seeds the first reset; later episodes continue the env's stream (reproducible). */
  seed?: number;
  /** Safety cap per episode for envs without a time limit (default 100000). */
  maxEpisodeSteps?: number;
}

export interface EvaluateResult {
  meanReturn: number;
  stdReturn: number;
  meanLength: number;
  episodes: number;
  returns: number[];
  lengths: number[];
  /** Snake: mean fruits eaten per episode. */
  meanFruits?: number;
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

export function evaluatePolicy(policy: Policy, env: Env, options: EvaluateOptions = {}): EvaluateResult {
  const n = checkInt('nEvalEpisodes', options.nEvalEpisodes ?? 10, 1);
  const cap = checkInt('maxEpisodeSteps', options.maxEpisodeSteps ?? 100_000, 1);
  const deterministic = options.deterministic ?? true;
  const e = withChecks(env);
  const returns: number[] = [];
  const lengths: number[] = [];
  const fruits: number[] = [];
  for (let ep = 0; ep < n; ep++) {
    let { observation, info } = e.reset(ep === 0 ? options.seed : undefined);
    let total = 0;
    let len = 0;
    for (;;) {
      const r = e.step(policy.predict(observation, { deterministic }));
      total += r.reward;
      len++;
      observation = r.observation;
      info = r.info;
      if (r.terminated || r.truncated || len >= cap) break;
    }
    returns.push(total);
    lengths.push(len);
    if (typeof info.fruits === 'number') fruits.push(info.fruits);
  }
  return summarize(returns, lengths, fruits.length === n ? fruits : undefined);
}

/** Mean/std of per-episode returns and lengths (+ mean fruits) as an EvaluateResult. */
export function summarize(returns: number[], lengths: number[], fruits?: number[]): EvaluateResult {
  const m = mean(returns);
  const result: EvaluateResult = {
    meanReturn: m,
    stdReturn: Math.sqrt(mean(returns.map((r) => (r - m) ** 2))),
    meanLength: mean(lengths),
    episodes: returns.length,
    returns,
    lengths,
  };
  if (fruits) result.meanFruits = mean(fruits);
  return result;
}

/** Uniformly random actions (a baseline for tests and docs). */
export function randomPolicy(nActions: number, rng: { int(n: number): number }): Policy {
  return { predict: () => rng.int(nActions) };
}

/**
 * SB3's callbacks: EvalCallback (periodic evaluation, best-model saving, callbackOnNewBest),
 * StopTrainingOnRewardThreshold, CheckpointCallback, a progress bar and a JSONL episode logger.
 * Saving goes through agent.save (Node); the rest is browser-safe.
 */
import { checkInt, checkNumber, createProgress, type Progress, type ProgressOptions } from '@dlkit/core';
import type { DQN } from './dqn.js';
import type { Env } from './env.js';
import { type EvaluateResult, evaluatePolicy } from './evaluate.js';
import type { Callback, EpisodeRecord, TrainingContext } from './types.js';

type Ctx = TrainingContext<DQN>;

export interface EvalCallbackOptions {
  evalEnv: Env;
  /** Env steps between evaluations (default 10000). */
  evalFreq?: number;
  nEvalEpisodes?: number;
  deterministic?: boolean;
  /** Where to save the best agent so far. */
  bestModelSavePath?: string;
  /** Called on a new best; its onStep returning false stops training. */
  callbackOnNewBest?: Callback<DQN>;
  seed?: number;
  log?: (line: string) => void;
}

export class EvalCallback implements Callback<DQN> {
  readonly options: EvalCallbackOptions;
  bestMeanReward = Number.NEGATIVE_INFINITY;
  lastMeanReward = Number.NaN;
  /** One entry per evaluation. */
  evaluations: { timesteps: number; result: EvaluateResult }[] = [];

  constructor(options: EvalCallbackOptions) {
    checkInt('evalFreq', options.evalFreq ?? 10_000, 1);
    checkInt('nEvalEpisodes', options.nEvalEpisodes ?? 5, 1);
    this.options = options;
  }

  async onStep(ctx: Ctx): Promise<boolean> {
    const o = this.options;
    if (ctx.numTimesteps % (o.evalFreq ?? 10_000) !== 0) return true;
    const result = evaluatePolicy(ctx.agent, o.evalEnv, { nEvalEpisodes: o.nEvalEpisodes ?? 5, deterministic: o.deterministic ?? true, seed: o.seed });
    this.evaluations.push({ timesteps: ctx.numTimesteps, result });
    this.lastMeanReward = result.meanReturn;
    o.log?.(`eval num_timesteps=${ctx.numTimesteps} episode_reward=${result.meanReturn.toFixed(2)} +/- ${result.stdReturn.toFixed(2)}`);
    if (result.meanReturn > this.bestMeanReward) {
      this.bestMeanReward = result.meanReturn;
      if (o.bestModelSavePath) await ctx.agent.save(o.bestModelSavePath);
      if (o.callbackOnNewBest) {
        const go = await o.callbackOnNewBest.onStep?.({ ...ctx, bestMeanReward: this.bestMeanReward });
        if (go === false) return false;
      }
    }
    return true;
  }
}

/**
 * Stops training once the best mean evaluation reward reaches the threshold (as EvalCallback's
 * callbackOnNewBest); used alone it watches the mean of the last 100 training episodes.
 */
export class StopTrainingOnRewardThreshold implements Callback<DQN> {
  readonly rewardThreshold: number;
  constructor(options: { rewardThreshold: number }) {
    this.rewardThreshold = checkNumber('rewardThreshold', options?.rewardThreshold);
  }
  onStep(ctx: Ctx): boolean {
    const value = ctx.bestMeanReward ?? ctx.agent.recentMeanReturn(100);
    return !(value >= this.rewardThreshold);
  }
}

export class CheckpointCallback implements Callback<DQN> {
  readonly saveFreq: number;
  readonly savePath: string;
  readonly namePrefix: string;
  saved: string[] = [];
  constructor(options: { saveFreq: number; savePath: string; namePrefix?: string }) {
    this.saveFreq = checkInt('saveFreq', options?.saveFreq, 1);
    this.savePath = options.savePath;
    this.namePrefix = options.namePrefix ?? 'dqn';
  }
  async onStep(ctx: Ctx): Promise<boolean> {
    if (ctx.numTimesteps % this.saveFreq === 0) {
      const dir = `${this.savePath.replace(/\/+$/, '')}/${this.namePrefix}_${ctx.numTimesteps}_steps`;
      await ctx.agent.save(dir);
      this.saved.push(dir);
    }
    return true;
  }
}

/** core createProgress over the timesteps, with mean return and ε. */
export class ProgressBarCallback implements Callback<DQN> {
  private progress: Progress | undefined;
  constructor(private readonly mode: ProgressOptions['mode'] = 'auto') {}
  onTrainingStart(ctx: Ctx): void {
    this.progress = createProgress({ label: `DQN ${ctx.agent.env.id}`, total: ctx.totalTimesteps, unit: 'steps', mode: this.mode });
  }
  onStep(ctx: Ctx): boolean {
    this.progress?.update(ctx.numTimesteps, { eps: +ctx.explorationRate.toFixed(3), return: ctx.agent.recentMeanReturn() });
    return true;
  }
  onTrainingEnd(ctx: Ctx): void {
    this.progress?.done({ return: ctx.agent.recentMeanReturn() });
  }
}

/**
 * One JSON line per finished episode ({episode, timesteps, return, length, ...info numbers}).
 * `write` receives each line; the Node `jsonlFileLogger` writes them to a file atomically.
 */
export class JsonlLogger implements Callback<DQN> {
  private count = 0;
  constructor(private readonly write: (line: string) => void | Promise<void>) {}
  async onEpisodeEnd(ctx: Ctx, ep: EpisodeRecord): Promise<void> {
    const numbers = Object.fromEntries(Object.entries(ep.info).filter(([, v]) => typeof v === 'number'));
    this.count++;
    await this.write(
      `${JSON.stringify({ episode: this.count, timesteps: ctx.numTimesteps, return: ep.return, length: ep.length, eps: +ctx.explorationRate.toFixed(4), ...numbers })}\n`,
    );
  }
}

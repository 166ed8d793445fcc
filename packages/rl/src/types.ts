/** Interfaces shared by the agent, evaluation and callbacks (kept apart to avoid import cycles). */
import type { Info } from './env.js';

export interface PredictOptions {
  /** true (default): greedy action; false: ε-greedy with the current exploration rate. */
  deterministic?: boolean;
}

/** Anything that maps an observation to an action: a DQN agent, a random or scripted policy. */
export interface Policy {
  predict(observation: Float32Array, options?: PredictOptions): number;
}

export interface EpisodeRecord {
  return: number;
  length: number;
  info: Info;
}

/** What callbacks see; `agent` is the learning agent. */
export interface TrainingContext<A = unknown> {
  agent: A;
  numTimesteps: number;
  totalTimesteps: number;
  explorationRate: number;
  episodeReturns: number[];
  episodeLengths: number[];
  /** Huber loss of the last gradient step (NaN before training starts). */
  lastLoss: number;
  /** Set by EvalCallback when it calls its callbackOnNewBest. */
  bestMeanReward?: number;
}

/** SB3's BaseCallback hooks; `onStep` returning false stops training. */
export interface Callback<A = unknown> {
  onTrainingStart?(ctx: TrainingContext<A>): void | Promise<void>;
  onStep?(ctx: TrainingContext<A>): boolean | undefined | Promise<boolean | undefined>;
  onEpisodeEnd?(ctx: TrainingContext<A>, episode: EpisodeRecord): void | Promise<void>;
  onTrainingEnd?(ctx: TrainingContext<A>): void | Promise<void>;
}

/** What every recommender model implements; Recommender wraps one with ids, titles and IO. */
import type { Interactions } from '../interactions.js';

export const MODEL_TYPES = ['svdpp', 'mf', 'neumf', 'two-tower', 'bpr', 'popularity', 'mean'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/** Explicit models predict ratings; implicit ones only rank. */
export const EXPLICIT_TYPES: readonly ModelType[] = ['svdpp', 'mf', 'neumf', 'mean'];
export const IMPLICIT_TYPES: readonly ModelType[] = ['bpr', 'two-tower', 'popularity'];

export interface FitOptions {
  seed?: number;
  /** Called after each epoch/step block with the training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface NamedWeights {
  [name: string]: { data: Float32Array; shape: number[] };
}

export interface RecModel {
  readonly type: ModelType;
  /** Whether scores are rating predictions (RMSE makes sense). */
  readonly explicit: boolean;
  fit(train: Interactions, options?: FitOptions): Promise<void>;
  /** Scores of every item for each user, row-major [users.length × numItems]. */
  scoreUsers(users: Int32Array): Promise<Float32Array>;
  /** Scores (ratings for explicit models) of (user, item) pairs. */
  predict(users: Int32Array, items: Int32Array): Promise<Float32Array>;
  /** Item vectors for similarity [numItems × dim], when the model has them. */
  itemVectors(): Promise<{ data: Float32Array; dim: number } | undefined>;
  /** Hyperparameters and sizes needed to rebuild the model before setWeights. */
  config(): Record<string, unknown>;
  getWeights(): Promise<NamedWeights>;
  setWeights(w: NamedWeights): void;
  dispose(): void;
}

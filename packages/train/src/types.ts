/**
 * The callback protocol shared by `fit` and `runLoop`, with Keras names and semantics, so a
 * callback written once (earlyStopping, progressBar, a logger...) works for both a LayersModel
 * and a hand-written GAN/RL loop.
 */
import type { tf } from '@dlkit/core';

/** Numbers reported after a batch or an epoch: `loss`, metrics, `val_*`, `lr`. */
export type Logs = Record<string, number>;

export interface History {
  /** Epoch indices (0-based) in the order they ran; resumed runs continue the numbering. */
  epoch: number[];
  /** One array per log key, aligned with `epoch` (NaN where a key was missing that epoch). */
  history: Record<string, number[]>;
  /** True when training stopped on a signal (Ctrl-C / AbortSignal) rather than finishing. */
  interrupted?: boolean;
  /** Where an interrupted run stopped: the epoch it was in and the batches it completed there. */
  stoppedAt?: { epoch: number; step: number };
}

/** Reads and writes the learning rate of whatever optimizer(s) the loop drives. */
export interface LrHandle {
  get(): number;
  set(lr: number): void;
}

export interface TrainParams {
  epochs: number;
  /** Batches per epoch when known. */
  steps?: number;
  initialEpoch: number;
}

/** What a callback can see and change while training runs (Keras' `self.model`, `self.params`). */
export interface TrainContext {
  model?: tf.LayersModel;
  params: TrainParams;
  /** Set to true to stop after the current batch (also honoured: `model.stopTraining = true`). */
  stopTraining: boolean;
  /** Current epoch (0-based, absolute). */
  epoch: number;
  /** Batches run since training began (this call only). */
  globalStep: number;
  history: History;
  /** Present when the loop has an optimizer: schedulers and reduceLROnPlateau use it. */
  lr?: LrHandle;
}

export interface Callback {
  setContext?(ctx: TrainContext): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** A tensor container as models take them. */
export type TensorContainer = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/** One batch of a dataset: what `@dlkit/data`'s `Dataset.batch()` yields for `{xs, ys}` elements. */
export interface Batch {
  xs: TensorContainer;
  ys: TensorContainer;
}

/**
 * Any async (or sync) iterable of batches, e.g. a `@dlkit/data` Dataset. `size`, when known,
 * is the number of batches per epoch. Each epoch iterates it afresh, so it must be re-iterable.
 */
export type BatchSource = (AsyncIterable<Batch> | Iterable<Batch>) & { size?: number };

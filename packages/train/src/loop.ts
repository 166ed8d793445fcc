/**
 * `runLoop`: the one epoch/batch engine. `fit` is built on it, and GAN/RL-style code drives it
 * directly with its own `trainStep`, so both get the same callback protocol, LR logging,
 * stopTraining, AbortSignal (Ctrl-C) handling and resumable epoch numbering.
 */
import { checkInt, DlkitError, type tf } from '@dlkit/core';
import { optimizerLr } from './lr.js';
import type { Callback, History, Logs, LrHandle, TrainContext } from './types.js';

export interface StepInfo {
  epoch: number;
  /** Batch index within the epoch. */
  batch: number;
}

export interface RunLoopOptions<B> {
  epochs: number;
  /** Batches per epoch. Required without `data`; caps each epoch with it. */
  stepsPerEpoch?: number;
  /** Batches, re-iterated each epoch, or a function giving the batches of an epoch. */
  data?: AsyncIterable<B> | Iterable<B> | ((epoch: number) => AsyncIterable<B> | Iterable<B>);
  /** One optimisation step; returns the batch logs (`loss`, metrics). `step` counts from 0 over the run. */
  trainStep(batch: B, step: number, info: StepInfo): Logs | Promise<Logs>;
  /** Validation at each epoch end; keys are reported with a `val_` prefix. */
  validate?(epoch: number): Logs | Promise<Logs>;
  model?: tf.LayersModel;
  /** The optimizer (or an LrHandle) whose learning rate callbacks read and set; logged as `lr`. */
  optimizer?: tf.Optimizer | LrHandle;
  callbacks?: Callback[];
  /** First epoch to run (resume). Epoch numbers in logs and History are absolute. */
  initialEpoch?: number;
  /** A History to continue (resume): new epochs are appended. */
  history?: History;
  /** Aborting finishes the current batch, closes the epoch and returns `interrupted: true`. */
  signal?: AbortSignal;
  /** Called on each batch after its step (fit disposes batch tensors here). */
  disposeBatch?(batch: B): void;
}

function isLrHandle(v: unknown): v is LrHandle {
  return typeof (v as LrHandle).get === 'function' && typeof (v as LrHandle).set === 'function';
}

export function emptyHistory(): History {
  return { epoch: [], history: {} };
}

/** Append an epoch's logs, keeping every key's array aligned with `epoch`. */
export function appendHistory(h: History, epoch: number, logs: Logs): void {
  const n = h.epoch.length;
  h.epoch.push(epoch);
  for (const [k, v] of Object.entries(logs)) {
    if (!h.history[k]) h.history[k] = new Array(n).fill(Number.NaN);
    h.history[k]!.push(v);
  }
  for (const arr of Object.values(h.history)) if (arr.length < n + 1) arr.push(Number.NaN);
}

export async function runLoop<B = undefined>(options: RunLoopOptions<B>): Promise<History> {
  const epochs = checkInt('epochs', options.epochs, 0);
  const initialEpoch = checkInt('initialEpoch', options.initialEpoch ?? 0, 0);
  const stepsPerEpoch = options.stepsPerEpoch === undefined ? undefined : checkInt('stepsPerEpoch', options.stepsPerEpoch, 1);
  if (!options.data && stepsPerEpoch === undefined) {
    throw new DlkitError('INVALID_OPTION', 'runLoop needs `data` or `stepsPerEpoch` to know how many steps make an epoch.');
  }
  const lr = options.optimizer ? (isLrHandle(options.optimizer) ? options.optimizer : optimizerLr(options.optimizer)) : undefined;
  const history = options.history ?? emptyHistory();
  const callbacks = options.callbacks ?? [];
  const model = options.model as (tf.LayersModel & { stopTraining?: boolean }) | undefined;
  const size = options.data && typeof options.data !== 'function' ? (options.data as { size?: number }).size : undefined;
  const ctx: TrainContext = {
    model: options.model,
    params: { epochs, steps: stepsPerEpoch ?? (typeof size === 'number' ? size : undefined), initialEpoch },
    stopTraining: false,
    epoch: initialEpoch,
    globalStep: 0,
    history,
    lr,
  };
  if (model) model.stopTraining = false;
  const shouldStop = () => ctx.stopTraining || model?.stopTraining === true;
  for (const cb of callbacks) cb.setContext?.(ctx);
  for (const cb of callbacks) await cb.onTrainBegin?.({});

  let lastLogs: Logs = {};
  for (let epoch = initialEpoch; epoch < epochs && !shouldStop(); epoch++) {
    ctx.epoch = epoch;
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, {});
    const sums: Record<string, number> = {};
    const counts: Record<string, number> = {};
    let batch = 0;
    let interrupted = false;

    const runStep = async (b: B) => {
      for (const cb of callbacks) await cb.onBatchBegin?.(batch, { batch });
      let logs: Logs;
      try {
        logs = { ...(await options.trainStep(b, ctx.globalStep, { epoch, batch })) };
      } finally {
        options.disposeBatch?.(b);
      }
      if (lr) logs.lr = lr.get();
      for (const [k, v] of Object.entries(logs)) {
        if (k === 'lr' || k === 'batch' || k === 'size') continue;
        sums[k] = (sums[k] ?? 0) + v;
        counts[k] = (counts[k] ?? 0) + 1;
      }
      for (const cb of callbacks) await cb.onBatchEnd?.(batch, logs);
      batch++;
      ctx.globalStep++;
      if (options.signal?.aborted) interrupted = true;
    };
    const done = () => interrupted || shouldStop() || (stepsPerEpoch !== undefined && batch >= stepsPerEpoch);

    if (options.data) {
      const source = typeof options.data === 'function' ? options.data(epoch) : options.data;
      if (stepsPerEpoch === undefined || stepsPerEpoch > 0) {
        for await (const b of source as AsyncIterable<B>) {
          await runStep(b);
          if (done()) break;
        }
      }
      if (batch === 0) {
        throw new DlkitError('INVALID_INPUT', `The training data yielded no batches in epoch ${epoch}.`, {
          hint: 'Pass a non-empty, re-iterable dataset (each epoch iterates it again).',
        });
      }
    } else {
      while (!done()) await runStep(undefined as B);
    }

    const epochLogs: Logs = {};
    for (const k of Object.keys(sums)) epochLogs[k] = sums[k]! / counts[k]!;
    if (options.validate && !interrupted) {
      const val = await options.validate(epoch);
      for (const [k, v] of Object.entries(val)) epochLogs[k.startsWith('val_') ? k : `val_${k}`] = v;
    }
    if (lr) epochLogs.lr = lr.get();
    appendHistory(history, epoch, epochLogs);
    lastLogs = epochLogs;
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, epochLogs);
    if (interrupted) {
      history.interrupted = true;
      history.stoppedAt = { epoch, step: batch };
      break;
    }
  }
  for (const cb of callbacks) await cb.onTrainEnd?.(lastLogs);
  return history;
}

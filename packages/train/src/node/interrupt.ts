/**
 * Ctrl-C-safe training for Node. `fit(..., { checkpointDir })` installs a SIGINT handler for
 * the duration of training: the first Ctrl-C finishes the current batch, closes the epoch,
 * saves a resumable checkpoint, prints how to resume and returns (History.interrupted). A
 * second Ctrl-C exits at once (130). `fit(..., { resumeFrom })` / `resume()` continue from
 * the next epoch with the same History, optimizer state, LR and shuffle seed.
 */

import { join } from 'node:path';
import { DlkitError, globalRandom, type tf } from '@dlkit/core';
import { isTensorContainer } from '../data.js';
import { fit as baseFit, type FitOptions } from '../fit.js';
import type { BatchSource, History, TensorContainer } from '../types.js';
import { compileFromState, readTrainState, restoreCheckpoint, saveCheckpoint } from './checkpoint-state.js';
import { loadModel } from './core-io.js';

export interface NodeFitOptions extends FitOptions {
  /** Save a resumable checkpoint here when interrupted by Ctrl-C (SIGINT). */
  checkpointDir?: string;
  /** Continue an interrupted run from this checkpoint directory. */
  resumeFrom?: string;
  /** Where the resume hint line goes (default process.stderr). */
  log?: (line: string) => void;
}

function anySignal(a: AbortSignal, b?: AbortSignal): AbortSignal {
  if (!b) return a;
  const c = new AbortController();
  const abort = () => c.abort();
  if (a.aborted || b.aborted) c.abort();
  a.addEventListener('abort', abort, { once: true });
  b.addEventListener('abort', abort, { once: true });
  return c.signal;
}

/** `fit` plus checkpointDir (Ctrl-C → checkpoint) and resumeFrom. */
export async function fit(model: tf.LayersModel, data: BatchSource, options?: NodeFitOptions): Promise<History>;
export async function fit(model: tf.LayersModel, x: TensorContainer, y: TensorContainer, options?: NodeFitOptions): Promise<History>;
export async function fit(model: tf.LayersModel, a: unknown, b?: unknown, c?: NodeFitOptions): Promise<History> {
  const tensors = isTensorContainer(a);
  const { checkpointDir, resumeFrom, log, ...rest } = ((tensors ? c : (b as NodeFitOptions | undefined)) ?? {}) as NodeFitOptions;
  const options: FitOptions = { ...rest };
  const say = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (resumeFrom) {
    const state = await readTrainState(resumeFrom);
    await restoreCheckpoint(resumeFrom, model, state);
    options.initialEpoch = state.nextEpoch;
    options.history = { epoch: [...state.history.epoch], history: structuredClone(state.history.history) };
    options.seed ??= state.seed;
    options.epochs ??= state.epochs;
  }
  options.seed ??= globalRandom().int(2 ** 31);
  const run = (o: FitOptions) => (tensors ? baseFit(model, a as TensorContainer, b as TensorContainer, o) : baseFit(model, a as BatchSource, o));
  if (!checkpointDir) return run(options);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      say('Second Ctrl-C: exiting without a checkpoint.');
      process.exit(130);
    }
    say('Ctrl-C: finishing the current batch, then saving a checkpoint (Ctrl-C again to quit now)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let history: History;
  try {
    history = await run({ ...options, signal: anySignal(controller.signal, options.signal) });
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (history.interrupted) {
    const stopped = history.stoppedAt!;
    await saveCheckpoint(checkpointDir, model, {
      nextEpoch: stopped.epoch + 1,
      epochs: options.epochs ?? 1,
      history,
      seed: options.seed,
      stoppedAt: stopped,
    });
    say(
      `Interrupted in epoch ${stopped.epoch + 1}/${options.epochs ?? 1} after ${stopped.step} batches; checkpoint saved to ${checkpointDir}. ` +
        `Resume with fit(model, data, { resumeFrom: '${checkpointDir}' }) or resume('${checkpointDir}', data).`,
    );
  }
  return history;
}

/** Load the checkpoint's model (recompiled from its saved training config) and continue training it. */
export async function resume(checkpointDir: string, data: BatchSource, options?: NodeFitOptions): Promise<{ model: tf.LayersModel; history: History }>;
export async function resume(
  checkpointDir: string,
  x: TensorContainer,
  y: TensorContainer,
  options?: NodeFitOptions,
): Promise<{ model: tf.LayersModel; history: History }>;
export async function resume(checkpointDir: string, a: unknown, b?: unknown, c?: NodeFitOptions): Promise<{ model: tf.LayersModel; history: History }> {
  const state = await readTrainState(checkpointDir);
  const { model } = await loadModel(join(checkpointDir, 'model'));
  try {
    compileFromState(model, state, checkpointDir);
    const tensors = isTensorContainer(a);
    const o = { ...((tensors ? c : (b as NodeFitOptions | undefined)) ?? {}), resumeFrom: checkpointDir };
    const history = tensors ? await fit(model, a as TensorContainer, b as TensorContainer, o) : await fit(model, a as BatchSource, o);
    return { model, history };
  } catch (e) {
    model.dispose();
    if (e instanceof DlkitError) throw e;
    throw new DlkitError('STATE', `Could not resume from ${checkpointDir}: ${(e as Error).message}.`, { cause: e });
  }
}

/**
 * A resumable training checkpoint directory:
 *   model/                  the model, via core's atomic saveModel
 *   optimizer.bin + .json   optimizer slot variables (tf.io weight encoding) and specs
 *   train-state.json        epoch to resume at, History, LR, shuffle seed, training config;
 *                           written last, so its presence means the checkpoint is complete.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DlkitError, tf } from '@dlkit/core';
import { atomicWriteFile as writeAtomic } from '@dlkit/core/node';
import { getLearningRate, setLearningRate } from '../lr.js';
import type { History } from '../types.js';
import { loadModel, saveModel } from './core-io.js';

export const TRAIN_STATE = 'train-state.json';

export interface TrainState {
  version: 1;
  /** First epoch a resumed run executes. */
  nextEpoch: number;
  epochs: number;
  history: History;
  lr?: number;
  seed?: number;
  optimizerClass?: string;
  /** tfjs training config (loss, metrics, optimizer) so a loaded model can be recompiled. */
  trainingConfig?: unknown;
  stoppedAt?: { epoch: number; step: number };
  savedAt: string;
}

type Trainable = tf.LayersModel & { getTrainingConfig(): unknown; loadTrainingConfig(c: unknown): void };

export async function saveCheckpoint(dir: string, model: tf.LayersModel, state: Omit<TrainState, 'version' | 'savedAt' | 'trainingConfig' | 'lr' | 'optimizerClass'>): Promise<void> {
  await saveModel(model, join(dir, 'model'), { task: 'checkpoint', training: { epochs: state.nextEpoch } });
  const optimizer = model.optimizer;
  let trainingConfig: unknown;
  try {
    trainingConfig = (model as Trainable).getTrainingConfig();
  } catch {
    trainingConfig = undefined; // custom loss functions are not serializable; the caller recompiles
  }
  if (optimizer) {
    const named = await optimizer.getWeights();
    const { data, specs } = await tf.io.encodeWeights(named);
    // getWeights returns live slot variables plus a fresh `iterations` scalar: free only the latter.
    tf.dispose(named.filter((n) => !(n.tensor instanceof tf.Variable)).map((n) => n.tensor));
    await writeAtomic(join(dir, 'optimizer.bin'), new Uint8Array(data));
    await writeAtomic(join(dir, 'optimizer.json'), JSON.stringify({ className: optimizer.getClassName(), specs }));
  }
  const full: TrainState = {
    version: 1,
    ...state,
    lr: optimizer ? getLearningRate(optimizer) : undefined,
    optimizerClass: optimizer?.getClassName(),
    trainingConfig,
    savedAt: new Date().toISOString(),
  };
  await writeAtomic(join(dir, TRAIN_STATE), `${JSON.stringify(full, null, 2)}\n`);
}

export async function readTrainState(dir: string): Promise<TrainState> {
  const path = join(dir, TRAIN_STATE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DlkitError('NOT_FOUND', `No resumable checkpoint at ${dir}: ${TRAIN_STATE} is missing.`, {
      hint: 'Pass the checkpointDir of an interrupted run.',
      cause: e,
      details: { file: path },
    });
  }
  try {
    const s = JSON.parse(text) as TrainState;
    if (s.version !== 1 || typeof s.nextEpoch !== 'number' || !s.history?.epoch) throw new Error('missing fields');
    return s;
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `${path} is not a dlkit train state (${(e as Error).message}).`, { cause: e, details: { file: path } });
  }
}

/** Load the checkpoint's weights into `model` (same architecture) and its optimizer state into the model's optimizer. */
export async function restoreCheckpoint(dir: string, model: tf.LayersModel, state: TrainState): Promise<void> {
  const { model: saved } = await loadModel(join(dir, 'model'));
  try {
    const src = saved.getWeights();
    const dst = model.getWeights();
    if (src.length !== dst.length || src.some((w, i) => w.shape.join() !== dst[i]!.shape.join())) {
      throw new DlkitError('SHAPE_MISMATCH', `The checkpoint at ${dir} does not match this model's architecture (${src.length} vs ${dst.length} weights).`);
    }
    model.setWeights(src);
  } finally {
    saved.dispose();
  }
  await restoreOptimizer(dir, model, state);
}

async function restoreOptimizer(dir: string, model: tf.LayersModel, state: TrainState): Promise<void> {
  const optimizer = model.optimizer;
  if (!optimizer) return;
  let meta: { className: string; specs: tf.io.WeightsManifestEntry[] } | undefined;
  try {
    meta = JSON.parse(await readFile(join(dir, 'optimizer.json'), 'utf8'));
  } catch {
    meta = undefined;
  }
  if (meta && meta.className === optimizer.getClassName()) {
    const bin = await readFile(join(dir, 'optimizer.bin'));
    const map = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), meta.specs);
    const named = meta.specs.map((s) => ({ name: s.name, tensor: map[s.name]! }));
    try {
      await optimizer.setWeights(named);
    } finally {
      tf.dispose(Object.values(map));
    }
  }
  if (state.lr !== undefined) setLearningRate(optimizer, state.lr);
}

/** Compile a freshly loaded model from the checkpoint's training config. */
export function compileFromState(model: tf.LayersModel, state: TrainState, dir: string): void {
  if (!state.trainingConfig) {
    throw new DlkitError('STATE', `The checkpoint at ${dir} has no serializable training config (custom loss?).`, {
      hint: 'Compile the model yourself and call fit(model, data, { resumeFrom }) instead of resume().',
    });
  }
  (model as Trainable).loadTrainingConfig(state.trainingConfig);
}

/**
 * Keras-style `fit` / `evaluate` / `predict` for tfjs LayersModels.
 *
 * We run our own loop (runLoop over `model.trainOnBatch`) instead of tfjs `model.fit` because
 * tfjs fit cannot: stop after the current batch on an AbortSignal (Ctrl-C) and report where,
 * resume from a saved epoch with the same History, change the LR per step consistently with
 * a custom GAN/RL loop, train a chosen variable subset with several optimizers (fineTune), or
 * take `classWeight` with datasets. One engine for all of that keeps the callbacks identical.
 */
import { checkInt, checkNumber, DlkitError, globalRandom, seedMathRandom, tf } from '@dlkit/core';
import { checkBatch, disposeBatch, isBatchSource, isTensorContainer, splitTensors, TensorBatches } from './data.js';
import { runLoop } from './loop.js';
import { modelOptimizer } from './lr.js';
import { classSampleWeights, customTrainStep, type VariableGroup } from './step.js';
import { containerLength, containerTensors, disposeContainer, isTensor } from './tensors.js';
import type { Batch, BatchSource, Callback, History, Logs, LrHandle, TensorContainer } from './types.js';

export type ValidationData = [TensorContainer, TensorContainer] | Batch | BatchSource;

export interface FitOptions {
  epochs?: number;
  /** Samples per batch for tensor input (default 32); a dataset brings its own batches. */
  batchSize?: number;
  validationData?: ValidationData;
  /** Fraction of tensor input held out (the last samples, as Keras). */
  validationSplit?: number;
  /** Reshuffle tensor input every epoch (default true). Datasets shuffle themselves. */
  shuffle?: boolean;
  /** Seed of the per-epoch shuffles, so a resumed run sees the same orders. Also seeds, per epoch,
   *  the Math.random that tfjs's unseeded random ops (dropout masks) draw from: same seed, same run. */
  seed?: number;
  initialEpoch?: number;
  /** Cap on batches per epoch. */
  stepsPerEpoch?: number;
  callbacks?: Callback[];
  /** Keras classWeight: `{classIndex: weight}` scaling each sample's loss. */
  classWeight?: Record<number, number>;
  /** Aborting stops after the current batch; the History says `interrupted: true`. */
  signal?: AbortSignal;
  /** A History to continue (resume). */
  history?: History;
  /**
   * Advanced: train these variables with these optimizers instead of the model's optimizer
   * (frozen layers, discriminative learning rates). `lr` then sets/reads the rate for callbacks.
   */
  variableGroups?: { groups: VariableGroup[]; lr: LrHandle };
}

export interface FitResult extends History {}

function logsFrom(model: tf.LayersModel, values: number | number[]): Logs {
  const names = (model as unknown as { metricsNames?: string[] }).metricsNames ?? ['loss'];
  const arr = Array.isArray(values) ? values : [values];
  const logs: Logs = {};
  arr.forEach((v, i) => {
    logs[names[i] ?? `metric_${i}`] = v;
  });
  return logs;
}

/** Per-sample weighted average of logs over batches (evaluation). */
class LogAverager {
  private sums: Record<string, number> = {};
  private n = 0;
  add(logs: Logs, count: number) {
    for (const [k, v] of Object.entries(logs)) this.sums[k] = (this.sums[k] ?? 0) + v * count;
    this.n += count;
  }
  result(): Logs {
    const out: Logs = {};
    for (const [k, v] of Object.entries(this.sums)) out[k] = v / this.n;
    return out;
  }
}

async function evaluateBatch(model: tf.LayersModel, b: Batch): Promise<[Logs, number]> {
  const n = containerLength(b.xs, 'xs');
  const out = model.evaluate(b.xs as tf.Tensor, b.ys as tf.Tensor, { batchSize: Math.max(1, n) });
  const scalars = Array.isArray(out) ? out : [out];
  const values = await Promise.all(scalars.map(async (s) => (await s.data())[0]!));
  tf.dispose(scalars);
  return [logsFrom(model, values), n];
}

export interface EvaluateOptions {
  batchSize?: number;
}

/** Loss and metrics over tensors or a batch iterable (batches are disposed after use). */
export async function evaluate(model: tf.LayersModel, data: BatchSource, options?: EvaluateOptions): Promise<Logs>;
export async function evaluate(model: tf.LayersModel, x: TensorContainer, y: TensorContainer, options?: EvaluateOptions): Promise<Logs>;
export async function evaluate(
  model: tf.LayersModel,
  a: BatchSource | TensorContainer,
  b?: TensorContainer | EvaluateOptions,
  c?: EvaluateOptions,
): Promise<Logs> {
  modelOptimizer(model);
  const avg = new LogAverager();
  if (isTensorContainer(a)) {
    if (!isTensorContainer(b)) throw new DlkitError('INVALID_INPUT', 'evaluate(model, x, y): y must be a tensor (or array/record of tensors).');
    const batchSize = checkInt('batchSize', c?.batchSize ?? 32, 1);
    for (const batch of new TensorBatches(a, b, batchSize).epoch()) {
      try {
        avg.add(...(await evaluateBatch(model, batch)));
      } finally {
        disposeBatch(batch);
      }
    }
  } else if (isBatchSource(a)) {
    for await (const raw of a as AsyncIterable<Batch>) {
      const batch = checkBatch(raw, 'evaluate');
      try {
        avg.add(...(await evaluateBatch(model, batch)));
      } finally {
        disposeBatch(batch);
      }
    }
  } else {
    throw new DlkitError('INVALID_INPUT', 'evaluate expects (model, x, y) tensors or (model, dataset) of { xs, ys } batches.');
  }
  return avg.result();
}

export interface PredictOptions {
  batchSize?: number;
}

/** Predictions over tensors or an iterable of batches (`{ xs }` or bare tensors), concatenated. */
export async function predict(
  model: tf.LayersModel,
  data: TensorContainer | AsyncIterable<unknown> | Iterable<unknown>,
  options: PredictOptions = {},
): Promise<tf.Tensor | tf.Tensor[]> {
  const batchSize = checkInt('batchSize', options.batchSize ?? 32, 1);
  if (isTensorContainer(data)) return model.predict(data as tf.Tensor, { batchSize });
  const parts: tf.Tensor[][] = [];
  for await (const raw of data as AsyncIterable<unknown>) {
    const asBatch = raw as Partial<Batch> | undefined;
    const isBatch = asBatch !== undefined && typeof asBatch === 'object' && isTensorContainer(asBatch.xs);
    const xs = isBatch ? asBatch.xs! : (raw as TensorContainer);
    if (!isTensorContainer(xs)) throw new DlkitError('INVALID_INPUT', 'predict: each batch must be a tensor or { xs }.');
    try {
      const out = model.predict(xs as tf.Tensor, { batchSize });
      parts.push(Array.isArray(out) ? out : [out]);
    } finally {
      if (isBatch) disposeBatch(asBatch as Batch);
      else disposeContainer(xs);
    }
  }
  if (parts.length === 0) throw new DlkitError('INVALID_INPUT', 'predict: the data yielded no batches.');
  const outs = parts[0]!.map((_, i) => tf.concat(parts.map((p) => p[i]!)));
  tf.dispose(parts.flat());
  return outs.length === 1 ? outs[0]! : outs;
}

interface Prepared {
  train: { source: (epoch: number) => Iterable<Batch> | AsyncIterable<Batch>; steps?: number };
  validate?: () => Promise<Logs>;
  cleanup: () => void;
}

function prepare(model: tf.LayersModel, x: unknown, y: unknown, o: FitOptions): Prepared {
  const owned: TensorContainer[] = [];
  let validate: Prepared['validate'];
  let train: Prepared['train'];
  if (isTensorContainer(x)) {
    if (!isTensorContainer(y)) throw new DlkitError('INVALID_INPUT', 'fit(model, x, y): y must be a tensor (or array/record of tensors).');
    const batchSize = checkInt('batchSize', o.batchSize ?? 32, 1);
    let xs = x;
    let ys = y;
    if (o.validationSplit !== undefined && o.validationSplit > 0) {
      checkNumber('validationSplit', o.validationSplit, 0, 1);
      if (o.validationData) throw new DlkitError('INVALID_OPTION', 'Pass validationData or validationSplit, not both.');
      const [xt, xv] = splitTensors(x, o.validationSplit);
      const [yt, yv] = splitTensors(y, o.validationSplit);
      owned.push(xt, xv, yt, yv);
      xs = xt;
      ys = yt;
      validate = () => evaluate(model, xv, yv, { batchSize });
    }
    const batches = new TensorBatches(xs, ys, batchSize);
    const seed = o.seed ?? globalRandom().int(2 ** 31);
    const shuffle = o.shuffle ?? true;
    // Epoch-derived seeds: a run resumed at epoch k shuffles exactly as the original would have.
    train = { source: (epoch) => batches.epoch(shuffle ? seed * 1_000_003 + epoch : undefined), steps: batches.steps };
  } else if (isBatchSource(x)) {
    if (o.validationSplit) throw new DlkitError('INVALID_OPTION', 'validationSplit needs tensor input; with a dataset pass validationData.');
    train = { source: () => x as BatchSource, steps: typeof (x as BatchSource).size === 'number' ? (x as BatchSource).size : undefined };
  } else {
    throw new DlkitError('INVALID_INPUT', 'fit expects (model, x, y, options) with tensors or (model, dataset, options) with { xs, ys } batches.');
  }
  const vd = o.validationData;
  if (vd) {
    if (Array.isArray(vd) && vd.length === 2 && isTensorContainer(vd[0]) && isTensorContainer(vd[1])) {
      const [vx, vy] = vd as [TensorContainer, TensorContainer];
      validate = () => evaluate(model, vx, vy, { batchSize: o.batchSize ?? 32 });
    } else if (!Array.isArray(vd) && isTensorContainer((vd as Batch).xs) && isTensorContainer((vd as Batch).ys) && !isBatchSource(vd)) {
      const { xs: vx, ys: vy } = vd as Batch;
      validate = () => evaluate(model, vx, vy, { batchSize: o.batchSize ?? 32 });
    } else if (isBatchSource(vd)) {
      validate = () => evaluate(model, vd);
    } else {
      throw new DlkitError('INVALID_OPTION', 'validationData must be [x, y], { xs, ys } or a dataset of { xs, ys } batches.', {
        details: { option: 'validationData' },
      });
    }
  }
  return { train, validate, cleanup: () => owned.forEach(disposeContainer) };
}

/** Train a compiled LayersModel. Returns a Keras-like History. */
export async function fit(model: tf.LayersModel, data: BatchSource, options?: FitOptions): Promise<History>;
export async function fit(model: tf.LayersModel, x: TensorContainer, y: TensorContainer, options?: FitOptions): Promise<History>;
export async function fit(model: tf.LayersModel, a: unknown, b?: unknown, c?: FitOptions): Promise<History> {
  const [x, y, options] = isTensorContainer(a) ? [a, b, c ?? {}] : [a, undefined, (b as FitOptions | undefined) ?? {}];
  const optimizer = modelOptimizer(model);
  const epochs = checkInt('epochs', options.epochs ?? 1, 0);
  const seed = options.seed !== undefined ? checkInt('seed', options.seed) : undefined;
  const prep = prepare(model, x, y, options);
  const groups = options.variableGroups?.groups;
  const classWeight = options.classWeight;
  const trainStep = async (batch: Batch): Promise<Logs> => {
    if (!groups && !classWeight) return logsFrom(model, await model.trainOnBatch(batch.xs as tf.Tensor, batch.ys as tf.Tensor));
    const yFirst = containerTensors(batch.ys)[0]!;
    const sw = classWeight ? classSampleWeights(yFirst, classWeight) : undefined;
    try {
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      return logsFrom(model, customTrainStep(model, batch.xs, batch.ys, groups ?? [{ optimizer, variables: vars }], sw));
    } finally {
      sw?.dispose();
    }
  };
  const random = seed !== undefined ? seedMathRandom(seed) : undefined;
  try {
    return await runLoop<Batch>({
      epochs,
      initialEpoch: options.initialEpoch,
      stepsPerEpoch: options.stepsPerEpoch,
      data: (epoch) => {
        random?.reseed(epoch);
        return prep.train.source(epoch);
      },
      trainStep: (raw) => trainStep(checkBatch(raw, 'fit')),
      validate: prep.validate,
      model,
      optimizer: options.variableGroups?.lr ?? optimizer,
      callbacks: withSteps(options.callbacks, prep.train.steps, options.stepsPerEpoch),
      history: options.history,
      signal: options.signal,
      // Batches we sliced from user tensors, or got from a dataset, are ours to free.
      disposeBatch: (batch) => {
        if (batch && typeof batch === 'object' && !isTensor(batch)) disposeBatch(batch);
      },
    });
  } finally {
    random?.restore();
    prep.cleanup();
  }
}

// runLoop learns steps from `stepsPerEpoch` or `data.size`; fit knows them from the tensors.
function withSteps(callbacks: Callback[] | undefined, steps: number | undefined, cap: number | undefined): Callback[] {
  const list = callbacks ?? [];
  const known = cap !== undefined && steps !== undefined ? Math.min(cap, steps) : (cap ?? steps);
  if (known === undefined) return list;
  const setter: Callback = {
    setContext: (ctx) => {
      ctx.params.steps = known;
    },
  };
  return [setter, ...list];
}

/**
 * fastai-style learning-rate finder: an exponential LR sweep, one batch per LR, smoothed loss,
 * stopping when the loss diverges. The sweep trains a fresh copy of the model's optimizer and
 * the model's weights are restored afterwards, so the model and its optimizer are as before.
 */
import { checkInt, checkNumber, DlkitError, tf } from '@dlkit/core';
import { checkBatch, disposeBatch, isBatchSource, isTensorContainer, TensorBatches } from './data.js';
import { cloneOptimizer, modelOptimizer, setLearningRate } from './lr.js';
import { lineChartSvg } from './plot/svg.js';
import { customTrainStep, trainableVariables } from './step.js';
import type { Batch, BatchSource, TensorContainer } from './types.js';

export interface LrFindOptions {
  startLr?: number;
  endLr?: number;
  numIter?: number;
  /** Stop once the smoothed loss exceeds 4× the best seen (or is not finite). */
  stopDiv?: boolean;
  /** Exponential smoothing factor of the loss (fastai's beta). */
  smoothing?: number;
  /** Batch size for tensor input. */
  batchSize?: number;
  seed?: number;
}

export interface LrFindResult {
  lrs: number[];
  /** Smoothed, bias-corrected losses. */
  losses: number[];
  suggestion: { steep: number; valley: number; minimum: number };
}

async function* cycle(data: BatchSource | TensorBatches, seed: number): AsyncGenerator<Batch> {
  for (let round = 0; ; round++) {
    let any = false;
    const it = data instanceof TensorBatches ? data.epoch(seed + round) : (data as AsyncIterable<Batch>);
    for await (const b of it) {
      any = true;
      yield checkBatch(b, 'lrFind');
    }
    if (!any) throw new DlkitError('INVALID_INPUT', 'lrFind: the data yielded no batches.');
  }
}

export async function lrFind(model: tf.LayersModel, data: BatchSource | [TensorContainer, TensorContainer], options: LrFindOptions = {}): Promise<LrFindResult> {
  const startLr = checkNumber('startLr', options.startLr ?? 1e-7, Number.MIN_VALUE);
  const endLr = checkNumber('endLr', options.endLr ?? 10, startLr);
  const numIter = checkInt('numIter', options.numIter ?? 100, 2);
  const beta = checkNumber('smoothing', options.smoothing ?? 0.98, 0, 0.999999);
  const stopDiv = options.stopDiv ?? true;
  let source: BatchSource | TensorBatches;
  if (Array.isArray(data) && data.length === 2 && isTensorContainer(data[0]) && isTensorContainer(data[1])) {
    source = new TensorBatches(data[0], data[1], checkInt('batchSize', options.batchSize ?? 32, 1));
  } else if (isBatchSource(data)) source = data;
  else throw new DlkitError('INVALID_INPUT', 'lrFind expects [x, y] tensors or a dataset of { xs, ys } batches.');

  const optimizer = cloneOptimizer(modelOptimizer(model));
  const saved = model.getWeights().map((w) => w.clone());
  const vars = trainableVariables(model);
  const lrs: number[] = [];
  const losses: number[] = [];
  const batches = cycle(source, options.seed ?? 0);
  try {
    let avg = 0;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < numIter; i++) {
      const lr = startLr * (endLr / startLr) ** (i / (numIter - 1));
      setLearningRate(optimizer, lr);
      const { value: batch } = await batches.next();
      let loss: number;
      try {
        [loss] = customTrainStep(model, batch!.xs, batch!.ys, [{ optimizer, variables: vars }]) as [number];
      } finally {
        disposeBatch(batch!);
      }
      avg = beta * avg + (1 - beta) * loss;
      const smooth = avg / (1 - beta ** (i + 1));
      lrs.push(lr);
      losses.push(smooth);
      if (smooth < best) best = smooth;
      if (stopDiv && (!Number.isFinite(smooth) || smooth > 4 * best)) break;
    }
  } finally {
    await batches.return(undefined);
    model.setWeights(saved);
    tf.dispose(saved);
    optimizer.dispose();
  }
  return { lrs, losses, suggestion: suggest(lrs, losses) };
}

/** fastai's suggestion functions on the sweep, skipping the first 10% and last 5 points when long enough. */
export function suggest(allLrs: number[], allLosses: number[]): LrFindResult['suggestion'] {
  const n0 = allLrs.length;
  const [a, b] = n0 > 20 ? [Math.floor(n0 / 10), n0 - 5] : [0, n0];
  const lrs = allLrs.slice(a, b);
  const losses = allLosses.slice(a, b).map((l) => (Number.isFinite(l) ? l : Number.POSITIVE_INFINITY));
  const n = lrs.length;
  if (n === 0) return { steep: Number.NaN, valley: Number.NaN, minimum: Number.NaN };
  let iMin = 0;
  for (let i = 1; i < n; i++) if (losses[i]! < losses[iMin]!) iMin = i;
  // steep: most negative d(loss)/d(log lr), numpy.gradient style.
  const x = lrs.map(Math.log);
  let iSteep = 0;
  let gBest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n && n > 1; i++) {
    const lo = Math.max(0, i - 1);
    const hi = Math.min(n - 1, i + 1);
    const g = (losses[hi]! - losses[lo]!) / (x[hi]! - x[lo]!);
    if (g < gBest) {
      gBest = g;
      iSteep = i;
    }
  }
  // valley: longest decreasing run, then a point 1/2 of the way down its middle third (fastai).
  const lds = new Array<number>(n).fill(1);
  let maxStart = 0;
  let maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) if (losses[i]! < losses[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
    if (lds[maxEnd]! < lds[i]!) {
      maxEnd = i;
      maxStart = maxEnd - lds[maxEnd]!;
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const iValley = Math.min(n - 1, Math.max(0, maxStart + Math.floor(sections) + Math.floor(sections / 2)));
  return { steep: lrs[iSteep]!, valley: lrs[iValley]!, minimum: lrs[iMin]! / 10 };
}

/** SVG of the sweep (log-x), with the suggestions marked. */
export function plotLrFind(result: LrFindResult): string {
  const at = (lr: number) => {
    let best = 0;
    result.lrs.forEach((l, i) => {
      if (Math.abs(Math.log(l) - Math.log(lr)) < Math.abs(Math.log(result.lrs[best]!) - Math.log(lr))) best = i;
    });
    return result.losses[best]!;
  };
  const s = result.suggestion;
  const marks = (['valley', 'steep', 'minimum'] as const)
    .filter((k) => Number.isFinite(s[k]))
    .map((k, i) => ({ name: `${k} ${s[k].toExponential(1)}`, x: [s[k]], y: [at(s[k])], points: true, color: ['#d62728', '#2ca02c', '#9467bd'][i] }));
  return lineChartSvg({
    title: 'Learning-rate finder',
    series: [{ name: 'loss (smoothed)', x: result.lrs, y: result.losses }, ...marks],
    xLabel: 'learning rate (log scale)',
    yLabel: 'loss',
    logX: true,
  });
}

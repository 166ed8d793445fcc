/**
 * Sample-quality metrics computed with a classifier passed in by the caller (e.g. models/fashion-mnist-cnn
 * loaded with core's loadModel) — generative never imports @dlkit/vision. Images are [0, 1] pixels,
 * the classifier's input convention for MNIST-like models (mean 0, std 1 preprocessing).
 */
import { DlkitError, tf } from '@dlkit/core';
import { frechetDistance, meanCov } from './frechet.js';

/** The classifier's penultimate layer as a feature extractor (a view sharing its weights). */
export function featureModel(classifier: tf.LayersModel): tf.LayersModel {
  const layers = classifier.layers;
  if (layers.length < 2) throw new DlkitError('INVALID_INPUT', 'The classifier needs at least two layers to take penultimate features from.');
  return tf.model({ inputs: classifier.inputs, outputs: layers[layers.length - 2]!.output as tf.SymbolicTensor });
}

/** The outputs of `model` on n images, flattened to n rows of `dim` values (batched, no tensors kept). */
export function classifierFeatures(model: tf.LayersModel, images: Float32Array, shape: [number, number, number], batchSize = 500): { values: Float32Array; dim: number; n: number } {
  return run(model, images, shape, batchSize);
}

function run(model: tf.LayersModel, images: Float32Array, shape: [number, number, number], batchSize = 500): { values: Float32Array; dim: number; n: number } {
  const per = shape[0] * shape[1] * shape[2];
  const n = images.length / per;
  const parts: Float32Array[] = [];
  let dim = 0;
  for (let s = 0; s < n; s += batchSize) {
    const m = Math.min(batchSize, n - s);
    const out = tf.tidy(() => {
      const o = model.predict(tf.tensor4d(images.subarray(s * per, (s + m) * per), [m, ...shape])) as tf.Tensor;
      return o.reshape([m, -1]);
    });
    dim = out.shape[1]!;
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const values = new Float32Array(n * dim);
  parts.reduce((off, p) => (values.set(p, off), off + p.length), 0);
  return { values, dim, n };
}

export interface ClassifierMetricsResult {
  frechet?: number;
  /**
   * Fréchet distance of a second, disjoint real set (`realBaseline`, same size as the generated set) to
   * `real` — or, without one, between two halves of `real`: the floor for this sample size.
   */
  realVsReal?: number;
  /** Share of samples classified as their intended class (conditional models). */
  classAccuracy?: number;
  /** Per intended class, the share of its samples classified as that class (conditional models). */
  perClassAccuracy?: number[];
  /** Fraction of samples the classifier puts in each class (coverage / mode collapse). */
  classHistogram: number[];
}

/** Fréchet distance of generated vs real images on the classifier's penultimate features, plus class coverage/accuracy. */
export function classifierMetrics(
  classifier: tf.LayersModel,
  generated: Float32Array,
  shape: [number, number, number],
  options: { real?: Float32Array; realBaseline?: Float32Array; intended?: ArrayLike<number> } = {},
): ClassifierMetricsResult {
  const feats = featureModel(classifier);
  const gen = run(feats, generated, shape);
  const probs = run(classifier, generated, shape);
  const k = probs.dim;
  const hist = new Array(k).fill(0);
  let correct = 0;
  const hits = new Array(k).fill(0);
  const per = new Array(k).fill(0);
  for (let i = 0; i < probs.n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probs.values[i * k + j]! > probs.values[i * k + best]!) best = j;
    hist[best] += 1 / probs.n;
    if (options.intended) {
      const want = options.intended[i]!;
      per[want]++;
      if (want === best) {
        correct++;
        hits[want]++;
      }
    }
  }
  const result: ClassifierMetricsResult = { classHistogram: hist.map((h) => +h.toFixed(4)) };
  if (options.intended) {
    result.classAccuracy = correct / probs.n;
    result.perClassAccuracy = hits.map((h, c) => (per[c] ? h / per[c] : Number.NaN));
  }
  if (options.real) {
    const real = run(feats, options.real, shape);
    const ref = meanCov(real.values, real.n, real.dim);
    result.frechet = frechetDistance(meanCov(gen.values, gen.n, gen.dim), ref);
    if (options.realBaseline) {
      const base = run(feats, options.realBaseline, shape);
      result.realVsReal = frechetDistance(meanCov(base.values, base.n, base.dim), ref);
      return result;
    }
    const half = Math.floor(real.n / 2);
    if (half >= 2) {
      const a = real.values.subarray(0, half * real.dim);
      const b = real.values.subarray(half * real.dim, 2 * half * real.dim);
      result.realVsReal = frechetDistance(meanCov(a, half, real.dim), meanCov(b, half, real.dim));
    }
  }
  return result;
}

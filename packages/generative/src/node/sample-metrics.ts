/**
 * Sample quality of a saved generator, scored with a saved classifier (e.g. models/fashion-mnist-cnn):
 * the Fréchet distance of n samples to n real test images on the classifier's penultimate features
 * (NOT Inception FID: only comparable between models scored with the same classifier), the distance of
 * n *other* real test images to the same reference (the real-vs-real floor at this sample size), the
 * class histogram (coverage, mode collapse) and, for conditional models, the class accuracy of samples.
 */
import { checkInt, DlkitError, invalidOption } from '@dlkit/core';
import { loadModel } from '@dlkit/core/node';
import { classifierFeatures, classifierMetrics, featureModel } from '../classifier-metrics.js';
import { frechetDistance, meanCov } from '../frechet.js';
import { idxFolderImages, registryImages } from './images.js';

export interface SampleMetrics {
  /** Samples and real images in each set. */
  n: number;
  frechet: number;
  frechetRealVsReal: number;
  /** Share of samples the classifier puts in each class, by label name. */
  classHistogram: Record<string, number>;
  /** Classes holding at least half of a uniform share (0.5 / k) of the samples. */
  classesCovered: number;
  classAccuracy?: number;
  perClassAccuracy?: Record<string, number>;
  classifier: string;
  dataset: string;
}

/** A generator under test: n images in [0, 1] for a seed (and one intended label per image when conditional). */
export interface SampleSource {
  shape: [number, number, number];
  /** Classes of a conditional model (0 = unconditional). */
  classes: number;
  /** Its class names, checked against the classifier's so that "intended class i" means the same class. */
  labels?: string[];
  sample(n: number, seed: number, labels?: number[]): Float32Array;
}

/** The classifier's own preprocessing from its card (mean/std per channel on [0, 1] pixels), applied in place. */
function normalise(images: Float32Array, pre: Record<string, unknown> | undefined, channels: number): Float32Array {
  const mean = (pre?.mean as number[] | undefined) ?? [0];
  const std = (pre?.std as number[] | undefined) ?? [1];
  if (mean.every((m) => m === 0) && std.every((s) => s === 1)) return images;
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    out[i] = (images[i]! - (mean[c] ?? mean[0]!)) / (std[c] ?? std[0]!);
  }
  return out;
}

/** `dataset`: a registry name (its test split), or with `data` a folder of MNIST-layout t10k IDX files (recorded as given). */
type Stats = ReturnType<typeof meanCov>;
// Reference statistics per (classifier weights, real images, n): scoring several models in one process
// (the release test) featurises the real sets once.
const refCache = new Map<string, { ref: Stats; realVsReal: number }>();

export async function sampleMetrics(source: SampleSource, o: { classifier: string; dataset: string; data?: string; n?: number; seed?: number }): Promise<SampleMetrics> {
  const n = checkInt('--n', o.n ?? 1000, 2);
  const seed = checkInt('--seed', o.seed ?? 0);
  const { model: clf, card } = await loadModel(o.classifier);
  try {
    const [h, w, c] = source.shape;
    const want = clf.inputs[0]!.shape.slice(1);
    if (want.join() !== [h, w, c].join()) {
      throw invalidOption('--classifier', o.classifier, `a classifier taking ${h}×${w}×${c} images (this one takes ${want.join('×')})`);
    }
    if (source.classes && source.labels && card?.labels && source.labels.join('\n') !== card.labels.slice(0, source.classes).join('\n')) {
      throw invalidOption('--classifier', o.classifier, `a classifier whose labels start with the model's (${source.labels.join(', ')}); it has ${card.labels.join(', ')}`);
    }
    const per = h * w * c;
    const pre = card?.preprocessing;
    const feats = featureModel(clf);
    const key = JSON.stringify([o.classifier, card?.weights?.map((x) => x.sha256), o.data ?? o.dataset, n, pre]);
    let cached = refCache.get(key);
    if (!cached) {
      const real = o.data ? await idxFolderImages(o.data, 2 * n) : await registryImages(o.dataset, 'test', 2 * n);
      if (real.labels.length < 2 * n) {
        throw new DlkitError('INVALID_OPTION', `--n ${n} needs 2n = ${2 * n} test images of ${o.data ?? o.dataset}; it has ${real.labels.length}.`, {
          hint: `Use --n ${Math.floor(real.labels.length / 2)} or less.`,
        });
      }
      const stats = (from: number) => {
        const f = classifierFeatures(feats, normalise(real.images.subarray(from * per, (from + n) * per), pre, c), source.shape);
        return meanCov(f.values, f.n, f.dim);
      };
      const ref = stats(0);
      cached = { ref, realVsReal: frechetDistance(stats(n), ref) };
      refCache.set(key, cached);
    }
    const k = source.classes;
    const intended = k ? Array.from({ length: n }, (_, i) => i % k) : undefined;
    const gen = normalise(source.sample(n, seed, intended), pre, c);
    const g = classifierFeatures(feats, gen, source.shape);
    const frechet = frechetDistance(meanCov(g.values, g.n, g.dim), cached.ref);
    const m = classifierMetrics(clf, gen, source.shape, { intended });
    const names = card?.labels ?? m.classHistogram.map((_, i) => String(i));
    const kc = m.classHistogram.length;
    const out: SampleMetrics = {
      n,
      frechet: +frechet.toFixed(3),
      frechetRealVsReal: +cached.realVsReal.toFixed(3),
      classHistogram: Object.fromEntries(m.classHistogram.map((v, i) => [names[i] ?? String(i), v])),
      classesCovered: m.classHistogram.filter((v) => v >= 0.5 / kc).length,
      classifier: o.classifier,
      dataset: o.data ?? o.dataset,
    };
    if (m.classAccuracy !== undefined) {
      out.classAccuracy = +m.classAccuracy.toFixed(4);
      out.perClassAccuracy = Object.fromEntries(m.perClassAccuracy!.map((v, i) => [names[i] ?? String(i), +v.toFixed(4)]));
    }
    return out;
  } finally {
    clf.dispose();
  }
}

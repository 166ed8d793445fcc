/**
 * ImageSet: a labelled set of preprocessed images held in one Float32Array (N×H×W×C), the form
 * training, evaluation and the feature cache work on. Built from any `@dlkit/data` image dataset
 * through the model's preprocessing, so training and prediction see identical inputs.
 */
import { DlkitError, invalidOption, Rng } from '@dlkit/core';
import type { ImageExample } from '@dlkit/data';
import { type Preprocessing, preprocessPixels } from './preprocess.js';

export interface ImageSet {
  images: Float32Array;
  labels: Int32Array;
  /** Per-image [height, width, channels]. */
  shape: [number, number, number];
  classes: string[];
  length: number;
}

export function isImageSet(x: unknown): x is ImageSet {
  const o = x as ImageSet;
  return typeof o === 'object' && o !== null && o.images instanceof Float32Array && o.labels instanceof Int32Array && Array.isArray(o.shape);
}

export interface ToImageSetOptions {
  classes?: string[];
  /** Called after each example (progress). */
  onExample?: (done: number) => void;
}

/** Preprocess every example of an (async) iterable of ImageExamples into an ImageSet. */
export async function toImageSet(examples: AsyncIterable<ImageExample> | Iterable<ImageExample>, pre: Preprocessing, o: ToImageSetOptions = {}): Promise<ImageSet> {
  const [h, w] = pre.size;
  const per = h * w * pre.channels;
  let images = new Float32Array(per * 1024);
  const labels: number[] = [];
  for await (const ex of examples as AsyncIterable<ImageExample>) {
    const [eh, ew, ec] = ex.shape;
    const x = preprocessPixels({ data: ex.image, width: ew, height: eh, channels: ec }, pre);
    if ((labels.length + 1) * per > images.length) {
      const bigger = new Float32Array(images.length * 2);
      bigger.set(images);
      images = bigger;
    }
    images.set(x, labels.length * per);
    labels.push(ex.label);
    o.onExample?.(labels.length);
  }
  if (labels.length === 0) throw new DlkitError('INVALID_INPUT', 'The dataset has no images.', { hint: 'Check the path: a folder needs one subfolder per class with image files inside.' });
  const n = labels.length;
  const classes = o.classes ?? [...new Set(labels)].sort((a, b) => a - b).map(String);
  return { images: images.slice(0, n * per), labels: Int32Array.from(labels), shape: [h, w, pre.channels], classes, length: n };
}

/** Rows `idx` of a set, as a new set. */
export function subset(set: ImageSet, idx: ArrayLike<number>): ImageSet {
  const per = set.shape[0] * set.shape[1] * set.shape[2];
  const images = new Float32Array(idx.length * per);
  const labels = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i]!;
    images.set(set.images.subarray(j * per, (j + 1) * per), i * per);
    labels[i] = set.labels[j]!;
  }
  return { images, labels, shape: set.shape, classes: set.classes, length: idx.length };
}

/**
 * Seeded stratified split of example indices by label: `fraction` of each class goes to
 * validation, so a small class never ends up missing from either side. Indices come back sorted.
 */
export function splitIndices(labels: ArrayLike<number>, fraction: number, seed: number): { train: number[]; validation: number[] } {
  if (!(fraction > 0 && fraction < 1)) throw invalidOption('validationSplit', fraction, 'a fraction strictly between 0 and 1, e.g. 0.1');
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]!) ?? [];
    list.push(i);
    byClass.set(labels[i]!, list);
  }
  const tr: number[] = [];
  const va: number[] = [];
  for (const [, idx] of [...byClass].sort((a, b) => a[0] - b[0])) {
    const perm = rng.permutation(idx.length);
    const k = Math.round(idx.length * fraction);
    for (let i = 0; i < idx.length; i++) (i < k ? va : tr).push(idx[perm[i]!]!);
  }
  if (va.length === 0 || tr.length === 0) {
    throw new DlkitError('INVALID_INPUT', `validationSplit ${fraction} of ${labels.length} images leaves an empty ${va.length === 0 ? 'validation' : 'training'} set.`, {
      hint: 'Use more images or a different validationSplit.',
    });
  }
  tr.sort((a, b) => a - b);
  va.sort((a, b) => a - b);
  return { train: tr, validation: va };
}

/** splitIndices applied to a set. */
export function splitImageSet(set: ImageSet, fraction: number, seed: number): { train: ImageSet; validation: ImageSet } {
  const { train, validation } = splitIndices(set.labels, fraction, seed);
  return { train: subset(set, train), validation: subset(set, validation) };
}

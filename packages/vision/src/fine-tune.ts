/**
 * fastai `fine_tune` for ImageClassifier with a feature cache. Phase 1 (frozen base): the base
 * never changes, so its outputs are computed once and the head trains on the cached features —
 * `freezeEpochs` epochs cost one forward pass over the data instead of one per epoch. Phase 2:
 * unfreeze (all, or from `unfreezeFrom`) and train with discriminative learning rates through
 * @dlkit/train's fineTune (base at baseLr × lrMult).
 */
import { checkInt, checkNumber, createProgress, DlkitError, Rng, tf } from '@dlkit/core';
import { appendHistory, type Callback, emptyHistory, fit as fitModel, type History, progressBar, fineTune as trainFineTune } from '@dlkit/train';
import { type AugmentOptions, augmentInto, isIdentity, validateAugment } from './augment.js';
import { ImageBatches } from './batches.js';
import type { ImageClassifier, ImageData_ } from './classifier.js';
import { type ImageSet, splitImageSet } from './image-set.js';
import { HEAD_DENSE, HEAD_DROPOUT } from './transfer.js';

export interface FineTuneOptions {
  /** Epochs training only the head on the frozen base (default 1). */
  freezeEpochs?: number;
  /** Epochs after unfreezing (default 1; 0 = head only). */
  epochs?: number;
  /** Head learning rate (default 1e-3); the base gets baseLr × lrMult after unfreezing. */
  baseLr?: number;
  lrMult?: number;
  batchSize?: number;
  validationData?: ImageData_;
  validationSplit?: number;
  seed?: number;
  augment?: AugmentOptions;
  labelSmoothing?: number;
  /** Cache base features during the frozen phase (default true). */
  featureCache?: boolean;
  /** With the cache: extra augmented copies of each training image to cache (default 0). */
  cacheViews?: number;
  /** Unfreeze only from this layer on (partial unfreezing); default: the whole base. */
  unfreezeFrom?: string;
  callbacks?: Callback[];
  progress?: boolean;
}

async function features(fm: tf.LayersModel, set: ImageSet, show: boolean, batchSize = 64): Promise<{ data: Float32Array; dim: number }> {
  const [h, w, c] = set.shape;
  const per = h * w * c;
  const dim = fm.outputs[0]!.shape.slice(1).reduce((a, b) => (a as number) * (b as number), 1) as number;
  const data = new Float32Array(set.length * dim);
  const progress = createProgress({ label: 'feature cache', total: set.length, unit: 'img', mode: show ? 'auto' : 'none' });
  for (let s = 0; s < set.length; s += batchSize) {
    const b = Math.min(batchSize, set.length - s);
    const f = tf.tidy(() => fm.predict(tf.tensor4d(set.images.subarray(s * per, (s + b) * per), [b, h, w, c])) as tf.Tensor);
    data.set(await f.data(), s * dim);
    f.dispose();
    progress.update(s + b);
  }
  progress.done();
  return { data, dim };
}

function augmentedCopy(set: ImageSet, aug: Required<AugmentOptions>, rng: Rng): ImageSet {
  const [h, w, c] = set.shape;
  const per = h * w * c;
  const images = new Float32Array(set.images.length);
  for (let i = 0; i < set.length; i++) augmentInto(set.images.subarray(i * per, (i + 1) * per), images.subarray(i * per, (i + 1) * per), h, w, c, aug, rng);
  return { ...set, images };
}

function featureSet(f: { data: Float32Array; dim: number }, like: ImageSet): ImageSet {
  return { images: f.data, labels: like.labels, shape: [1, 1, f.dim], classes: like.classes, length: like.length };
}

function concatSets(sets: ImageSet[]): ImageSet {
  const n = sets.reduce((a, s) => a + s.length, 0);
  const images = new Float32Array(sets.reduce((a, s) => a + s.images.length, 0));
  const labels = new Int32Array(n);
  let io = 0;
  let lo = 0;
  for (const s of sets) {
    images.set(s.images, io);
    labels.set(s.labels, lo);
    io += s.images.length;
    lo += s.length;
  }
  return { ...sets[0]!, images, labels, length: n };
}

export async function fineTuneClassifier(clf: ImageClassifier, data: ImageData_, o: FineTuneOptions): Promise<History> {
  const base = clf.info.baseLayers;
  if (!base?.length) {
    throw new DlkitError('STATE', 'fineTune needs a transfer model: create it with ImageClassifier.fromPretrained(id, { classes }).', {
      hint: 'To train a model from scratch use fit().',
    });
  }
  const freezeEpochs = checkInt('freezeEpochs', o.freezeEpochs ?? 1, 0);
  const epochs = checkInt('epochs', o.epochs ?? 1, 0);
  const baseLr = checkNumber('baseLr', o.baseLr ?? 1e-3, 0);
  const lrMult = checkNumber('lrMult', o.lrMult ?? 0.1, 0);
  const batchSize = checkInt('batchSize', o.batchSize ?? 64, 1);
  const seed = o.seed ?? 0;
  const aug = validateAugment(o.augment ?? {});
  const cacheViews = checkInt('cacheViews', o.cacheViews ?? 0, 0);
  let train = await clf.prepare(data);
  let validation = o.validationData ? await clf.prepare(o.validationData) : undefined;
  if (!validation && o.validationSplit) ({ train, validation } = splitImageSet(train, o.validationSplit, seed));
  const k = clf.labels.length;
  const model = clf.model;
  const extra = (cbs: Callback[]) => [...cbs, ...(o.callbacks ?? []), ...(o.progress !== false ? [progressBar()] : [])];
  let history = emptyHistory();

  const useCache = o.featureCache !== false && freezeEpochs > 0;
  if (useCache) {
    const dropout = model.getLayer(HEAD_DROPOUT);
    const dense = model.getLayer(HEAD_DENSE);
    const fm = tf.model({ inputs: model.inputs, outputs: dropout.input as tf.SymbolicTensor });
    const rng = new Rng(seed + 1);
    const views = [train, ...Array.from({ length: cacheViews }, () => (isIdentity(aug) ? train : augmentedCopy(train, aug, rng)))];
    const cached: ImageSet[] = [];
    for (const v of views) cached.push(featureSet(await features(fm, v, o.progress !== false), v));
    const trainF = concatSets(cached);
    const valF = validation ? featureSet(await features(fm, validation, o.progress !== false), validation) : undefined;
    const dim = trainF.shape[2];
    // The head applied to a cached-feature input: the same layer objects, so weights are shared.
    const inp = tf.input({ shape: [1, 1, dim] });
    const flat = tf.layers.reshape({ targetShape: [dim] }).apply(inp) as tf.SymbolicTensor;
    const headOut = dense.apply(dropout.apply(flat)) as tf.SymbolicTensor;
    const head = tf.model({ inputs: inp, outputs: headOut });
    const opt = tf.train.adam(baseLr);
    head.compile({ optimizer: opt, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const batches = new ImageBatches(trainF, { batchSize, seed, labelSmoothing: o.labelSmoothing, numClasses: k });
    try {
      history = await fitModel(head, batches, {
        epochs: freezeEpochs,
        callbacks: extra([batches.epochSync()]),
        ...(valF ? { validationData: new ImageBatches(valF, { batchSize: 512, shuffle: false, numClasses: k }) } : {}),
      });
    } finally {
      opt.dispose();
      // Layers count the models built on them: this frees the reshape and releases the head
      // wrapper's hold on dropout/dense, whose weights stay with the classifier's model. (The
      // feature model `fm` is left alone: with tfjs 4.22 disposing it frees the shared base weights.)
      head.dispose();
    }
  }
  if (history.interrupted || (epochs === 0 && useCache)) return history;

  // Phase 2 (or both phases without the cache) on images, through @dlkit/train's fineTune.
  const frozen = o.unfreezeFrom !== undefined ? layersBefore(model, o.unfreezeFrom) : [];
  const saved = new Map(frozen.map((l) => [l, l.trainable] as const));
  for (const l of frozen) l.trainable = false;
  const baseNames = base.filter((n) => !frozen.some((l) => l.name === n));
  if (!model.optimizer) model.compile({ optimizer: tf.train.adam(baseLr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const batches = new ImageBatches(train, { batchSize, seed, augment: o.augment, labelSmoothing: o.labelSmoothing, numClasses: k });
  try {
    const h2 = await trainFineTune(model, batches, {
      freezeEpochs: useCache ? 0 : freezeEpochs,
      epochs,
      baseLr,
      lrMult,
      baseLayers: baseNames.length ? baseNames : base,
      callbacks: extra([batches.epochSync()]),
      ...(validation ? { validationData: new ImageBatches(validation, { batchSize: 256, shuffle: false, numClasses: k }) } : {}),
    });
    if (!useCache) return h2;
    const offset = freezeEpochs;
    for (let i = 0; i < h2.epoch.length; i++) {
      const logs: Record<string, number> = {};
      for (const [key, v] of Object.entries(h2.history)) logs[key] = v[i]!;
      appendHistory(history, h2.epoch[i]! + offset, logs);
    }
    if (h2.interrupted) history.interrupted = true;
    return history;
  } finally {
    for (const [l, t] of saved) l.trainable = t;
  }
}

function layersBefore(model: tf.LayersModel, name: string): tf.layers.Layer[] {
  const i = model.layers.findIndex((l) => l.name === name);
  if (i < 0) throw new DlkitError('INVALID_OPTION', `unfreezeFrom: no layer named "${name}"; layers are ${model.layers.map((l) => l.name).join(', ')}.`);
  return model.layers.slice(0, i);
}

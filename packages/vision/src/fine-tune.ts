/**
 * fastai `fine_tune` for ImageClassifier with a feature cache. Phase 1 (frozen base): the base
 * never changes, so its outputs are computed once and the head trains on the cached features —
 * `freezeEpochs` epochs cost one forward pass over the data instead of one per epoch. Phase 2:
 * unfreeze (all, or from `unfreezeFrom`) and train with discriminative learning rates through
 * @dlkit/train's fineTune (base at baseLr × lrMult). With `unfreezeFrom` and `cacheFrozen`, the
 * layers that stay frozen are cached too, so phase 2 trains only the unfrozen top of the network
 * on cached activations: what makes fine-tuning a 224-px ImageNet base affordable on a CPU.
 */
import { checkInt, checkNumber, createProgress, DlkitError, invalidOption, Rng, tf } from '@dlkit/core';
import { appendHistory, type Callback, emptyHistory, fit as fitModel, type History, progressBar, fineTune as trainFineTune } from '@dlkit/train';
import { type AugmentOptions, augmentInto, isIdentity, validateAugment } from './augment.js';
import { ImageBatches } from './batches.js';
import type { ImageClassifier, ImageData_ } from './classifier.js';
import { type ImageSet, splitImageSet } from './image-set.js';
import { scheduleCallbacks } from './schedule.js';
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
  /**
   * With `unfreezeFrom`: cache the outputs of the layers before it as well (the images once, plus
   * `cacheViews` augmented copies) and train the unfrozen part on those, so no epoch runs the
   * frozen layers. Augmentation then comes only from the cached views. Default false.
   */
  cacheFrozen?: boolean;
  /** Learning-rate schedule of each phase: 'constant' (default), 'cosine' or 'one-cycle' (per step). */
  schedule?: 'constant' | 'cosine' | 'one-cycle';
  callbacks?: Callback[];
  progress?: boolean;
}

/** The tensor a layer reads in the model it was built in (its first inbound node). */
function inputOf(layer: tf.layers.Layer): tf.SymbolicTensor {
  const ins = layer.inboundNodes[0]?.inputTensors ?? [];
  if (ins.length !== 1) throw new DlkitError('UNSUPPORTED', `Layer "${layer.name}" has ${ins.length} inputs; the feature cache cuts a network only where one tensor flows.`);
  return ins[0]!;
}

/**
 * Run `fm` over `train` and then `views − 1` augmented copies of it (made one at a time, so only
 * one copy of the images is alive) into one set of cached activations.
 */
async function cacheSet(fm: tf.LayersModel, train: ImageSet, views: number, aug: Required<AugmentOptions>, rng: Rng, show: boolean, label: string): Promise<ImageSet> {
  const out = fm.outputs[0]!.shape.slice(1) as number[];
  const dim = out.reduce((a, b) => a * b, 1);
  const shape: [number, number, number] = out.length === 3 ? [out[0]!, out[1]!, out[2]!] : [1, 1, dim];
  const n = train.length * views;
  const images = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  const [h, w, c] = train.shape;
  const per = h * w * c;
  const batchSize = 64;
  const progress = createProgress({ label, total: n, unit: 'img', mode: show ? 'auto' : 'none' });
  for (let v = 0; v < views; v++) {
    const set = v === 0 ? train : augmentedCopy(train, aug, rng);
    for (let s = 0; s < set.length; s += batchSize) {
      const b = Math.min(batchSize, set.length - s);
      const f = tf.tidy(() => fm.predict(tf.tensor4d(set.images.subarray(s * per, (s + b) * per), [b, h, w, c])) as tf.Tensor);
      images.set(await f.data(), (v * train.length + s) * dim);
      f.dispose();
      progress.update(v * train.length + s + b);
    }
    labels.set(train.labels, v * train.length);
  }
  progress.done();
  return { images, labels, shape, classes: train.classes, length: n };
}

function augmentedCopy(set: ImageSet, aug: Required<AugmentOptions>, rng: Rng): ImageSet {
  const [h, w, c] = set.shape;
  const per = h * w * c;
  const images = new Float32Array(set.images.length);
  for (let i = 0; i < set.length; i++) augmentInto(set.images.subarray(i * per, (i + 1) * per), images.subarray(i * per, (i + 1) * per), h, w, c, aug, rng);
  return { ...set, images };
}

/**
 * The part of `model` from layer `cut` on, applied to a new input shaped like the cut's input:
 * the same layer objects, so the weights are shared. Also returns the new graph's tensor for `feature`.
 */
function rebuildFrom(model: tf.LayersModel, cut: tf.layers.Layer, feature: tf.SymbolicTensor): { suffix: tf.LayersModel; feature: tf.SymbolicTensor } {
  const start = model.layers.indexOf(cut);
  const cutInput = inputOf(cut);
  const inp = tf.input({ shape: cutInput.shape.slice(1) as number[] });
  const map = new Map<tf.SymbolicTensor, tf.SymbolicTensor>([[cutInput, inp]]);
  for (const layer of model.layers.slice(start)) {
    const node = layer.inboundNodes[0]!;
    const ins = node.inputTensors.map((t) => {
      const m = map.get(t);
      if (!m) throw new DlkitError('UNSUPPORTED', `unfreezeFrom "${cut.name}": layer "${layer.name}" also reads a tensor from before it (a skip connection); cut at a layer every path goes through.`);
      return m;
    });
    map.set(node.outputTensors[0]!, layer.apply(ins.length === 1 ? ins[0]! : ins) as tf.SymbolicTensor);
  }
  const out = map.get(model.outputs[0]!);
  const f = map.get(feature);
  if (!out || !f) throw new DlkitError('UNSUPPORTED', `unfreezeFrom "${cut.name}" does not lead to the model's output.`);
  return { suffix: tf.model({ inputs: inp, outputs: out }), feature: f };
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

  const show = o.progress !== false;
  const cacheFrozen = o.cacheFrozen === true && o.featureCache !== false;
  if (cacheFrozen && o.unfreezeFrom === undefined) throw invalidOption('cacheFrozen', true, 'false, or set unfreezeFrom too (the layers before it are the ones cached)');
  const useCache = o.featureCache !== false && (freezeEpochs > 0 || cacheFrozen);
  const dropout = model.getLayer(HEAD_DROPOUT);
  const rng = new Rng(seed + 1);
  const views = isIdentity(aug) ? 1 : 1 + cacheViews;
  const schedule = o.schedule ?? 'constant';

  // Phase 1: the head on cached features of the frozen base.
  const trainHead = async (trainF: ImageSet, valF: ImageSet | undefined): Promise<History> => {
    const dense = model.getLayer(HEAD_DENSE);
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
      return await fitModel(head, batches, {
        epochs: freezeEpochs,
        seed,
        callbacks: extra([batches.epochSync(), ...scheduleCallbacks(schedule, baseLr, freezeEpochs, batches.size)]),
        ...(valF ? { validationData: new ImageBatches(valF, { batchSize: 512, shuffle: false, numClasses: k }) } : {}),
      });
    } finally {
      opt.dispose();
      // Layers count the models built on them: this frees the reshape and releases the head
      // wrapper's hold on dropout/dense, whose weights stay with the classifier's model. (Feature
      // models over existing layers are left alone: with tfjs 4.22 disposing one frees the shared weights.)
      head.dispose();
    }
  };

  if (cacheFrozen) {
    // Cache the frozen layers once; phase 1 and phase 2 both train on those activations.
    const cut = layerNamed(model, o.unfreezeFrom!);
    const prefix = tf.model({ inputs: model.inputs, outputs: inputOf(cut) });
    const trainP = await cacheSet(prefix, train, views, aug, rng, show, 'frozen-layer cache');
    const valP = validation ? await cacheSet(prefix, validation, 1, aug, rng, show, 'frozen-layer cache (validation)') : undefined;
    const { suffix, feature } = rebuildFrom(model, cut, inputOf(dropout));
    try {
      if (freezeEpochs > 0) {
        const fm = tf.model({ inputs: suffix.inputs, outputs: feature });
        const trainF = await cacheSet(fm, trainP, 1, aug, rng, false, 'features');
        const valF = valP ? await cacheSet(fm, valP, 1, aug, rng, false, 'features') : undefined;
        history = await trainHead(trainF, valF);
      }
      if (history.interrupted || epochs === 0) return history;
      const kept = new Set(suffix.layers.map((l) => l.name));
      const opt = tf.train.adam(baseLr);
      suffix.compile({ optimizer: opt, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const batches = new ImageBatches(trainP, { batchSize, seed, labelSmoothing: o.labelSmoothing, numClasses: k });
      try {
        const h2 = await trainFineTune(suffix, batches, {
          freezeEpochs: 0,
          epochs,
          seed,
          baseLr,
          lrMult,
          baseLayers: base.filter((n) => kept.has(n)),
          callbacks: extra([batches.epochSync(), ...scheduleCallbacks(schedule, baseLr, epochs, batches.size)]),
          ...(valP ? { validationData: new ImageBatches(valP, { batchSize: 256, shuffle: false, numClasses: k }) } : {}),
        });
        return appendPhase(history, h2, freezeEpochs);
      } finally {
        opt.dispose();
      }
    } finally {
      suffix.dispose();
    }
  }

  if (useCache) {
    const fm = tf.model({ inputs: model.inputs, outputs: inputOf(dropout) });
    const trainF = await cacheSet(fm, train, views, aug, rng, show, 'feature cache');
    const valF = validation ? await cacheSet(fm, validation, 1, aug, rng, show, 'feature cache (validation)') : undefined;
    history = await trainHead(trainF, valF);
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
      seed,
      baseLr,
      lrMult,
      baseLayers: baseNames.length ? baseNames : base,
      // Without the cache one schedule spans both phases (one fit run); with it, phase 2 alone.
      callbacks: extra([batches.epochSync(), ...scheduleCallbacks(schedule, baseLr, useCache ? epochs : freezeEpochs + epochs, batches.size)]),
      ...(validation ? { validationData: new ImageBatches(validation, { batchSize: 256, shuffle: false, numClasses: k }) } : {}),
    });
    return useCache ? appendPhase(history, h2, freezeEpochs) : h2;
  } finally {
    for (const [l, t] of saved) l.trainable = t;
  }
}

/** Phase 2's History appended to phase 1's, its epochs numbered after phase 1's. */
function appendPhase(history: History, h2: History, offset: number): History {
  for (let i = 0; i < h2.epoch.length; i++) {
    const logs: Record<string, number> = {};
    for (const [key, v] of Object.entries(h2.history)) logs[key] = v[i]!;
    appendHistory(history, h2.epoch[i]! + offset, logs);
  }
  if (h2.interrupted) history.interrupted = true;
  return history;
}

function layerNamed(model: tf.LayersModel, name: string): tf.layers.Layer {
  const l = model.layers.find((x) => x.name === name);
  if (!l) throw new DlkitError('INVALID_OPTION', `unfreezeFrom: no layer named "${name}"; layers are ${model.layers.map((x) => x.name).join(', ')}.`);
  return l;
}

function layersBefore(model: tf.LayersModel, name: string): tf.layers.Layer[] {
  return model.layers.slice(0, model.layers.indexOf(layerNamed(model, name)));
}

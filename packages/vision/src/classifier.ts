/**
 * ImageClassifier: the Keras/fastai-shaped API of @dlkit/vision (create / fromPretrained / fit /
 * fineTune / evaluate / predict / save / load / dispose). Holds one tfjs LayersModel plus what
 * the model card declares: labels, preprocessing, architecture and output kind.
 */
import { checkInt, checkNumber, DlkitError, invalidOption, type ModelCard, tf, withSeededMathRandom } from '@dlkit/core';
import type { Dataset, ImageExample } from '@dlkit/data';
import {
  type Callback,
  type ClassifierEvaluation,
  classificationReport,
  fit as fitModel,
  type History,
  type LabelScore,
  progressBar,
  type Schedule,
} from '@dlkit/train';
import { buildArchitecture } from './architectures/index.js';
import type { AugmentOptions } from './augment.js';
import { ImageBatches } from './batches.js';
import { type FineTuneOptions, fineTuneClassifier } from './fine-tune.js';
import { hooks, need } from './hooks.js';
import { type ImageSet, isImageSet, splitImageSet, toImageSet } from './image-set.js';
import { type ImageSource, toInputBatch } from './inputs.js';
import { type Preprocessing, unitPreprocessing, validatePreprocessing } from './preprocess.js';
import { scheduleCallbacks } from './schedule.js';

import { buildTransferModel, loadPretrained, type PretrainedOptions } from './transfer.js';

export const IMAGE_CLASSIFICATION = 'image-classification';

export interface ClassifierInfo {
  /** Architecture name ('cnn-small', 'mobilenet-v1', 'darknet-tiny', ...). */
  arch: string;
  labels: string[];
  preprocessing: Preprocessing;
  outputs: 'probabilities' | 'logits';
  /** Names of layers that came from a pretrained network (the base when fine-tuning). */
  baseLayers?: string[];
  /** Pretrained model this one starts from. */
  pretrained?: string;
  alpha?: number;
}

export interface CreateOptions {
  arch?: string;
  /** Number of classes, or their names. */
  classes?: number | string[];
  /** [height, width, channels] (default [28, 28, 1]). */
  inputShape?: [number, number, number];
  /** Overrides of the default preprocessing (unit scale, stretch to size). */
  preprocessing?: Partial<Preprocessing>;
  alpha?: number;
  dropout?: number;
  /** cnn-small: filters of its three conv layers (default [32, 64, 128]). */
  filters?: [number, number, number];
  /** cnn-small: batch-norm after each conv (default false). */
  batchNorm?: boolean;
  /** Seed of the weight initialisation. */
  seed?: number;
}

export type ImageData_ = ImageSet | Dataset<ImageExample> | AsyncIterable<ImageExample> | Iterable<ImageExample>;

export interface ClassifierFitOptions {
  epochs?: number;
  batchSize?: number;
  /** Peak/initial learning rate (default 1e-3, Adam). */
  lr?: number;
  /** 'constant' (default), 'cosine' (per step), 'one-cycle', or any @dlkit/train Schedule. */
  schedule?: 'constant' | 'cosine' | 'one-cycle' | Schedule;
  validationData?: ImageData_;
  /** Seeded stratified hold-out fraction of the training data (ignored with validationData). */
  validationSplit?: number;
  seed?: number;
  augment?: AugmentOptions;
  labelSmoothing?: number;
  callbacks?: Callback[];
  /** Show a progress bar / JSON progress lines (default true). */
  progress?: boolean;
  signal?: AbortSignal;
  /** Resume: first epoch to run and the History so far. */
  initialEpoch?: number;
  history?: History;
}

export type TopK = LabelScore;

export interface EvaluationReport extends ClassifierEvaluation {
  top5Accuracy?: number;
  /** Test-time augmentation used, when not 'none'. */
  tta?: Tta;
}

/** Test-time augmentation: none, or the mean of an image's and its mirror image's probabilities. */
export type Tta = 'none' | 'flip';
export const TTA_MODES: readonly Tta[] = ['none', 'flip'];

function checkTta(tta: unknown): Tta {
  if (!TTA_MODES.includes(tta as Tta)) throw invalidOption('tta', tta, TTA_MODES.join(' or '));
  return tta as Tta;
}

export class ImageClassifier {
  private disposed = false;
  /** The compiled learning rate / optimizer state lives on the model. */
  constructor(
    readonly model: tf.LayersModel,
    readonly info: ClassifierInfo,
  ) {
    if (info.labels.length !== (model.outputs[0]!.shape.at(-1) as number)) {
      throw new DlkitError('SHAPE_MISMATCH', `The model has ${model.outputs[0]!.shape.at(-1)} outputs but ${info.labels.length} labels were given.`);
    }
  }

  get labels(): string[] {
    return this.info.labels;
  }

  get preprocessing(): Preprocessing {
    return this.info.preprocessing;
  }

  /** A new model of a named architecture. */
  static async create(o: CreateOptions = {}): Promise<ImageClassifier> {
    const arch = o.arch ?? 'cnn-small';
    const labels = labelsFrom(o.classes ?? 10);
    const inputShape = o.inputShape ?? [28, 28, 1];
    if (inputShape.length !== 3 || inputShape.some((n) => !Number.isInteger(n) || n <= 0) || ![1, 3].includes(inputShape[2])) {
      throw invalidOption('inputShape', inputShape, '[height, width, 1 or 3]');
    }
    const pre = validatePreprocessing({ ...unitPreprocessing([inputShape[0], inputShape[1]], inputShape[2] as 1 | 3), ...o.preprocessing, size: [inputShape[0], inputShape[1]], channels: inputShape[2] });
    const model = withSeededMathRandom(o.seed, () => buildArchitecture(arch, { inputShape, classes: labels.length, alpha: o.alpha, dropout: o.dropout, filters: o.filters, batchNorm: o.batchNorm }));
    return new ImageClassifier(model, { arch, labels, preprocessing: pre, outputs: 'probabilities', ...(o.alpha !== undefined ? { alpha: o.alpha } : {}) });
  }

  /**
   * A published network ('darknet-tiny', 'mobilenet-v1-0.25', 'doodlenet'). With `classes` the
   * original classifier is replaced by a new head for transfer learning (then call fineTune).
   */
  static async fromPretrained(id: string, o: PretrainedOptions = {}): Promise<ImageClassifier> {
    const { model, labels, spec, preprocessing } = await loadPretrained(id, o);
    if (o.classes === undefined) {
      return new ImageClassifier(model, { arch: spec.id, labels, preprocessing, outputs: spec.outputs, pretrained: spec.id, ...(spec.alpha ? { alpha: spec.alpha } : {}) });
    }
    const newLabels = labelsFrom(o.classes);
    const transfer = withSeededMathRandom(o.seed, () => buildTransferModel(model, spec, newLabels.length, o.dropout ?? 0.2));
    return new ImageClassifier(transfer.model, {
      arch: spec.id,
      labels: newLabels,
      preprocessing,
      outputs: 'probabilities',
      baseLayers: transfer.baseLayers,
      pretrained: spec.id,
      ...(spec.alpha ? { alpha: spec.alpha } : {}),
    });
  }

  /** A directory written by save(). */
  static async load(dir: string): Promise<ImageClassifier> {
    const { model, card } = await need('load', 'ImageClassifier.load')(dir);
    return ImageClassifier.fromModel(model, card, dir);
  }

  /** Wrap a loaded model and its card (used by load and by apps that load models their own way). */
  static fromModel(model: tf.LayersModel, card: ModelCard | undefined, source: string): ImageClassifier {
    if (!card || card.task !== IMAGE_CLASSIFICATION) {
      model.dispose();
      throw new DlkitError('CORRUPT_DATA', `${source} is not a saved image classifier (model-card.json task is ${JSON.stringify(card?.task)}, expected "${IMAGE_CLASSIFICATION}").`, {
        hint: 'Pass a directory written by ImageClassifier.save() or `dlkit vision train`.',
        details: { file: source },
      });
    }
    const x = (card.extra ?? {}) as Partial<ClassifierInfo>;
    try {
      return new ImageClassifier(model, {
        arch: x.arch ?? 'custom',
        labels: card.labels ?? [],
        preprocessing: validatePreprocessing(card.preprocessing, `${source} model-card.json preprocessing`),
        outputs: x.outputs === 'logits' ? 'logits' : 'probabilities',
        ...(x.baseLayers ? { baseLayers: x.baseLayers } : {}),
        ...(x.pretrained ? { pretrained: x.pretrained } : {}),
        ...(x.alpha !== undefined ? { alpha: x.alpha } : {}),
      });
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** (Re)compile with Adam at `lr` and categorical cross-entropy on (smoothed) one-hot targets. */
  compile(lr = 1e-3): void {
    checkNumber('lr', lr, 0);
    if (this.info.outputs === 'logits') {
      throw new DlkitError('UNSUPPORTED', `${this.info.arch} outputs logits; fromPretrained(id, { classes }) gives a trainable head.`);
    }
    this.model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  }

  /** Any supported data → an ImageSet in this model's preprocessing. */
  async prepare(data: ImageData_): Promise<ImageSet> {
    if (isImageSet(data)) {
      const [h, w] = this.preprocessing.size;
      if (data.shape[0] !== h || data.shape[1] !== w || data.shape[2] !== this.preprocessing.channels) {
        throw new DlkitError('SHAPE_MISMATCH', `ImageSet images are [${data.shape}] but the model takes [${h},${w},${this.preprocessing.channels}].`, {
          hint: 'Build the set with toImageSet(examples, classifier.preprocessing).',
        });
      }
      return data;
    }
    const classes = (data as { classes?: string[] }).classes;
    return toImageSet(data as AsyncIterable<ImageExample>, this.preprocessing, classes ? { classes } : {});
  }

  private checkLabels(set: ImageSet, what: string): void {
    const k = this.labels.length;
    const bad = set.labels.findIndex((l) => l < 0 || l >= k);
    if (bad >= 0) {
      throw new DlkitError('SHAPE_MISMATCH', `${what} has label ${set.labels[bad]} but the model has ${k} classes.`, {
        hint: 'Create the classifier with classes equal to the dataset classes.',
      });
    }
  }

  /** Keras-style training on an ImageSet, dataset or iterable of ImageExamples. */
  async fit(data: ImageData_, o: ClassifierFitOptions = {}): Promise<History> {
    this.live();
    const epochs = checkInt('epochs', o.epochs ?? 10, 1);
    const lr = checkNumber('lr', o.lr ?? 1e-3, 0);
    let train = await this.prepare(data);
    let validation = o.validationData ? await this.prepare(o.validationData) : undefined;
    if (!validation && o.validationSplit) ({ train, validation } = splitImageSet(train, o.validationSplit, o.seed ?? 0));
    this.checkLabels(train, 'The training data');
    if (validation) this.checkLabels(validation, 'The validation data');
    const distinct = new Set(train.labels).size;
    if (distinct < 2) throw new DlkitError('INVALID_INPUT', `The training data has ${distinct} class; a classifier needs at least 2.`, { hint: 'Add a second class folder.' });
    if (!this.model.optimizer) this.compile(lr);
    const batches = new ImageBatches(train, { batchSize: o.batchSize ?? 64, seed: o.seed ?? 0, augment: o.augment, labelSmoothing: o.labelSmoothing, numClasses: this.labels.length });
    const callbacks: Callback[] = [batches.epochSync(), ...scheduleCallbacks(o.schedule ?? 'constant', lr, epochs, batches.size), ...(o.callbacks ?? [])];
    if (o.progress !== false) callbacks.push(progressBar());
    return fitModel(this.model, batches, {
      epochs,
      seed: o.seed ?? 0,
      callbacks,
      ...(validation ? { validationData: new ImageBatches(validation, { batchSize: 256, shuffle: false, numClasses: this.labels.length }) } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.initialEpoch !== undefined ? { initialEpoch: o.initialEpoch } : {}),
      ...(o.history ? { history: o.history } : {}),
    });
  }

  /** fastai fine_tune: head on cached frozen-base features, then unfreeze with discriminative LRs. */
  async fineTune(data: ImageData_, o: FineTuneOptions = {}): Promise<History> {
    this.live();
    return fineTuneClassifier(this, data, o);
  }

  /**
   * Class probabilities for a preprocessed set, batched ([N × K], row-major). `tta: 'flip'`
   * (fastai's test-time augmentation, for domains where flips are natural) averages the
   * probabilities of each image and its mirror image.
   */
  async probabilities(set: ImageSet, batchSize = 128, tta: Tta = 'none'): Promise<Float32Array> {
    this.live();
    checkTta(tta);
    const [h, w, c] = set.shape;
    const per = h * w * c;
    const k = this.labels.length;
    const out = new Float32Array(set.length * k);
    for (let s = 0; s < set.length; s += batchSize) {
      const b = Math.min(batchSize, set.length - s);
      const p = tf.tidy(() => this.probabilitiesOf(tf.tensor4d(set.images.subarray(s * per, (s + b) * per), [b, h, w, c]), tta));
      out.set(await p.data(), s * k);
      p.dispose();
    }
    return out;
  }

  private probabilitiesOf(x: tf.Tensor4D, tta: Tta): tf.Tensor {
    const probs = (input: tf.Tensor4D) => {
      const y = this.model.predict(input) as tf.Tensor;
      return this.info.outputs === 'logits' ? tf.softmax(y) : y;
    };
    return tta === 'flip' ? tf.mul(tf.add(probs(x), probs(tf.reverse(x, 2))), 0.5) : probs(x);
  }

  /** Accuracy, loss, per-class precision/recall/F1, confusion matrix (and top-5 with > 5 classes). */
  async evaluate(data: ImageData_, o: { batchSize?: number; tta?: Tta } = {}): Promise<EvaluationReport> {
    const set = await this.prepare(data);
    this.checkLabels(set, 'The evaluation data');
    const k = this.labels.length;
    const probs = await this.probabilities(set, o.batchSize ?? 128, o.tta ?? 'none');
    const pred = new Int32Array(set.length);
    let loss = 0;
    let top5 = 0;
    for (let i = 0; i < set.length; i++) {
      const row = probs.subarray(i * k, (i + 1) * k);
      let best = 0;
      for (let j = 1; j < k; j++) if (row[j]! > row[best]!) best = j;
      pred[i] = best;
      const truth = set.labels[i]!;
      loss -= Math.log(Math.max(row[truth]!, 1e-7));
      let higher = 0;
      for (let j = 0; j < k; j++) if (row[j]! > row[truth]!) higher++;
      if (higher < 5) top5++;
    }
    const r = classificationReport(set.labels, pred, { labels: this.labels, digits: 4 });
    return {
      accuracy: r.accuracy,
      loss: loss / set.length,
      n: set.length,
      ...(k > 5 ? { top5Accuracy: top5 / set.length } : {}),
      perClass: r.perClass,
      confusion: r.confusion,
      labels: this.labels,
      macroF1: r.macroAvg.f1,
      ...(o.tta && o.tta !== 'none' ? { tta: o.tta } : {}),
      text: r.text,
    };
  }

  /** Top-k labels for one image, or one list per image for an array. */
  async predict(input: ImageSource[], o?: { topK?: number; tta?: Tta }): Promise<TopK[][]>;
  async predict(input: ImageSource, o?: { topK?: number; tta?: Tta }): Promise<TopK[]>;
  async predict(input: ImageSource | ImageSource[], o: { topK?: number; tta?: Tta } = {}): Promise<TopK[] | TopK[][]> {
    this.live();
    const tta = checkTta(o.tta ?? 'none');
    const k = this.labels.length;
    const topK = checkInt('topK', o.topK ?? 5, 1);
    const list = Array.isArray(input) ? input : [input];
    if (list.length === 0) return [];
    const x = await toInputBatch(list, this.preprocessing);
    let probs: Float32Array;
    try {
      const p = tf.tidy(() => this.probabilitiesOf(x as tf.Tensor4D, tta));
      probs = (await p.data()) as Float32Array;
      p.dispose();
    } finally {
      x.dispose();
    }
    const results = list.map((_, i) => {
      const row = Array.from(probs.subarray(i * k, (i + 1) * k));
      return row
        .map((score, index) => ({ label: this.labels[index]!, score, index }))
        .sort((a, b) => b.score - a.score)
        .slice(0, Math.min(topK, k));
    });
    return Array.isArray(input) ? results : results[0]!;
  }

  /** The model card fields describing this classifier (labels, preprocessing, architecture). */
  cardFields(): Partial<ModelCard> & { task: string } {
    const { labels, preprocessing, ...extra } = this.info;
    return { task: IMAGE_CLASSIFICATION, labels, preprocessing: { ...preprocessing }, extra: { ...extra } };
  }

  /** model.json + weights + model-card.json (labels, preprocessing, metrics, how it was trained). */
  async save(dir: string, card: Partial<ModelCard> = {}): Promise<ModelCard> {
    this.live();
    const base = this.cardFields();
    return need('save', 'ImageClassifier.save')(this.model, dir, { ...card, ...base, extra: { ...base.extra, ...card.extra } });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.optimizer?.dispose();
    this.model.dispose();
  }

  private live(): void {
    if (this.disposed) throw new DlkitError('STATE', 'This ImageClassifier was disposed.');
  }
}

function labelsFrom(classes: number | string[]): string[] {
  if (typeof classes === 'number') return Array.from({ length: checkInt('classes', classes, 2) }, (_, i) => String(i));
  if (!Array.isArray(classes) || classes.length < 2 || classes.some((c) => typeof c !== 'string')) {
    throw invalidOption('classes', classes, 'a number ≥ 2 or an array of at least 2 class names');
  }
  if (new Set(classes).size !== classes.length) throw invalidOption('classes', classes, 'distinct class names');
  return [...classes];
}

export { hooks };

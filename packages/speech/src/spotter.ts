/**
 * KeywordSpotter: the Keras-shaped API of @dlkit/speech (create / fit / evaluate / predict /
 * detect / save / load / dispose). One tfjs LayersModel over features computed in tfjs, plus
 * what the model card declares: labels, feature settings and clip length.
 */
import { checkInt, checkNumber, DlkitError, invalidOption, type ModelCard, tf, withSeededMathRandom } from '@dlkit/core';
import type { AudioExample, Dataset } from '@dlkit/data';
import { type Callback, type ClassifierEvaluation, classificationReport, cosineDecay, fit as fitModel, type History, type LabelScore, learningRateScheduler, progressBar } from '@dlkit/train';
import { type ArchOptions, buildArchitecture } from './architectures.js';
import { type AudioInput, fitLength, readAudio } from './audio.js';
import { type AugmentOptions, resolveAugment } from './augment.js';
import { ClipBatches, featureBatch } from './batches.js';
import { type ClipSet, clip, isClipSet, splitClipSet, toClipSet } from './clip-set.js';
import { FeatureExtractor, type FeatureOptions, resolveFeatures } from './features.js';
import { need } from './hooks.js';
import { type DetectOptions, detectWith, type KeywordEvent, type WindowScorer } from './stream.js';

export const KEYWORD_SPOTTING = 'keyword-spotting';

export interface SpotterInfo {
  arch: string;
  labels: string[];
  /** Feature settings (resolved, so a loaded model computes exactly the same features). */
  features: FeatureOptions;
  /** Model input length in ms. */
  clipMs: number;
}

export interface CreateOptions {
  arch?: 'ds-cnn' | 'cnn' | string;
  classes?: number | string[];
  features?: FeatureOptions;
  /** Clip length the model sees, in ms (default 1000). */
  clipMs?: number;
  width?: number;
  dropout?: number;
  seed?: number;
}

export type AudioData = ClipSet | Dataset<AudioExample> | AsyncIterable<AudioExample> | Iterable<AudioExample>;

export interface SpotterFitOptions {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  /** 'constant' (default) or 'cosine' (per step). */
  schedule?: 'constant' | 'cosine';
  validationData?: AudioData;
  validationSplit?: number;
  seed?: number;
  augment?: AugmentOptions;
  /**
   * Background noise for augmentation: clips, or the name of a class whose training clips are
   * noise (Speech Commands' `_silence_`).
   */
  noise?: Float32Array[] | string;
  /** Keras classWeight, or 'balanced' (n / (k · count_c)); e.g. down-weight `_unknown_`. */
  classWeight?: Record<number, number> | 'balanced';
  callbacks?: Callback[];
  progress?: boolean;
  signal?: AbortSignal;
  initialEpoch?: number;
  history?: History;
}

export type TopK = LabelScore;

export type EvaluationReport = ClassifierEvaluation;

export interface PredictOptions {
  topK?: number;
  /** Rate of a bare Float32Array input. */
  inputSampleRate?: number;
}

export class KeywordSpotter {
  readonly extractor: FeatureExtractor;
  private disposed = false;

  constructor(
    readonly model: tf.LayersModel,
    readonly info: SpotterInfo,
  ) {
    const k = model.outputs[0]!.shape.at(-1) as number;
    if (info.labels.length !== k) throw new DlkitError('SHAPE_MISMATCH', `The model has ${k} outputs but ${info.labels.length} labels were given.`);
    this.extractor = new FeatureExtractor(info.features);
  }

  get labels(): string[] {
    return this.info.labels;
  }

  get sampleRate(): number {
    return this.extractor.options.sampleRate;
  }

  /** Samples per model input. */
  get clipSamples(): number {
    return Math.round((this.sampleRate * this.info.clipMs) / 1000);
  }

  static async create(o: CreateOptions = {}): Promise<KeywordSpotter> {
    const labels = labelsFrom(o.classes ?? 12);
    const clipMs = checkNumber('clipMs', o.clipMs ?? 1000, 50, 10_000);
    const { frameLength, hop, nBins: _n, ...features } = resolveFeatures(o.features);
    const samples = Math.round((features.sampleRate * clipMs) / 1000);
    const frames = samples < frameLength ? 0 : 1 + Math.floor((samples - frameLength) / hop);
    if (frames < 8) throw invalidOption('clipMs', clipMs, `a clip of at least 8 feature frames (${frames} with hopMs ${features.hopMs})`);
    const coeffs = features.kind === 'mfcc' ? features.nMfcc : features.nMels;
    const arch = o.arch ?? 'ds-cnn';
    const archOptions: ArchOptions = { inputShape: [frames, coeffs, 1], classes: labels.length, ...(o.width ? { width: o.width } : {}), ...(o.dropout !== undefined ? { dropout: o.dropout } : {}) };
    const model = withSeededMathRandom(o.seed, () => buildArchitecture(arch, archOptions));
    return new KeywordSpotter(model, { arch, labels, features, clipMs });
  }

  static async load(dir: string): Promise<KeywordSpotter> {
    const { model, card } = await need('load', 'KeywordSpotter.load')(dir);
    return KeywordSpotter.fromModel(model, card, dir);
  }

  static fromModel(model: tf.LayersModel, card: ModelCard | undefined, source: string): KeywordSpotter {
    const x = (card?.extra ?? {}) as Partial<SpotterInfo>;
    if (!card || card.task !== KEYWORD_SPOTTING || !x.features || !x.clipMs) {
      model.dispose();
      throw new DlkitError('CORRUPT_DATA', `${source} is not a saved keyword spotter (model-card.json task is ${JSON.stringify(card?.task)}, expected "${KEYWORD_SPOTTING}" with features and clipMs).`, {
        hint: 'Pass a directory written by KeywordSpotter.save() or `dlkit speech train`.',
        details: { file: source },
      });
    }
    try {
      return new KeywordSpotter(model, { arch: x.arch ?? 'custom', labels: card.labels ?? [], features: x.features, clipMs: x.clipMs });
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  compile(lr = 1e-3): void {
    checkNumber('lr', lr, 0);
    this.model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  }

  /** Any supported data → clips at this model's rate and length. */
  async prepare(data: AudioData): Promise<ClipSet> {
    if (isClipSet(data)) {
      if (data.sampleRate !== this.sampleRate || data.clipSamples !== this.clipSamples) {
        throw new DlkitError('SHAPE_MISMATCH', `ClipSet clips are ${data.clipSamples} samples at ${data.sampleRate} Hz but the model takes ${this.clipSamples} at ${this.sampleRate} Hz.`);
      }
      return data;
    }
    const classes = (data as { classes?: string[] }).classes ?? this.labels;
    return toClipSet(data as AsyncIterable<AudioExample>, { sampleRate: this.sampleRate, clipSamples: this.clipSamples, classes });
  }

  private checkLabels(set: ClipSet, what: string): void {
    const bad = set.labels.findIndex((l) => l < 0 || l >= this.labels.length);
    if (bad >= 0) throw new DlkitError('SHAPE_MISMATCH', `${what} has label ${set.labels[bad]} but the model has ${this.labels.length} classes.`, { hint: 'Create the spotter with classes equal to the dataset classes.' });
    if (set.classes.length && set.classes.join('\u0000') !== this.labels.join('\u0000')) {
      throw new DlkitError('SHAPE_MISMATCH', `${what} classes [${set.classes.join(', ')}] differ from the model labels [${this.labels.join(', ')}].`, {
        hint: 'Use the same class names in the same order (folder names are sorted).',
      });
    }
  }

  async fit(data: AudioData, o: SpotterFitOptions = {}): Promise<History> {
    this.live();
    const epochs = checkInt('epochs', o.epochs ?? 20, 1);
    const lr = checkNumber('lr', o.lr ?? 1e-3, 0);
    let train = await this.prepare(data);
    let validation = o.validationData ? await this.prepare(o.validationData) : undefined;
    if (!validation && o.validationSplit) ({ train, validation } = splitClipSet(train, checkNumber('validationSplit', o.validationSplit, 0, 0.9), o.seed ?? 0));
    this.checkLabels(train, 'The training data');
    if (validation) this.checkLabels(validation, 'The validation data');
    if (new Set(train.labels).size < 2) throw new DlkitError('INVALID_INPUT', 'The training data has fewer than 2 classes; a keyword spotter needs at least 2.');
    if (!this.model.optimizer) this.compile(lr);
    const noise = this.noiseClips(train, o.noise);
    const augment = o.augment ? resolveAugment(o.augment) : undefined;
    if (augment && augment.noiseProb > 0 && noise.length === 0) throw invalidOption('noise', o.noise, 'noise clips or a class name with training clips when augment.noiseProb > 0');
    const batches = new ClipBatches(train, this.extractor, { batchSize: o.batchSize ?? 64, seed: o.seed ?? 0, ...(augment ? { augment } : {}), noise, numClasses: this.labels.length });
    const callbacks: Callback[] = [batches.epochSync(), ...(o.callbacks ?? [])];
    if (o.schedule === 'cosine') callbacks.unshift(learningRateScheduler(cosineDecay({ initialLr: lr, decaySteps: epochs * batches.size, per: 'step' })));
    else if (o.schedule !== undefined && o.schedule !== 'constant') throw invalidOption('schedule', o.schedule, '"constant" or "cosine"');
    if (o.progress !== false) callbacks.push(progressBar());
    const classWeight = o.classWeight === 'balanced' ? balancedWeights(train.labels, this.labels.length) : o.classWeight;
    return fitModel(this.model, batches, {
      epochs,
      callbacks,
      ...(classWeight ? { classWeight } : {}),
      ...(validation ? { validationData: new ClipBatches(validation, this.extractor, { batchSize: 128, shuffle: false, numClasses: this.labels.length }) } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.initialEpoch !== undefined ? { initialEpoch: o.initialEpoch } : {}),
      ...(o.history ? { history: o.history } : {}),
    });
  }

  private noiseClips(train: ClipSet, noise: SpotterFitOptions['noise']): Float32Array[] {
    if (noise === undefined) return [];
    if (Array.isArray(noise)) return noise;
    const c = this.labels.indexOf(noise);
    if (c < 0) throw invalidOption('noise', noise, `noise clips or one of the labels (${this.labels.join(', ')})`);
    const out: Float32Array[] = [];
    for (let i = 0; i < train.length; i++) if (train.labels[i] === c) out.push(clip(train, i));
    return out;
  }

  /** Class probabilities of n clips (each exactly clipSamples long), [n × K] row-major. */
  async probabilities(waves: Float32Array, n: number, batchSize = 128): Promise<Float32Array> {
    this.live();
    const l = this.clipSamples;
    const k = this.labels.length;
    const out = new Float32Array(n * k);
    for (let s = 0; s < n; s += batchSize) {
      const b = Math.min(batchSize, n - s);
      const p = tf.tidy(() => {
        const x = featureBatch(this.extractor, waves.subarray(s * l, (s + b) * l), b, l);
        return this.model.predict(x) as tf.Tensor;
      });
      out.set(await p.data(), s * k);
      p.dispose();
    }
    return out;
  }

  async evaluate(data: AudioData, o: { batchSize?: number } = {}): Promise<EvaluationReport> {
    const set = await this.prepare(data);
    this.checkLabels(set, 'The evaluation data');
    if (set.length === 0) throw new DlkitError('INVALID_INPUT', 'The evaluation data is empty.');
    const k = this.labels.length;
    const probs = await this.probabilities(set.clips, set.length, o.batchSize ?? 128);
    const pred = new Int32Array(set.length);
    let loss = 0;
    for (let i = 0; i < set.length; i++) {
      const row = probs.subarray(i * k, (i + 1) * k);
      let best = 0;
      for (let j = 1; j < k; j++) if (row[j]! > row[best]!) best = j;
      pred[i] = best;
      loss -= Math.log(Math.max(row[set.labels[i]!]!, 1e-7));
    }
    const r = classificationReport(set.labels, pred, { labels: this.labels, digits: 4 });
    return { accuracy: r.accuracy, loss: loss / set.length, n: set.length, perClass: r.perClass, confusion: r.confusion, labels: this.labels, macroF1: r.macroAvg.f1, text: r.text };
  }

  /** Top-k labels for one clip (a longer recording is reduced to its loudest clip-length window). */
  async predict(input: AudioInput, o: PredictOptions = {}): Promise<TopK[]> {
    this.live();
    const topK = checkInt('topK', o.topK ?? 3, 1);
    const { samples } = await readAudio(input, { sampleRate: this.sampleRate, ...(o.inputSampleRate !== undefined ? { inputSampleRate: o.inputSampleRate } : {}) });
    const probs = await this.probabilities(fitLength(samples, this.clipSamples), 1);
    return Array.from(probs)
      .map((score, index) => ({ label: this.labels[index]!, score, index }))
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.min(topK, this.labels.length));
  }

  /** This model as a sliding-window scorer (for detectWith). */
  scorer(): WindowScorer {
    return { labels: this.labels, sampleRate: this.sampleRate, windowSamples: this.clipSamples, score: (w, n) => this.probabilities(w, n) };
  }

  /** Keyword events in a long recording: sliding window, smoothing, VAD gate, refractory period. */
  async detect(input: AudioInput, o: DetectOptions & { inputSampleRate?: number } = {}): Promise<KeywordEvent[]> {
    this.live();
    const { inputSampleRate, ...rest } = o;
    const { samples } = await readAudio(input, { sampleRate: this.sampleRate, ...(inputSampleRate !== undefined ? { inputSampleRate } : {}) });
    return detectWith(this.scorer(), samples, rest);
  }

  cardFields(): Partial<ModelCard> & { task: string } {
    const { labels, ...extra } = this.info;
    return { task: KEYWORD_SPOTTING, labels, preprocessing: { ...this.extractor.options, clipMs: this.info.clipMs }, extra: { ...extra } };
  }

  async save(dir: string, card: Partial<ModelCard> = {}): Promise<ModelCard> {
    this.live();
    const base = this.cardFields();
    return need('save', 'KeywordSpotter.save')(this.model, dir, { ...card, ...base, extra: { ...base.extra, ...card.extra } });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.optimizer?.dispose();
    this.model.dispose();
    this.extractor.dispose();
  }

  private live(): void {
    if (this.disposed) throw new DlkitError('STATE', 'This KeywordSpotter was disposed.');
  }
}

function balancedWeights(labels: Int32Array, k: number): Record<number, number> {
  const counts = new Array(k).fill(0);
  for (const l of labels) counts[l]++;
  const w: Record<number, number> = {};
  counts.forEach((c, i) => {
    if (c > 0) w[i] = labels.length / (k * c);
  });
  return w;
}

export function labelsFrom(classes: number | string[]): string[] {
  if (typeof classes === 'number') return Array.from({ length: checkInt('classes', classes, 2) }, (_, i) => String(i));
  if (!Array.isArray(classes) || classes.length < 2 || classes.some((c) => typeof c !== 'string')) {
    throw invalidOption('classes', classes, 'a number ≥ 2 or an array of at least 2 class names');
  }
  if (new Set(classes).size !== classes.length) throw invalidOption('classes', classes, 'distinct class names');
  return [...classes];
}


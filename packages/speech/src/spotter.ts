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
import { PRETRAINED_EMBEDDERS, type SpeechEmbedder } from './embedder.js';
import { FeatureExtractor, type FeatureOptions, resolveFeatures } from './features.js';
import { type EmbeddedSet, type EmbedOptions, embedClipSet, fitHead, isEmbeddedSet } from './fine-tune.js';
import { embeddingHead } from './head.js';
import { need } from './hooks.js';
import { type DetectOptions, detectWith, type KeywordEvent, type WindowScorer } from './stream.js';

export const KEYWORD_SPOTTING = 'keyword-spotting';

export interface SpotterInfo {
  arch: string;
  labels: string[];
  /** Feature settings (resolved, so a loaded model computes exactly the same features); absent with a pretrained embedder. */
  features?: FeatureOptions;
  /** Frozen pretrained front end ('openwakeword') whose embeddings the model (a head) reads. */
  pretrained?: string;
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

export interface FromPretrainedOptions {
  classes?: number | string[];
  /** Clip length in ms (default 1000; at most the embedder's 2000 ms context). */
  clipMs?: number;
  /** Head conv channels (default 64). */
  width?: number;
  dropout?: number;
  seed?: number;
  /** An already loaded embedder (shared, not disposed with the spotter). */
  embedder?: SpeechEmbedder;
}

export interface SpotterFineTuneOptions extends Omit<SpotterFitOptions, 'schedule' | 'validationSplit' | 'initialEpoch' | 'history' | 'validationData' | 'augment'> {
  /** Validation clips, or an already embedded set. */
  validationData?: AudioData | EmbeddedSet;
  validationSplit?: number;
  /** Waveform augmentation of the extra copies (default shift ±100 ms, gain ±6 dB, speed 0.9–1.1, noise p = 0.5 when noise is given). */
  augment?: AugmentOptions;
  /** Augmented copies per training clip, embedded once (default 0: the clips only). */
  augmentCopies?: number;
}

export type TopK = LabelScore;

export type EvaluationReport = ClassifierEvaluation;

export interface PredictOptions {
  topK?: number;
  /** Rate of a bare Float32Array input. */
  inputSampleRate?: number;
}

export class KeywordSpotter {
  /** The tfjs feature front end (undefined with a pretrained embedder). */
  readonly extractor: FeatureExtractor | undefined;
  private disposed = false;

  constructor(
    readonly model: tf.LayersModel,
    readonly info: SpotterInfo,
    /** The frozen embedder when info.pretrained is set. */
    readonly embedder?: SpeechEmbedder,
    private readonly ownsEmbedder = false,
  ) {
    const k = model.outputs[0]!.shape.at(-1) as number;
    if (info.labels.length !== k) throw new DlkitError('SHAPE_MISMATCH', `The model has ${k} outputs but ${info.labels.length} labels were given.`);
    if (info.pretrained && !embedder) throw new DlkitError('STATE', `This spotter reads ${info.pretrained} embeddings but no embedder was given.`);
    if (!info.pretrained && !info.features) throw new DlkitError('STATE', 'A keyword spotter needs feature settings or a pretrained embedder.');
    this.extractor = info.pretrained ? undefined : new FeatureExtractor(info.features);
  }

  get labels(): string[] {
    return this.info.labels;
  }

  get sampleRate(): number {
    return this.embedder ? this.embedder.sampleRate : this.extractor!.options.sampleRate;
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

  /**
   * A frozen pretrained embedder ('openwakeword': Google's speech embedding via openWakeWord's
   * ONNX models) under a new trainable head for `classes`; train it with fineTune.
   */
  static async fromPretrained(id: string, o: FromPretrainedOptions = {}): Promise<KeywordSpotter> {
    if (!(PRETRAINED_EMBEDDERS as readonly string[]).includes(id)) throw invalidOption('pretrained', id, PRETRAINED_EMBEDDERS.map((p) => `"${p}"`).join(', '));
    const labels = labelsFrom(o.classes ?? 12);
    const embedder = o.embedder ?? (await need('embedder', 'KeywordSpotter.fromPretrained')(id));
    const clipMs = checkNumber('clipMs', o.clipMs ?? 1000, 100, (embedder.contextSamples * 1000) / embedder.sampleRate);
    const model = withSeededMathRandom(o.seed ?? 0, () => embeddingHead({ frames: embedder.frames, dim: embedder.dim, classes: labels.length, ...(o.width ? { width: o.width } : {}), ...(o.dropout !== undefined ? { dropout: o.dropout } : {}) }));
    return new KeywordSpotter(model, { arch: 'embedding-head', labels, clipMs, pretrained: id }, embedder, !o.embedder);
  }

  static async load(dir: string, o: { embedder?: SpeechEmbedder } = {}): Promise<KeywordSpotter> {
    const { model, card } = await need('load', 'KeywordSpotter.load')(dir);
    const pretrained = (card?.extra as Partial<SpotterInfo> | undefined)?.pretrained;
    if (!pretrained || o.embedder) return KeywordSpotter.fromModel(model, card, dir, o.embedder);
    let embedder: SpeechEmbedder;
    try {
      embedder = await need('embedder', 'KeywordSpotter.load')(pretrained);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return KeywordSpotter.fromModel(model, card, dir, embedder, true);
  }

  static fromModel(model: tf.LayersModel, card: ModelCard | undefined, source: string, embedder?: SpeechEmbedder, ownsEmbedder = false): KeywordSpotter {
    const x = (card?.extra ?? {}) as Partial<SpotterInfo>;
    if (!card || card.task !== KEYWORD_SPOTTING || !(x.features || x.pretrained) || !x.clipMs) {
      model.dispose();
      throw new DlkitError('CORRUPT_DATA', `${source} is not a saved keyword spotter (model-card.json task is ${JSON.stringify(card?.task)}, expected "${KEYWORD_SPOTTING}" with features and clipMs).`, {
        hint: 'Pass a directory written by KeywordSpotter.save() or `dlkit speech train`.',
        details: { file: source },
      });
    }
    try {
      const info: SpotterInfo = { arch: x.arch ?? 'custom', labels: card.labels ?? [], clipMs: x.clipMs, ...(x.features ? { features: x.features } : {}), ...(x.pretrained ? { pretrained: x.pretrained } : {}) };
      if (x.pretrained && embedder && embedder.id !== x.pretrained) throw new DlkitError('SHAPE_MISMATCH', `${source} reads ${x.pretrained} embeddings but a ${embedder.id} embedder was given.`);
      return new KeywordSpotter(model, info, x.pretrained ? embedder : undefined, ownsEmbedder);
    } catch (e) {
      model.dispose();
      if (ownsEmbedder) void embedder?.dispose();
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
    if (this.embedder) throw new DlkitError('STATE', `This spotter's front end is the frozen ${this.info.pretrained} embedder: train its head with fineTune().`);
    const extractor = this.extractor!;
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
    const batches = new ClipBatches(train, extractor, { batchSize: o.batchSize ?? 64, seed: o.seed ?? 0, ...(augment ? { augment } : {}), noise, numClasses: this.labels.length });
    const callbacks: Callback[] = [batches.epochSync(), ...(o.callbacks ?? [])];
    if (o.schedule === 'cosine') callbacks.unshift(learningRateScheduler(cosineDecay({ initialLr: lr, decaySteps: epochs * batches.size, per: 'step' })));
    else if (o.schedule !== undefined && o.schedule !== 'constant') throw invalidOption('schedule', o.schedule, '"constant" or "cosine"');
    if (o.progress !== false) callbacks.push(progressBar());
    const classWeight = o.classWeight === 'balanced' ? balancedWeights(train.labels, this.labels.length) : o.classWeight;
    return fitModel(this.model, batches, {
      epochs,
      callbacks,
      ...(classWeight ? { classWeight } : {}),
      ...(validation ? { validationData: new ClipBatches(validation, extractor, { batchSize: 128, shuffle: false, numClasses: this.labels.length }) } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.initialEpoch !== undefined ? { initialEpoch: o.initialEpoch } : {}),
      ...(o.history ? { history: o.history } : {}),
    });
  }

  /** Embed clips with the frozen front end (plus augmented copies), e.g. to cache them for fineTune. */
  async embed(data: AudioData, o: EmbedOptions & { noiseClass?: string } = {}): Promise<EmbeddedSet> {
    this.live();
    if (!this.embedder) throw new DlkitError('STATE', 'embed() needs a spotter created with KeywordSpotter.fromPretrained.');
    const set = await this.prepare(data);
    this.checkLabels(set, 'The data');
    const { noiseClass, ...rest } = o;
    const noise = rest.noise ?? (noiseClass ? this.noiseClips(set, noiseClass) : undefined);
    return embedClipSet(this.embedder, set, { ...rest, ...(noise ? { noise } : {}) });
  }

  /**
   * Train the head over the frozen pretrained embedder (from fromPretrained): the clips (and
   * `augmentCopies` augmented versions) are embedded once, then the head trains on the cache.
   * Works from ~20 examples per keyword (custom wake words) up to full datasets.
   */
  async fineTune(data: AudioData | EmbeddedSet, o: SpotterFineTuneOptions = {}): Promise<History> {
    this.live();
    if (!this.embedder) throw new DlkitError('STATE', 'fineTune needs a pretrained front end: create the spotter with KeywordSpotter.fromPretrained("openwakeword", { classes }).', { hint: 'A spotter over tfjs features trains with fit().' });
    const epochs = checkInt('epochs', o.epochs ?? 40, 1);
    const lr = checkNumber('lr', o.lr ?? 1e-3, 0);
    const seed = o.seed ?? 0;
    const k = this.labels.length;
    let train: EmbeddedSet;
    let validation: EmbeddedSet | undefined;
    const vd = o.validationData;
    if (isEmbeddedSet(data)) train = data;
    else {
      let clips = await this.prepare(data);
      let heldOut: ClipSet | undefined;
      if (!vd && o.validationSplit) ({ train: clips, validation: heldOut } = splitClipSet(clips, checkNumber('validationSplit', o.validationSplit, 0, 0.9), seed));
      this.checkLabels(clips, 'The training data');
      const noise = this.noiseClips(clips, o.noise);
      const copies = o.augmentCopies ?? 0;
      const augment = { shiftMs: 100, gainDb: [-6, 6] as [number, number], speed: [0.9, 1.1] as [number, number], ...(noise.length ? { noiseProb: 0.5 } : {}), ...o.augment };
      train = await embedClipSet(this.embedder, clips, { copies, augment, noise, seed, ...(o.progress === false ? { progress: false } : {}) });
      if (heldOut) validation = await embedClipSet(this.embedder, heldOut, { seed, ...(o.progress === false ? { progress: false } : {}) });
    }
    if (vd) validation = isEmbeddedSet(vd) ? vd : await this.embed(vd, { seed, ...(o.progress === false ? { progress: false } : {}) });
    const bad = train.labels.findIndex((l) => l < 0 || l >= k);
    if (bad >= 0) throw new DlkitError('SHAPE_MISMATCH', `The training data has label ${train.labels[bad]} but the model has ${k} classes.`);
    if (new Set(train.labels).size < 2) throw new DlkitError('INVALID_INPUT', 'The training data has fewer than 2 classes; a keyword spotter needs at least 2.');
    if (!this.model.optimizer) this.compile(lr);
    const classWeight = o.classWeight === 'balanced' ? balancedWeights(train.labels, k) : o.classWeight;
    return fitHead(this.model, train, {
      epochs,
      batchSize: checkInt('batchSize', o.batchSize ?? 32, 1),
      seed,
      numClasses: k,
      ...(validation ? { validation } : {}),
      ...(classWeight ? { classWeight } : {}),
      ...(o.callbacks ? { callbacks: o.callbacks } : {}),
      ...(o.progress === false ? { progress: false } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
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
      const w = waves.subarray(s * l, (s + b) * l);
      const e = this.embedder;
      const emb = e ? await e.embedClips(w, b, l) : undefined;
      const p = tf.tidy(() => {
        const x = emb ? tf.tensor3d(emb, [b, e!.frames, e!.dim]) : featureBatch(this.extractor!, w, b, l);
        return this.model.predict(x) as tf.Tensor;
      });
      out.set(await p.data(), s * k);
      p.dispose();
    }
    return out;
  }

  /** Class probabilities of already embedded clips, [n × K] row-major. */
  async probabilitiesOfEmbedded(set: EmbeddedSet, batchSize = 256): Promise<Float32Array> {
    this.live();
    const k = this.labels.length;
    const size = set.frames * set.dim;
    const out = new Float32Array(set.length * k);
    for (let s = 0; s < set.length; s += batchSize) {
      const b = Math.min(batchSize, set.length - s);
      const p = tf.tidy(() => this.model.predict(tf.tensor3d(set.embeddings.subarray(s * size, (s + b) * size), [b, set.frames, set.dim])) as tf.Tensor);
      out.set(await p.data(), s * k);
      p.dispose();
    }
    return out;
  }

  async evaluate(data: AudioData | EmbeddedSet, o: { batchSize?: number } = {}): Promise<EvaluationReport> {
    const set = isEmbeddedSet(data) ? data : await this.prepare(data);
    if (!isEmbeddedSet(set)) this.checkLabels(set, 'The evaluation data');
    if (set.length === 0) throw new DlkitError('INVALID_INPUT', 'The evaluation data is empty.');
    const k = this.labels.length;
    const probs = isEmbeddedSet(set) ? await this.probabilitiesOfEmbedded(set) : await this.probabilities(set.clips, set.length, o.batchSize ?? 128);
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

  /**
   * Keyword events in a long recording: sliding window, smoothing, VAD gate, refractory period.
   * `vad: 'silero'` (Node) gates with the Silero VAD model instead of the energy threshold.
   */
  async detect(input: AudioInput, o: Omit<DetectOptions, 'vad'> & { vad?: DetectOptions['vad'] | 'silero'; inputSampleRate?: number } = {}): Promise<KeywordEvent[]> {
    this.live();
    const { inputSampleRate, vad, ...rest } = o;
    const { samples } = await readAudio(input, { sampleRate: this.sampleRate, ...(inputSampleRate !== undefined ? { inputSampleRate } : {}) });
    if (vad !== 'silero') return detectWith(this.scorer(), samples, { ...rest, ...(vad !== undefined ? { vad } : {}) });
    const v = await need('vad', 'detect({ vad: "silero" })')('silero');
    try {
      return await detectWith(this.scorer(), samples, { ...rest, vad: v.gate });
    } finally {
      await v.dispose();
    }
  }

  cardFields(): Partial<ModelCard> & { task: string } {
    const { labels, ...extra } = this.info;
    const e = this.embedder;
    const preprocessing = e
      ? { sampleRate: e.sampleRate, embedder: e.id, contextMs: (e.contextSamples * 1000) / e.sampleRate, embeddingFrames: e.frames, embeddingDim: e.dim, clipMs: this.info.clipMs }
      : { ...this.extractor!.options, clipMs: this.info.clipMs };
    return { task: KEYWORD_SPOTTING, labels, preprocessing, extra: { ...extra } };
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
    this.extractor?.dispose();
    if (this.ownsEmbedder) void this.embedder?.dispose();
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


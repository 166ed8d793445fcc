/**
 * SentimentClassifier: tokenizer + tfjs text model + labels, with the shared dlkit API shape
 * (create / fit / evaluate / predict / save / load / dispose). Browser-safe; save/load import
 * the Node file IO lazily.
 *
 * Long inputs: ids are truncated to `maxLength`, keeping a quarter from the head and the rest
 * from the tail by default ('head+tail'), since reviews often end with the verdict.
 */
import { checkInt, checkNumber, DlkitError, invalidOption, Rng, tf, withSeededMathRandom } from '@dlkit/core';
import type { TextExample } from '@dlkit/data';
import { accuracy, type Callback, confusionMatrix, cosineDecay, fit, type History, learningRateScheduler, precisionRecallF1 } from '@dlkit/train';
import { bucketedSource, idBatch } from './batches.js';
import { EmbeddingCache } from './embedding-cache.js';
import type { TextEmbedder } from './embedding-head.js';
import { embeddingMatrix, type WordVectors } from './embeddings.js';
import { buildTextModel, resolveSpec, STATIC_EMBEDDING, type TextArch, type TextModelSpec } from './models/build.js';
import { tokenizerFromJSON } from './tokenizers/from-json.js';
import { TRUNCATIONS, type Truncation } from './tokenizers/truncate.js';
import type { Tokenizer, TokenizerJSON } from './tokenizers/types.js';
import { WordTokenizer, type WordTokenizerOptions } from './tokenizers/word.js';

export const SENTIMENT_TASK = 'sentiment-analysis';

export interface SentimentClassifierOptions extends Omit<Partial<TextModelSpec>, 'vocabSize' | 'numClasses'> {
  /** Class names, index = label id (default ['negative', 'positive']). */
  labels?: string[];
  /** A ready tokenizer (e.g. WordPiece from tokenizer.json), or options to learn a word vocabulary in fit(). */
  tokenizer?: Tokenizer | WordTokenizerOptions;
  /** Which ids to keep from inputs longer than maxLength (default 'head+tail'). */
  truncation?: Truncation;
  /** A pretrained Transformer encoder (pretrainMlm): its weights are copied into the classifier by layer name. Pass its tokenizer too. */
  encoder?: tf.LayersModel;
  /**
   * The sentence encoder of a hybrid model (`sentenceEncoder` in the spec), e.g. a loaded
   * UniversalSentenceEncoder. Optional in Node, where the named encoder is loaded on first use.
   */
  sentenceEmbedder?: TextEmbedder;
  /** Pretrained vectors for the word embedding (word tokenizer only); dim must equal embeddingDim. */
  wordVectors?: WordVectors;
  /**
   * Also give up to this many words of `wordVectors` (in their order: most frequent first for
   * word2vec output) a vocabulary row when the training text lacks them, so test words never
   * seen with a label keep their pretrained vector instead of becoming [UNK] (default 0).
   */
  vectorVocab?: number;
  /**
   * Keep the pretrained word vectors fixed (Kim 2014's CNN-static): words only the vectors know
   * (vectorVocab) stay in the space the model was trained in, and a step skips the embedding's
   * dense gradient and Adam update (≈ 3× less CPU per step for the SST-2 CNN). Needs wordVectors.
   */
  freezeEmbeddings?: boolean;
  seed?: number;
}

export interface TextFitOptions {
  epochs?: number;
  /** Epochs already done (resume): training runs epochs initialEpoch..epochs-1. */
  initialEpoch?: number;
  batchSize?: number;
  learningRate?: number;
  validationData?: readonly TextExample[];
  /** 'cosine': the LR decays per step from learningRate to 0 over the run's epochs (default 'constant'). */
  schedule?: 'constant' | 'cosine';
  callbacks?: Callback[];
  seed?: number;
  signal?: AbortSignal;
}

export interface SentimentPrediction {
  label: string;
  score: number;
  /** Probability of every label. */
  scores: Record<string, number>;
}

export interface SentimentReport {
  accuracy: number;
  /** Binary: F1 of the positive class (label 1); more classes: macro F1. */
  f1: number;
  n: number;
  /** confusion[true][predicted]. */
  confusion: number[][];
  labels: string[];
}

/** What `save` stores in model-card.json and `load` needs back. */
export interface SentimentState {
  labels: string[];
  spec: Required<TextModelSpec>;
  tokenizer: TokenizerJSON;
  truncation: Truncation;
}

function isTokenizer(t: unknown): t is Tokenizer {
  return typeof t === 'object' && t !== null && typeof (t as Tokenizer).encode === 'function';
}

function checkText(t: unknown, where: string): string {
  if (typeof t !== 'string') throw new DlkitError('INVALID_INPUT', `${where} is ${typeof t}, not a string.`, { hint: 'Pass text as a string or an array of strings.' });
  if (t.trim() === '') throw new DlkitError('INVALID_INPUT', `${where} is empty.`, { hint: 'Remove empty texts; there is nothing to classify.' });
  return t;
}

export class SentimentClassifier {
  private modelRef?: tf.LayersModel;
  private tok?: Tokenizer;
  private disposed = false;
  private embedder?: TextEmbedder;
  /** Whether this classifier loaded `embedder` itself (and so disposes it). */
  private ownsEmbedder = false;
  private readonly sentenceCache = new EmbeddingCache();
  readonly labels: string[];
  readonly truncation: Truncation;
  private spec: Omit<TextModelSpec, 'vocabSize'> & { arch: TextArch };

  private constructor(
    private readonly options: SentimentClassifierOptions,
    state?: { model: tf.LayersModel; tokenizer: Tokenizer; spec: Required<TextModelSpec> },
  ) {
    this.labels = options.labels ?? ['negative', 'positive'];
    if (!Array.isArray(this.labels) || this.labels.length < 2 || this.labels.some((l) => typeof l !== 'string' || l === '')) {
      throw invalidOption('labels', options.labels, 'an array of at least 2 non-empty class names');
    }
    this.truncation = options.truncation ?? 'head+tail';
    if (!TRUNCATIONS.includes(this.truncation)) throw invalidOption('truncation', this.truncation, TRUNCATIONS.join(' | '));
    if (options.vectorVocab !== undefined) {
      checkInt('vectorVocab', options.vectorVocab, 0);
      if (options.vectorVocab > 0 && !options.wordVectors) throw invalidOption('vectorVocab', options.vectorVocab, '0 unless wordVectors are given (the extra words come from them)');
    }
    if (options.freezeEmbeddings !== undefined && typeof options.freezeEmbeddings !== 'boolean') throw invalidOption('freezeEmbeddings', options.freezeEmbeddings, 'true or false');
    if (options.multichannel && !options.wordVectors) throw invalidOption('multichannel', true, 'false unless wordVectors are given (its frozen channel holds them)');
    if (options.wordVectors && options.arch === 'sentence') throw invalidOption('wordVectors', 'given', "none with arch 'sentence' (it reads no words)");
    if (options.freezeEmbeddings && !options.wordVectors) throw invalidOption('freezeEmbeddings', true, 'false unless wordVectors are given (a frozen random embedding learns nothing)');
    const { labels: _l, tokenizer: _t, truncation: _tr, wordVectors: _w, vectorVocab: _v, freezeEmbeddings: _f, seed: _s, encoder: _e, sentenceEmbedder, ...spec } = options;
    this.embedder = sentenceEmbedder;
    this.spec = { ...spec, arch: spec.arch ?? 'fasttext', numClasses: this.labels.length };
    // Validate the model options now (with a placeholder vocabulary) so typos fail before fit();
    // a loaded model's spec was resolved when it was saved.
    if (!state) resolveSpec({ ...this.spec, vocabSize: 1 });
    if (state) {
      this.modelRef = state.model;
      this.tok = state.tokenizer;
      this.spec = state.spec;
    } else if (isTokenizer(options.tokenizer)) this.tok = options.tokenizer;
  }

  /** A new, untrained classifier; the vocabulary is learned (and the model built) by fit(). */
  static async create(options: SentimentClassifierOptions = {}): Promise<SentimentClassifier> {
    return new SentimentClassifier(options);
  }

  /** Internal (used by load): wraps a saved model and its card state. */
  static fromState(model: tf.LayersModel, state: SentimentState, options: { sentenceEmbedder?: TextEmbedder } = {}): SentimentClassifier {
    return new SentimentClassifier({ labels: state.labels, truncation: state.truncation, arch: state.spec.arch, sentenceEmbedder: options.sentenceEmbedder }, { model, tokenizer: tokenizerFromJSON(state.tokenizer), spec: state.spec });
  }

  /** Loads a classifier saved with save() (Node: a directory). */
  static async load(dir: string): Promise<SentimentClassifier> {
    const { loadClassifier } = await import('./node/save.js');
    return loadClassifier(dir);
  }

  get model(): tf.LayersModel {
    this.alive();
    if (!this.modelRef) throw new DlkitError('STATE', 'The classifier has no model yet.', { hint: 'Call fit() first, or load() a saved classifier.' });
    return this.modelRef;
  }

  get tokenizer(): Tokenizer {
    this.alive();
    if (!this.tok) throw new DlkitError('STATE', 'The classifier has no tokenizer yet.', { hint: 'Call fit() first (it learns the vocabulary), or pass options.tokenizer.' });
    return this.tok;
  }

  get maxLength(): number {
    return resolveSpec({ ...this.spec, vocabSize: 1 }).maxLength;
  }

  /** Everything save() needs to rebuild this classifier. */
  state(): SentimentState {
    return { labels: this.labels, spec: resolveSpec({ ...this.spec, vocabSize: this.tokenizer.vocabSize }), tokenizer: this.tokenizer.toJSON(), truncation: this.truncation };
  }

  /** Token ids of one text, as the model sees them. */
  encode(text: string): number[] {
    const ids = this.tokenizer.encode(checkText(text, 'text'), { maxLength: this.maxLength, truncation: this.truncation, addCls: this.spec.arch === 'transformer' });
    // A text of only unknown words still needs one id, or the bag/attention would be empty.
    return ids.length ? ids : [this.tokenizer.unkId];
  }

  private checkExamples(data: readonly TextExample[], where: string): void {
    if (!Array.isArray(data) || data.length === 0) throw new DlkitError('INVALID_INPUT', `${where}: no examples.`, { hint: 'Pass an array of {text, label}.' });
    data.forEach((e, i) => {
      checkText(e?.text, `${where}[${i}].text`);
      if (!Number.isInteger(e.label) || e.label < 0 || e.label >= this.labels.length) {
        throw new DlkitError('INVALID_INPUT', `${where}[${i}].label is ${JSON.stringify(e.label)}; expected a class index in [0, ${this.labels.length}) (${this.labels.join(', ')}).`);
      }
    });
  }

  /** Learns the vocabulary (first call), builds the model (first call) and trains it. */
  async fit(train: readonly TextExample[], options: TextFitOptions = {}): Promise<History> {
    this.alive();
    this.checkExamples(train, 'fit data');
    if (options.validationData) this.checkExamples(options.validationData, 'validationData');
    const epochs = checkInt('epochs', options.epochs ?? 5, 1);
    const batchSize = checkInt('batchSize', options.batchSize ?? 64, 1);
    const lr = checkNumber('learningRate', options.learningRate ?? (this.spec.arch === 'transformer' ? 5e-4 : 3e-3), 0);
    const seed = options.seed ?? this.options.seed ?? 0;
    if (!this.tok) {
      const tok = WordTokenizer.fit(train.map((e) => e.text), (this.options.tokenizer as WordTokenizerOptions | undefined) ?? { minFrequency: 2 });
      const extra = this.options.vectorVocab ?? 0;
      this.tok = extra > 0 && this.options.wordVectors ? tok.withWords(this.options.wordVectors.vectors.keys(), extra) : tok;
    }
    if (!this.modelRef) this.modelRef = this.build(seed);
    const model = this.modelRef;
    // A fresh Adam per fit() call; the previous one's slot variables are freed.
    model.optimizer?.dispose();
    model.compile({ optimizer: tf.train.adam(lr), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const ids = train.map((e) => this.encode(e.text));
    const source = bucketedSource(
      ids,
      train.map((e) => e.label),
      batchSize,
      seed,
      await this.sentenceVectors(train.map((e) => e.text)),
      model.inputNames,
    );
    const val = options.validationData;
    const validationData = val
      ? bucketedSource(
          val.map((e) => this.encode(e.text)),
          val.map((e) => e.label),
          256,
          undefined,
          await this.sentenceVectors(val.map((e) => e.text)),
          model.inputNames,
        )
      : undefined;
    const schedule = options.schedule ?? 'constant';
    if (schedule !== 'constant' && schedule !== 'cosine') throw invalidOption('schedule', schedule, "'constant' | 'cosine'");
    // Per step over all epochs, so a resumed run (initialEpoch > 0) continues on the same curve.
    const callbacks = schedule === 'cosine' ? [learningRateScheduler(cosineDecay({ initialLr: lr, decaySteps: epochs * Math.ceil(ids.length / batchSize), per: 'step' })), ...(options.callbacks ?? [])] : options.callbacks;
    return fit(model, source, { epochs, initialEpoch: options.initialEpoch, validationData, callbacks, signal: options.signal, seed });
  }

  private build(seed: number): tf.LayersModel {
    const tok = this.tokenizer;
    // tfjs initialisers draw their seeds from Math.random: seeded, the same seed builds the same model.
    const model = withSeededMathRandom(seed, () => buildTextModel({ ...this.spec, vocabSize: tok.vocabSize }));
    const enc = this.options.encoder;
    if (enc) {
      if (!['transformer', 'bigru', 'bilstm'].includes(this.spec.arch)) throw invalidOption('encoder', 'given', "only with arch 'transformer' (pretrain --objective mlm) or 'bigru'/'bilstm' (pretrain --objective lm)");
      for (const layer of enc.layers) {
        const weights = layer.getWeights();
        if (!weights.length) continue;
        const target = model.layers.find((l) => l.name === layer.name);
        const shapes = target?.getWeights().map((w) => w.shape.join('x'));
        if (!target || shapes?.join() !== weights.map((w) => w.shape.join('x')).join()) {
          throw new DlkitError('SHAPE_MISMATCH', `Pretrained encoder layer ${layer.name} does not fit the classifier (${shapes ?? 'missing'} vs ${weights.map((w) => w.shape.join('x'))}).`, {
            hint: 'Fine-tune with the spec and tokenizer stored in the encoder\'s model card.',
          });
        }
        target.setWeights(weights);
      }
    }
    const wv = this.options.wordVectors;
    if (wv) {
      if (!(tok instanceof WordTokenizer)) throw invalidOption('wordVectors', 'given', 'only with the word-level tokenizer');
      const spec = resolveSpec({ ...this.spec, vocabSize: tok.vocabSize });
      if (wv.dim !== spec.embeddingDim) throw invalidOption('embeddingDim', spec.embeddingDim, `${wv.dim} (the dimension of the word vectors)`);
      const layer = model.getLayer('embedding');
      const [w] = layer.getWeights();
      const words = [...tok.words, ...new Array(tok.vocabSize - tok.words.length).fill('')];
      const { matrix } = embeddingMatrix(words, wv, seed);
      // n-gram rows keep their random init: copy only the word rows.
      const init = w!.dataSync().slice() as Float32Array;
      init.set(matrix.subarray(0, tok.words.length * wv.dim));
      const t = tf.tensor2d(init, w!.shape as [number, number]);
      layer.setWeights([t]); // assigns a copy
      if (spec.multichannel) model.getLayer(STATIC_EMBEDDING).setWeights([t]);
      t.dispose();
      // Saved in model.json's layer config, so a resumed run stays frozen.
      if (this.options.freezeEmbeddings) layer.trainable = false;
    }
    return model;
  }

  /** The spec's sentence encoder, or undefined for models that read only ids. */
  get sentenceEncoder(): string | undefined {
    const name = this.spec.sentenceEncoder ?? 'none';
    return name === 'none' ? undefined : name;
  }

  /** The sentence encoder passed in the options (one the classifier loaded itself is private to it, as it disposes it). */
  get sentenceEmbedder(): TextEmbedder | undefined {
    return this.ownsEmbedder ? undefined : this.embedder;
  }

  /** Sentence-encoder vectors of `texts` (hybrid models only; undefined otherwise). */
  private async sentenceVectors(texts: readonly string[]): Promise<Float32Array[] | undefined> {
    const name = this.sentenceEncoder;
    if (!name) return undefined;
    if (!this.embedder) {
      // Node: the named encoder, with a disk cache of its vectors (DLKIT_CACHE_DIR/sentence-vectors).
      const { diskCachedEmbedder, loadSentenceEncoder } = await import('./node/sentence-encoder.js');
      this.embedder = diskCachedEmbedder(await loadSentenceEncoder(name as 'use-lite'));
      this.ownsEmbedder = true;
    }
    const embedder = this.embedder;
    return this.sentenceCache.get(texts, (missing) => embedder.embed(missing));
  }

  /** Class probabilities [n, classes] for texts, in input order. */
  async scores(texts: readonly string[], batchSize = 128): Promise<Float32Array> {
    const model = this.model;
    const ids = texts.map((t, i) => {
      checkText(t, texts.length === 1 ? 'text' : `texts[${i}]`);
      return this.encode(t);
    });
    const k = this.labels.length;
    const out = new Float32Array(texts.length * k);
    const sentences = await this.sentenceVectors(texts);
    // Sort by length so each batch pads little; write results back in input order.
    const order = ids.map((_, i) => i).sort((a, b) => ids[a]!.length - ids[b]!.length);
    for (let s = 0; s < order.length; s += batchSize) {
      const idx = order.slice(s, s + batchSize);
      const { xs, ys } = idBatch(
        idx.map((i) => ids[i]!),
        undefined,
        sentences && idx.map((i) => sentences[i]!),
        model.inputNames,
      );
      const p = model.predict(xs as tf.Tensor) as tf.Tensor;
      const data = await p.data();
      tf.dispose([xs as tf.Tensor, ys as tf.Tensor, p]);
      idx.forEach((i, j) => { out.set(data.subarray(j * k, (j + 1) * k), i * k); });
    }
    return out;
  }

  /** `{label, score}` for one text, or an array of them for an array of texts. */
  async predict(text: string): Promise<SentimentPrediction>;
  async predict(texts: readonly string[]): Promise<SentimentPrediction[]>;
  async predict(input: string | readonly string[]): Promise<SentimentPrediction | SentimentPrediction[]> {
    const texts = typeof input === 'string' ? [input] : input;
    if (!Array.isArray(texts)) throw new DlkitError('INVALID_INPUT', `predict expects a string or an array of strings, got ${typeof input}.`);
    if (texts.length === 0) return [];
    const s = await this.scores(texts);
    const k = this.labels.length;
    const preds = texts.map((_, i) => {
      const row = s.subarray(i * k, (i + 1) * k);
      let best = 0;
      for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
      return { label: this.labels[best]!, score: row[best]!, scores: Object.fromEntries(this.labels.map((l, c) => [l, row[c]!])) };
    });
    return typeof input === 'string' ? preds[0]! : preds;
  }

  /** Accuracy, F1, n and the confusion matrix on labelled examples. */
  async evaluate(data: readonly TextExample[]): Promise<SentimentReport> {
    this.checkExamples(data, 'evaluate data');
    const k = this.labels.length;
    const s = await this.scores(data.map((e) => e.text));
    const pred = data.map((_, i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if (s[i * k + c]! > s[i * k + best]!) best = c;
      return best;
    });
    const truth = data.map((e) => e.label);
    const f1 = k === 2 ? precisionRecallF1(truth, pred, { average: 'none', numClasses: k }).f1[1]! : precisionRecallF1(truth, pred, { numClasses: k }).f1;
    return { accuracy: accuracy(truth, pred), f1, n: data.length, confusion: confusionMatrix(truth, pred, { numClasses: k }), labels: this.labels };
  }

  /** Saves model.json + weights + model-card.json (labels, tokenizer, preprocessing). Node only. */
  async save(dir: string, card: import('./node/save.js').SaveCardExtra = {}): Promise<void> {
    const { saveClassifier } = await import('./node/save.js');
    await saveClassifier(this, dir, card);
  }

  dispose(): void {
    if (this.disposed) return;
    // model.dispose() frees an optimizer only when compiled from a string; ours is an instance.
    this.modelRef?.optimizer?.dispose();
    this.modelRef?.dispose();
    if (this.ownsEmbedder) (this.embedder as { dispose?: () => void } | undefined)?.dispose?.();
    this.sentenceCache.clear();
    this.disposed = true;
  }

  private alive(): void {
    if (this.disposed) throw new DlkitError('STATE', 'This classifier was disposed.', { hint: 'Create or load a new one.' });
  }
}

/** Seeded shuffled copy (used by the CLI to hold out data reproducibly). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  return new Rng(seed).shuffle(items.slice());
}

/**
 * Fine-tuning path 1: a frozen transformers.js encoder → cached sentence embeddings → a trainable
 * tfjs head (logistic regression, or one hidden layer). The encoder runs once per distinct text
 * (cache), so epochs cost only the head. Browser-safe.
 */
import { checkInt, checkNumber, DlkitError, invalidOption, tf } from '@dlkit/core';
import type { TextExample } from '@dlkit/data';
import { accuracy, confusionMatrix, fit, type History, precisionRecallF1 } from '@dlkit/train';
import type { SentimentReport } from './classifier.js';
import { EmbeddingCache } from './embedding-cache.js';
import type { EmbedOptions } from './hf.js';

/** Anything that turns texts into vectors (HfFeatureExtractor, or your own). */
export interface TextEmbedder {
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

export interface EmbeddingClassifierOptions {
  labels?: string[];
  /** Hidden units of the head (0 = logistic regression; default 0). */
  hidden?: number;
  pooling?: EmbedOptions['pooling'];
}

export class EmbeddingClassifier {
  readonly labels: string[];
  private readonly cache = new EmbeddingCache();
  private head?: tf.LayersModel;

  constructor(
    private readonly embedder: TextEmbedder,
    private readonly options: EmbeddingClassifierOptions = {},
  ) {
    this.labels = options.labels ?? ['negative', 'positive'];
    if (this.labels.length < 2) throw invalidOption('labels', this.labels, 'at least 2 class names');
    checkInt('hidden', options.hidden ?? 0, 0);
  }

  /** Embeddings of `texts` (encoder run only for texts not seen before). */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return this.cache.get(texts, (missing) => this.embedder.embed(missing, { pooling: this.options.pooling }), 64);
  }

  private async matrix(texts: readonly string[]): Promise<tf.Tensor2D> {
    const vecs = await this.embed(texts);
    const d = vecs[0]!.length;
    const data = new Float32Array(vecs.length * d);
    vecs.forEach((v, i) => {
      data.set(v, i * d);
    });
    return tf.tensor2d(data, [vecs.length, d]);
  }

  async fit(train: readonly TextExample[], options: { epochs?: number; batchSize?: number; learningRate?: number; seed?: number } = {}): Promise<History> {
    if (!train.length) throw new DlkitError('INVALID_INPUT', 'EmbeddingClassifier.fit: no examples.');
    const x = await this.matrix(train.map((e) => e.text));
    const y = tf.tensor1d(
      train.map((e) => e.label),
      'float32',
    );
    try {
      if (!this.head) {
        const input = tf.input({ shape: [x.shape[1]] });
        let h: tf.SymbolicTensor = input;
        const hidden = this.options.hidden ?? 0;
        if (hidden > 0) h = tf.layers.dense({ units: hidden, activation: 'relu' }).apply(h) as tf.SymbolicTensor;
        const out = tf.layers.dense({ units: this.labels.length, activation: 'softmax' }).apply(h) as tf.SymbolicTensor;
        this.head = tf.model({ inputs: input, outputs: out });
      }
      this.head.optimizer?.dispose();
      this.head.compile({ optimizer: tf.train.adam(checkNumber('learningRate', options.learningRate ?? 1e-2, 0)), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return await fit(this.head, x, y, { epochs: options.epochs ?? 20, batchSize: options.batchSize ?? 32, seed: options.seed ?? 0 });
    } finally {
      tf.dispose([x, y]);
    }
  }

  private async probs(texts: readonly string[]): Promise<Float32Array> {
    if (!this.head) throw new DlkitError('STATE', 'EmbeddingClassifier has no head yet.', { hint: 'Call fit() first.' });
    const x = await this.matrix(texts);
    const p = this.head.predict(x) as tf.Tensor;
    const data = (await p.data()) as Float32Array;
    tf.dispose([x, p]);
    return data;
  }

  async predict(texts: readonly string[]): Promise<{ label: string; score: number }[]> {
    const k = this.labels.length;
    const p = await this.probs(texts);
    return texts.map((_, i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + best]!) best = c;
      return { label: this.labels[best]!, score: p[i * k + best]! };
    });
  }

  async evaluate(data: readonly TextExample[]): Promise<SentimentReport> {
    const preds = await this.predict(data.map((e) => e.text));
    const pred = preds.map((p) => this.labels.indexOf(p.label));
    const truth = data.map((e) => e.label);
    const k = this.labels.length;
    const f1 = k === 2 ? precisionRecallF1(truth, pred, { average: 'none', numClasses: k }).f1[1]! : precisionRecallF1(truth, pred, { numClasses: k }).f1;
    return { accuracy: accuracy(truth, pred), f1, n: data.length, confusion: confusionMatrix(truth, pred, { numClasses: k }), labels: this.labels };
  }

  get model(): tf.LayersModel | undefined {
    return this.head;
  }

  dispose(): void {
    this.head?.optimizer?.dispose();
    this.head?.dispose();
    this.head = undefined;
    this.cache.clear();
  }
}

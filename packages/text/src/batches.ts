/**
 * Id sequences → `{xs, ys}` tensor batches for train's `fit`: length-bucketed (little padding),
 * reshuffled every epoch from `seed + epoch` so a run is reproducible.
 */
import { tf } from '@dlkit/core';
import type { Batch, BatchSource } from '@dlkit/train';
import { bucketBatches } from './tokenizers/bucket.js';
import { padSequences } from './tokenizers/truncate.js';

/**
 * `sentences` (hybrid models): one sentence-encoder vector per sequence. `inputs`: the model's
 * input names in order (default: 'ids', then 'sentence' when vectors are given) — a model of
 * arch 'sentence' reads only 'sentence'.
 */
export function idBatch(seqs: readonly (readonly number[])[], labels?: readonly number[], sentences?: readonly Float32Array[], inputs?: readonly string[]): Batch {
  const names = inputs ?? (sentences ? ['ids', 'sentence'] : ['ids']);
  const ys = labels ? tf.tensor1d(labels.slice(), 'float32') : tf.zeros([seqs.length]);
  const xs = names.map((name) => {
    if (name === 'sentence' && sentences) {
      const dim = sentences[0]?.length ?? 0;
      const flat = new Float32Array(sentences.length * dim);
      sentences.forEach((v, i) => {
        flat.set(v, i * dim);
      });
      return tf.tensor2d(flat, [sentences.length, dim]);
    }
    const { data, shape } = padSequences(seqs);
    return tf.tensor2d(data, shape, 'int32');
  });
  return { xs: xs.length === 1 ? xs[0]! : xs, ys };
}

/** A re-iterable BatchSource; `seed` undefined = fixed order (evaluation). */
export function bucketedSource(ids: readonly number[][], labels: readonly number[], batchSize: number, seed?: number, sentences?: readonly Float32Array[], inputs?: readonly string[]): BatchSource {
  const lengths = ids.map((s) => s.length);
  let epoch = 0;
  const size = Math.ceil(ids.length / batchSize);
  return {
    size,
    *[Symbol.iterator]() {
      const order = bucketBatches(lengths, { batchSize, seed: seed === undefined ? undefined : seed + epoch++ });
      for (const b of order) yield idBatch(b.map((i) => ids[i]!), b.map((i) => labels[i]!), sentences && b.map((i) => sentences[i]!), inputs);
    },
  };
}

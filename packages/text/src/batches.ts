/**
 * Id sequences → `{xs, ys}` tensor batches for train's `fit`: length-bucketed (little padding),
 * reshuffled every epoch from `seed + epoch` so a run is reproducible.
 */
import { tf } from '@dlkit/core';
import type { Batch, BatchSource } from '@dlkit/train';
import { bucketBatches } from './tokenizers/bucket.js';
import { padSequences } from './tokenizers/truncate.js';

export function idBatch(seqs: readonly (readonly number[])[], labels?: readonly number[]): Batch {
  const { data, shape } = padSequences(seqs);
  const xs = tf.tensor2d(data, shape, 'int32');
  const ys = labels ? tf.tensor1d(labels.slice(), 'float32') : tf.zeros([seqs.length]);
  return { xs, ys };
}

/** A re-iterable BatchSource; `seed` undefined = fixed order (evaluation). */
export function bucketedSource(ids: readonly number[][], labels: readonly number[], batchSize: number, seed?: number): BatchSource {
  const lengths = ids.map((s) => s.length);
  let epoch = 0;
  const size = Math.ceil(ids.length / batchSize);
  return {
    size,
    *[Symbol.iterator]() {
      const order = bucketBatches(lengths, { batchSize, seed: seed === undefined ? undefined : seed + epoch++ });
      for (const b of order) yield idBatch(b.map((i) => ids[i]!), b.map((i) => labels[i]!));
    },
  };
}

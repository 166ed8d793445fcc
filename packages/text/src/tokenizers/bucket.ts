/**
 * Length-bucketed batching: batches of similar-length sequences, so padding (and the compute
 * wasted on it) stays small while the batch order remains random.
 */
import { invalidOption, Rng } from '@dlkit/core';

export interface BucketOptions {
  batchSize: number;
  /** Shuffle seed; omit for a deterministic, unshuffled order (evaluation). */
  seed?: number;
  /** Sort window in batches: larger = less padding, less randomness (default 50). */
  window?: number;
}

/** Index batches over `lengths[i]`, each batch holding items of similar length. */
export function bucketBatches(lengths: ArrayLike<number>, options: BucketOptions): number[][] {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw invalidOption('batchSize', batchSize, 'a positive integer');
  const window = options.window ?? 50;
  if (!Number.isInteger(window) || window < 1) throw invalidOption('window', window, 'a positive integer');
  const n = lengths.length;
  const rng = options.seed === undefined ? undefined : new Rng(options.seed);
  const order = rng ? Array.from(rng.permutation(n)) : Array.from({ length: n }, (_, i) => i);
  const batches: number[][] = [];
  const span = batchSize * window;
  for (let s = 0; s < n; s += span) {
    const chunk = order.slice(s, s + span).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
    for (let b = 0; b < chunk.length; b += batchSize) batches.push(chunk.slice(b, b + batchSize));
  }
  return rng ? rng.shuffle(batches) : batches;
}

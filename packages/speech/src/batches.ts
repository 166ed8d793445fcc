/**
 * Re-iterable `{xs, ys}` batches over a ClipSet for @dlkit/train's fit: each iteration is one
 * epoch, shuffled by (seed, epoch) so a resumed run sees the same order; waveform augmentation in
 * JS, then features on the tfjs backend, then SpecAugment masks.
 */
import { checkInt, Rng, tf } from '@dlkit/core';
import type { Batch, Callback } from '@dlkit/train';
import { augmentWave, type ResolvedAugment, specMask } from './augment.js';
import { type ClipSet, clip } from './clip-set.js';
import type { FeatureExtractor } from './features.js';

export interface ClipBatchOptions {
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  augment?: ResolvedAugment;
  /** Background-noise clips for augmentation (at the set's rate). */
  noise?: Float32Array[];
  numClasses: number;
}

/** Features of a [b, L] waveform batch as the model input [b, T, C, 1]. */
export function featureBatch(fx: FeatureExtractor, waves: Float32Array, b: number, l: number): tf.Tensor4D {
  return tf.tidy(() => {
    const f = fx.compute(tf.tensor2d(waves, [b, l]));
    return f.expandDims(-1) as tf.Tensor4D;
  });
}

export class ClipBatches implements Iterable<Batch> {
  readonly size: number;
  private epoch = 0;
  private readonly batchSize: number;

  constructor(
    private readonly set: ClipSet,
    private readonly fx: FeatureExtractor,
    private readonly o: ClipBatchOptions,
  ) {
    this.batchSize = checkInt('batchSize', o.batchSize ?? 64, 1);
    this.size = Math.ceil(set.length / this.batchSize);
  }

  epochSync(): Callback {
    return {
      onEpochBegin: (epoch: number) => {
        this.epoch = epoch;
      },
    };
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const { set, o } = this;
    const n = set.length;
    const l = set.clipSamples;
    const seed = (o.seed ?? 0) * 1_000_003 + this.epoch;
    this.epoch++;
    const order = o.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : new Rng(seed).permutation(n);
    const rng = new Rng(seed + 17);
    for (let start = 0; start < n; start += this.batchSize) {
      const b = Math.min(this.batchSize, n - start);
      const waves = new Float32Array(b * l);
      const ys = new Float32Array(b * o.numClasses);
      for (let i = 0; i < b; i++) {
        const j = order[start + i]!;
        const dst = waves.subarray(i * l, (i + 1) * l);
        if (o.augment) augmentWave(clip(set, j), dst, set.sampleRate, o.augment, rng, o.noise ?? []);
        else dst.set(clip(set, j));
        ys[i * o.numClasses + set.labels[j]!] = 1;
      }
      let xs = featureBatch(this.fx, waves, b, l);
      if (o.augment) {
        const [, t, c] = xs.shape;
        const masks = Array.from({ length: b }, () => specMask(t, c, o.augment!, rng));
        if (masks.some((m) => m)) {
          const all = new Float32Array(b * t * c);
          masks.forEach((m, i) => {
            if (m) all.set(m, i * t * c);
            else all.fill(1, i * t * c, (i + 1) * t * c);
          });
          const masked = tf.tidy(() => xs.mul(tf.tensor4d(all, [b, t, c, 1])) as tf.Tensor4D);
          xs.dispose();
          xs = masked;
        }
      }
      yield { xs, ys: tf.tensor2d(ys, [b, o.numClasses]) };
    }
  }
}

/**
 * A re-iterable source of `{xs, ys}` batches over an ImageSet for @dlkit/train's fit: every
 * iteration is one epoch, shuffled by a seed derived from (seed, epoch) so a resumed run sees
 * the same order, with augmentation and label smoothing applied per batch.
 */
import { checkInt, checkNumber, Rng, tf } from '@dlkit/core';
import type { Batch, Callback } from '@dlkit/train';
import { type AugmentOptions, augmentInto, isIdentity, validateAugment } from './augment.js';
import type { ImageSet } from './image-set.js';

export interface BatchOptions {
  batchSize?: number;
  /** Shuffle each epoch (default true). */
  shuffle?: boolean;
  seed?: number;
  augment?: AugmentOptions;
  /** Target = (1 − ε)·onehot + ε/K (default 0). */
  labelSmoothing?: number;
  /** Number of classes of the one-hot targets (default set.classes.length). */
  numClasses?: number;
}

export class ImageBatches implements Iterable<Batch> {
  readonly size: number;
  private epoch = 0;
  private readonly batchSize: number;
  private readonly aug: Required<AugmentOptions>;
  private readonly smoothing: number;
  private readonly k: number;

  constructor(
    private readonly set: ImageSet,
    private readonly o: BatchOptions = {},
  ) {
    this.batchSize = checkInt('batchSize', o.batchSize ?? 64, 1);
    this.aug = validateAugment(o.augment ?? {});
    this.smoothing = checkNumber('labelSmoothing', o.labelSmoothing ?? 0, 0, 0.5);
    this.k = o.numClasses ?? set.classes.length;
    this.size = Math.ceil(set.length / this.batchSize);
  }

  /** A callback keeping the epoch counter in step with fit (also after resume). */
  epochSync(): Callback {
    return {
      onEpochBegin: (epoch: number) => {
        this.epoch = epoch;
      },
    };
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const { set } = this;
    const n = set.length;
    const [h, w, c] = set.shape;
    const per = h * w * c;
    const seed = (this.o.seed ?? 0) * 1_000_003 + this.epoch;
    this.epoch++;
    const order = this.o.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : new Rng(seed).permutation(n);
    const rng = new Rng(seed + 17);
    const augment = !isIdentity(this.aug);
    const off = this.smoothing / this.k;
    const on = 1 - this.smoothing + off;
    for (let start = 0; start < n; start += this.batchSize) {
      const b = Math.min(this.batchSize, n - start);
      const xs = new Float32Array(b * per);
      const ys = new Float32Array(b * this.k).fill(off);
      for (let i = 0; i < b; i++) {
        const j = order[start + i]!;
        const src = set.images.subarray(j * per, (j + 1) * per);
        if (augment) augmentInto(src, xs.subarray(i * per, (i + 1) * per), h, w, c, this.aug, rng);
        else xs.set(src, i * per);
        ys[i * this.k + set.labels[j]!] = on;
      }
      yield { xs: tf.tensor4d(xs, [b, h, w, c]), ys: tf.tensor2d(ys, [b, this.k]) };
    }
  }
}

// Turning what users pass to fit/evaluate/predict (tensors or batch iterables) into batches.
import { DlkitError, Rng, tf } from '@dlkit/core';
import { containerLength, disposeContainer, isTensor, mapContainer } from './tensors.js';
import type { Batch, BatchSource, TensorContainer } from './types.js';

export function isBatchSource(v: unknown): v is BatchSource {
  if (v == null || typeof v !== 'object' || isTensor(v)) return false;
  if (Array.isArray(v)) return v.length > 0 && !isTensor(v[0]);
  return Symbol.asyncIterator in v || Symbol.iterator in v;
}

export function isTensorContainer(v: unknown): v is TensorContainer {
  if (isTensor(v)) return true;
  if (Array.isArray(v)) return v.length > 0 && v.every(isTensor);
  return v != null && typeof v === 'object' && !isBatchSource(v) && Object.values(v).length > 0 && Object.values(v).every(isTensor);
}

/** In-memory tensors split into batches (a view: batch tensors are new and owned by the consumer). */
export class TensorBatches {
  readonly length: number;
  constructor(
    readonly xs: TensorContainer,
    readonly ys: TensorContainer | undefined,
    readonly batchSize: number,
  ) {
    this.length = containerLength(xs, 'x');
    if (ys) {
      const ny = containerLength(ys, 'y');
      if (ny !== this.length) {
        throw new DlkitError('SHAPE_MISMATCH', `x has ${this.length} samples but y has ${ny}; they must match.`);
      }
    }
  }

  get steps(): number {
    return Math.ceil(this.length / this.batchSize);
  }

  /** Batches of one epoch, in a seeded random order when `seed` is given. */
  *epoch(seed?: number): Generator<Batch> {
    const perm = seed === undefined ? undefined : new Rng(seed).permutation(this.length);
    for (let start = 0; start < this.length; start += this.batchSize) {
      const end = Math.min(this.length, start + this.batchSize);
      if (perm) {
        const idx = tf.tensor1d(perm.subarray(start, end), 'int32');
        const take = (t: tf.Tensor) => tf.gather(t, idx);
        const b = { xs: mapContainer(this.xs, take), ys: this.ys ? mapContainer(this.ys, take) : ({} as TensorContainer) };
        idx.dispose();
        yield b;
      } else {
        const take = (t: tf.Tensor) => t.slice(start, end - start);
        yield { xs: mapContainer(this.xs, take), ys: this.ys ? mapContainer(this.ys, take) : ({} as TensorContainer) };
      }
    }
  }
}

/** Keras validationSplit: the last `fraction` of samples (before any shuffling) is held out. */
export function splitTensors(c: TensorContainer, fraction: number): [TensorContainer, TensorContainer] {
  const n = containerLength(c, 'x');
  const cut = Math.floor(n * (1 - fraction));
  if (cut <= 0 || cut >= n) {
    throw new DlkitError('INVALID_OPTION', `validationSplit ${fraction} leaves an empty split of ${n} samples.`, {
      details: { option: 'validationSplit', value: fraction },
    });
  }
  return [mapContainer(c, (t) => t.slice(0, cut)), mapContainer(c, (t) => t.slice(cut, n - cut))];
}

export function disposeBatch(b: Batch): void {
  if (b.xs && isTensorContainer(b.xs)) disposeContainer(b.xs);
  if (b.ys && isTensorContainer(b.ys)) disposeContainer(b.ys);
}

/** Validate a batch from a user iterable, naming what is wrong. */
export function checkBatch(b: unknown, where: string): Batch {
  const bb = b as Batch | undefined;
  if (!bb || typeof bb !== 'object' || !isTensorContainer(bb.xs) || !isTensorContainer(bb.ys)) {
    throw new DlkitError('INVALID_INPUT', `${where}: each batch must be { xs, ys } with tensors (or arrays/records of tensors).`, {
      hint: 'Map dataset elements to { xs, ys } and call .batch(n) before passing it.',
    });
  }
  return bb;
}

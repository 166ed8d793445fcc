/**
 * Dataset → tf tensors, one batch at a time. Ownership: every `{ xs, ys }` yielded belongs to the
 * consumer, who must dispose both (e.g. `tf.dispose([xs, ys])`) once done with the batch. Nothing is
 * created ahead of the consumer, so breaking out of the loop early leaks nothing.
 */
import { DlkitError, tf } from '@dlkit/core';
import type { Dataset } from './dataset.js';

export interface TensorBatch {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

export interface TensorBatchOptions<T> {
  batchSize: number;
  /** Features of one example. Default: `example.image` (ImageExample). */
  toX?: (example: T) => ArrayLike<number>;
  /** Shape of one example's features. Default: `example.shape` of the first example. */
  xShape?: number[];
  /** Target of one example: a number (class index / regression value) or a vector. Default: `example.label`. */
  toY?: (example: T) => number | ArrayLike<number>;
  /** One-hot encode integer class targets into float32 [batch, numClasses]. */
  numClasses?: number;
  /** dtype for scalar targets when not one-hot; default 'float32'. */
  yDtype?: 'float32' | 'int32';
  dropRemainder?: boolean;
}

const defaultX = (e: unknown): ArrayLike<number> => {
  const img = (e as { image?: ArrayLike<number> }).image;
  if (!img) throw new DlkitError('INVALID_OPTION', 'toTensorBatches: examples have no `image` field, so options.toX is required.');
  return img;
};
const defaultY = (e: unknown): number => {
  const label = (e as { label?: number }).label;
  if (typeof label !== 'number') throw new DlkitError('INVALID_OPTION', 'toTensorBatches: examples have no numeric `label`, so options.toY is required.');
  return label;
};

export async function* toTensorBatches<T>(ds: Dataset<T>, options: TensorBatchOptions<T>): AsyncGenerator<TensorBatch> {
  const toX = options.toX ?? defaultX;
  const toY = options.toY ?? defaultY;
  let xShape = options.xShape;
  for await (const chunk of ds.batch(options.batchSize, { dropRemainder: options.dropRemainder }).chunks()) {
    for (const batch of chunk) {
      const b = batch.length;
      if (!xShape) xShape = (batch[0] as { shape?: number[] }).shape;
      if (!xShape) throw new DlkitError('INVALID_OPTION', 'toTensorBatches: options.xShape is required when examples have no `shape`.');
      const per = xShape.reduce((a, c) => a * c, 1);
      const xBuf = new Float32Array(b * per);
      let yBuf: Float32Array | Int32Array | undefined;
      let yWidth = 1;
      batch.forEach((ex, i) => {
        const x = toX(ex);
        if (x.length !== per) {
          throw new DlkitError('SHAPE_MISMATCH', `toTensorBatches: example ${i} of a batch has ${x.length} features; xShape [${xShape}] needs ${per}.`, {
            details: { got: x.length, expected: per },
          });
        }
        xBuf.set(x, i * per);
        const y = toY(ex);
        if (!yBuf) {
          yWidth = typeof y === 'number' ? (options.numClasses ?? 1) : y.length;
          yBuf = typeof y === 'number' && !options.numClasses && options.yDtype === 'int32' ? new Int32Array(b * yWidth) : new Float32Array(b * yWidth);
        }
        if (typeof y === 'number') {
          if (options.numClasses) {
            if (!Number.isInteger(y) || y < 0 || y >= options.numClasses) {
              throw new DlkitError('INVALID_INPUT', `toTensorBatches: label ${y} is not a class index in [0, ${options.numClasses}).`, {
                details: { label: y, numClasses: options.numClasses },
              });
            }
            yBuf[i * yWidth + y] = 1;
          } else yBuf[i] = y;
        } else {
          if (y.length !== yWidth) throw new DlkitError('SHAPE_MISMATCH', `toTensorBatches: target vectors differ in length (${y.length} vs ${yWidth}).`);
          yBuf.set(y, i * yWidth);
        }
      });
      const xs = tf.tensor(xBuf, [b, ...xShape], 'float32');
      const scalarY = !options.numClasses && yWidth === 1 && typeof toY(batch[0]!) === 'number';
      const ys = tf.tensor(yBuf!, scalarY ? [b] : [b, yWidth], yBuf instanceof Int32Array ? 'int32' : 'float32');
      yield { xs, ys };
    }
  }
}

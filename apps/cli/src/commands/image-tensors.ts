import { tf } from '@dlkit/core';

/** Image examples as the data registry yields them (HWC floats in [0, 1]). */
interface ImageLike {
  image: Float32Array;
  shape: readonly number[];
  label: number;
}

export interface ImageTensors {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
  labels: number[];
  count: number;
}

/** Materialises the first `limit` examples of an image dataset as one batch tensor + one-hot labels. */
export async function loadImageTensors(ds: AsyncIterable<ImageLike> & { size?: number }, classes: number, limit?: number): Promise<ImageTensors> {
  const cap = Math.min(limit ?? Number.POSITIVE_INFINITY, ds.size ?? Number.POSITIVE_INFINITY);
  let data: Float32Array | undefined;
  let shape: number[] = [];
  const labels: number[] = [];
  for await (const ex of ds) {
    if (labels.length >= cap) break;
    if (!data) {
      shape = [...ex.shape];
      const per = ex.image.length;
      data = new Float32Array(Number.isFinite(cap) ? cap * per : per * 1024);
    }
    const per = ex.image.length;
    if (data.length < (labels.length + 1) * per) {
      const grown = new Float32Array(data.length * 2);
      grown.set(data);
      data = grown;
    }
    data.set(ex.image, labels.length * per);
    labels.push(ex.label);
  }
  const count = labels.length;
  const per = shape.reduce((a, b) => a * b, 1);
  const xs = tf.tensor4d((data ?? new Float32Array(0)).subarray(0, count * per), [count, shape[0] ?? 0, shape[1] ?? 0, shape[2] ?? 1]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D);
  return { xs, ys, labels, count };
}

// Tiny seeded fixtures: a linearly separable 3-class problem and a small dense model.
import { Rng, selectBackend, tf } from '@dlkit/core';

export async function cpu(): Promise<void> {
  await selectBackend('cpu');
}

export function blobs(n: number, seed = 1): { x: tf.Tensor2D; y: tf.Tensor2D; labels: number[] } {
  const rng = new Rng(seed);
  const xs: number[][] = [];
  const labels: number[] = [];
  const centers = [
    [2, 0],
    [-2, 1],
    [0, -2],
  ];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels.push(c);
    xs.push([centers[c]![0]! + rng.normal() * 0.5, centers[c]![1]! + rng.normal() * 0.5, rng.normal() * 0.1, 1]);
  }
  return { x: tf.tensor2d(xs), y: tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat() as tf.Tensor2D, labels };
}

export function denseModel(opts: { seed?: number; optimizer?: string | tf.Optimizer; lr?: number } = {}): tf.Sequential {
  const seed = opts.seed ?? 7;
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8, inputShape: [4], activation: 'relu', name: 'base1', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.dense({ units: 8, activation: 'relu', name: 'base2', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax', name: 'head', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
  model.compile({ optimizer: opts.optimizer ?? tf.train.adam(opts.lr ?? 0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A re-iterable batch source like a @dlkit/data Dataset: new tensors per batch, `size` = batches. */
export function batchSource(x: tf.Tensor, y: tf.Tensor, batchSize: number) {
  const n = x.shape[0]!;
  const steps = Math.ceil(n / batchSize);
  return {
    size: steps,
    async *[Symbol.asyncIterator]() {
      for (let s = 0; s < n; s += batchSize) {
        const k = Math.min(batchSize, n - s);
        yield { xs: x.slice(s, k), ys: y.slice(s, k) };
      }
    },
  };
}

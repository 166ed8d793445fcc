import { selectBackend, tf } from '@dlkit/core';

const be = process.argv[2] ?? 'wasm';
await selectBackend(be as any);
const m = tf.sequential({ layers: [
  tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
  tf.layers.maxPooling2d({ poolSize: 2 }),
  tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
  tf.layers.maxPooling2d({ poolSize: 2 }),
  tf.layers.flatten(), tf.layers.dense({ units: 128, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })]});
m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const n = 64 * 20;
const xs = tf.randomNormal([n, 28, 28, 1]); const ys = tf.oneHot(tf.randomUniform([n], 0, 10, 'int32'), 10);
await m.fit(xs.slice(0, 128), ys.slice(0, 128), { batchSize: 64, epochs: 1, verbose: 0 });
const t0 = performance.now();
await m.fit(xs, ys, { batchSize: 64, epochs: 1, verbose: 0 });
const dt = (performance.now() - t0) / 1000;
console.log(be, 'train samples/s', (n / dt).toFixed(1));
const t1 = performance.now(); const p = m.predict(xs) as tf.Tensor; await p.data(); console.log(be, 'infer samples/s', (n / ((performance.now() - t1) / 1000)).toFixed(1));

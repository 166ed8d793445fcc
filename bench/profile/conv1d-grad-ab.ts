/**
 * Interleaved A/B of conv1d's filter gradient at the Kim CNN's k=5 shape, in CPU ms: the general
 * formulation (conv2d with the dy batch as its filter) vs core's conv1dFilterGrad (one matmul).
 *   pnpm exec tsx bench/profile/conv1d-grad-ab.ts
 */
import { selectBackend, tf } from '@dlkit/core';
import { conv1dFilterGrad } from '../../packages/core/src/kernels/conv2d-grad.js';

await selectBackend('wasm');
const ms = (f: () => tf.Tensor) => { const c0 = process.cpuUsage(); tf.dispose(f()); const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
const x = tf.randomNormal([64, 1, 200, 64]) as tf.Tensor4D;
const dy = tf.randomNormal([64, 1, 200, 100]) as tf.Tensor4D;
const info = tf.backend_util.computeConv2DInfo(x.shape, [1, 5, 64, 100], 1, 1, 'same');
const general = () => tf.tidy(() => {
  const xp = tf.pad(x, [[0, 0], [0, 0], [2, 2], [0, 0]]);
  const xt = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D;
  const dyt = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  return tf.transpose(tf.conv2d(xt, dyt, 1, 'valid'), [1, 2, 0, 3]);
});
const ours = () => conv1dFilterGrad(x, dy, info);
const d = tf.tidy(() => tf.max(tf.abs(tf.sub(general(), ours()))).dataSync()[0]);
console.log('max |diff|', d);
const a: number[] = [], b: number[] = [];
ms(general); ms(ours);
for (let i = 0; i < 6; i++) { a.push(ms(general)); b.push(ms(ours)); }
const med = (v: number[]) => [...v].sort((p, q) => p - q)[3]!.toFixed(1);
console.log(`conv1d k5 filter grad [64,200,64]->[64,200,100]: general ${med(a)} ms CPU, conv1dFilterGrad ${med(b)} ms CPU; all general ${a.map((v) => v.toFixed(0))} ours ${b.map((v) => v.toFixed(0))}`);

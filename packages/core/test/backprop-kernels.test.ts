/**
 * The fused conv ops that Conv2D/DepthwiseConv2D layers with a linear activation use (conv →
 * batch-norm) call the backprop kernels directly; wasm lacks them and core registers versions
 * built from forward ops. Their gradients must match cpu's stock kernels, and leak nothing.
 */
import { selectBackend, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';

const data = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k));

async function fusedGrads(backend: 'cpu' | 'wasm', strides: number, pad: 'same' | 'valid'): Promise<number[][]> {
  await selectBackend(backend);
  const x = tf.tensor4d(data(2 * 9 * 9 * 3, 0.37), [2, 9, 9, 3]);
  const f = tf.tensor4d(data(3 * 3 * 3 * 4, 0.91), [3, 3, 3, 4]);
  const df = tf.tensor4d(data(3 * 3 * 3 * 2, 0.53), [3, 3, 3, 2]);
  const before = tf.memory().numTensors;
  const conv = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.fused.conv2d({ x: a as tf.Tensor4D, filter: w as tf.Tensor4D, strides, pad }).square().sum());
  const dw = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.fused.depthwiseConv2d({ x: a as tf.Tensor4D, filter: w as tf.Tensor4D, strides, pad }).square().sum());
  const gs = [...conv([x, f]), ...dw([x, df])];
  const out = await Promise.all(gs.map(async (g) => Array.from(await g.data())));
  tf.dispose(gs);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, f, df]);
  return out;
}

async function transposed(backend: 'cpu' | 'wasm', stride: number, pad: 'same' | 'valid'): Promise<number[]> {
  await selectBackend(backend);
  // conv2dTranspose runs the Conv2DBackpropInput kernel, which core replaces on wasm.
  const x = tf.tensor4d(data(2 * 5 * 5 * 4, 0.29), [2, 5, 5, 4]);
  const f = tf.tensor4d(data(3 * 3 * 3 * 4, 0.71), [3, 3, 3, 4]);
  const out = stride === 2 && pad === 'same' ? [2, 10, 10, 3] : [2, (5 - 1) * stride + 3, (5 - 1) * stride + 3, 3];
  const y = tf.conv2dTranspose(x, f, out as [number, number, number, number], stride, pad);
  const values = Array.from(await y.data());
  tf.dispose([x, f, y]);
  return values;
}

describe('conv backprop kernels on wasm', () => {
  it('conv2dTranspose (Conv2DBackpropInput) matches cpu', async () => {
    for (const [stride, pad] of [
      [2, 'same'],
      [1, 'valid'],
      [2, 'valid'],
    ] as const) {
      const ref = await transposed('cpu', stride, pad);
      const got = await transposed('wasm', stride, pad);
      expect(got.length).toBe(ref.length);
      const scale = Math.max(...ref.map(Math.abs));
      expect(Math.max(...ref.map((v, j) => Math.abs(v - got[j]!))) / scale).toBeLessThan(1e-5);
    }
  });

  for (const [strides, pad] of [
    [1, 'same'],
    [2, 'same'],
    [2, 'valid'],
  ] as const) {
    it(`fused conv2d/depthwise gradients match cpu (stride ${strides}, ${pad})`, async () => {
      const ref = await fusedGrads('cpu', strides, pad);
      const got = await fusedGrads('wasm', strides, pad);
      for (let i = 0; i < ref.length; i++) {
        const scale = Math.max(...ref[i]!.map(Math.abs));
        const err = Math.max(...ref[i]!.map((v, j) => Math.abs(v - got[i]![j]!)));
        expect(err / scale).toBeLessThan(1e-5);
      }
    });
  }
});

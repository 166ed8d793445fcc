/**
 * One-output-channel Conv2D / FusedConv2D on wasm as a SIMD loop (kernels/wasm/conv-co1.ts) against
 * tfjs's cpu conv2d (+ bias): strides, 'same' / 'valid' / explicit padding, 1×1 to 5×5 filters,
 * 4 and 16 input channels; gradients through it; the wrapped kernel for shapes it does not take.
 */
import { convCo1Simd, selectBackend, tf } from '@dlkit/core';
import { afterAll, describe, expect, it } from 'vitest';

afterAll(() => {
  convCo1Simd(true);
});

type Case = { x: [number, number, number, number]; f: [number, number, number, number]; stride: number; pad: 'same' | 'valid' | number };
const CASES: Case[] = [
  { x: [3, 9, 9, 16], f: [3, 3, 16, 1], stride: 1, pad: 'same' }, // a DCGAN generator's output conv
  { x: [2, 11, 10, 4], f: [4, 4, 4, 1], stride: 2, pad: 'same' },
  { x: [2, 7, 9, 8], f: [5, 3, 8, 1], stride: 1, pad: 'valid' },
  { x: [2, 6, 6, 4], f: [3, 3, 4, 1], stride: 1, pad: 1 },
  { x: [1, 5, 5, 12], f: [1, 1, 12, 1], stride: 1, pad: 'valid' },
  { x: [2, 5, 5, 3], f: [3, 3, 3, 1], stride: 1, pad: 'same' }, // 3 channels: wrapped kernel
];

async function compute(backend: 'cpu' | 'wasm', c: Case) {
  await selectBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomNormal(c.f, 0, 1, 'float32', 2) as tf.Tensor4D;
    const b = tf.randomNormal([1], 0, 1, 'float32', 3);
    const plain = tf.conv2d(x, f, c.stride, c.pad);
    const fused = tf.fused.conv2d({ x, filter: f, strides: c.stride, pad: c.pad, bias: b });
    const w = tf.randomNormal(plain.shape, 0, 1, 'float32', 4);
    const [gx, gf] = tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ff as tf.Tensor4D, strides: c.stride, pad: c.pad, bias: b }), w)))([x, f]);
    return [plain, fused, gx!, gf!].map((t) => ({ shape: t.shape, v: Array.from(t.dataSync()) }));
  });
}

describe('wasm one-output-channel conv2d (SIMD) matches tfjs cpu', () => {
  for (const c of CASES) {
    it(`x ${JSON.stringify(c.x)} filter ${JSON.stringify(c.f)} stride ${c.stride} pad ${c.pad}: conv2d, fused + bias, gradients`, async () => {
      const ref = await compute('cpu', c);
      for (const simd of [true, false]) {
        convCo1Simd(simd);
        const ours = await compute('wasm', c);
        for (const [i, r] of ref.entries()) {
          expect(ours[i]!.shape).toEqual(r.shape);
          const scale = Math.max(1, ...r.v.map(Math.abs));
          const worst = r.v.reduce((m, v, k) => Math.max(m, Math.abs(v - ours[i]!.v[k]!)), 0);
          expect(worst / scale).toBeLessThan(1e-5);
        }
      }
      convCo1Simd(true);
    });
  }

  it('leaks nothing on the wasm heap', async () => {
    await selectBackend('wasm');
    const be = tf.backend() as unknown as { numDataIds(): number };
    const before = [tf.memory().numTensors, be.numDataIds()];
    const x = tf.randomNormal([2, 6, 6, 8]) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 8, 1]) as tf.Tensor4D;
    tf.dispose([tf.conv2d(x, f, 1, 'same'), x, f]);
    expect([tf.memory().numTensors, be.numDataIds()]).toEqual(before);
  });
});

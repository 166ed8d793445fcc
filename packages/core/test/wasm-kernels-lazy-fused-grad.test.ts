/**
 * Lazy fused-conv2d gradients (kernels/lazy-fused-grad.ts) against tfjs's own eager ones and against
 * plain conv2d + add on cpu: values of dx, dW and db for biased and unbiased, strided, padded and
 * rank-3 convolutions on cpu and wasm; only the needed backprop kernels run; other customGrad ops
 * (fused matMul, user customGrad) are untouched; no leaked tensors.
 */
import { lazyFusedConvGrad, selectBackend, tf } from '@dlkit/core';
import { afterAll, describe, expect, it } from 'vitest';

type Case = { name: string; x: number[]; f: [number, number, number, number]; stride: number; pad: 'same' | 'valid' | number; bias: boolean };
const CASES: Case[] = [
  { name: 'DCGAN D conv: 4x4 stride 2 same, bias', x: [2, 8, 8, 3], f: [4, 4, 3, 5], stride: 2, pad: 'same', bias: true },
  { name: '3x3 stride 1 valid, no bias', x: [2, 7, 6, 4], f: [3, 3, 4, 2], stride: 1, pad: 'valid', bias: false },
  { name: 'explicit pad 1, one output channel, bias', x: [3, 5, 5, 2], f: [3, 3, 2, 1], stride: 1, pad: 1, bias: true },
  { name: 'rank-3 input (one image), bias', x: [6, 6, 2], f: [2, 2, 2, 3], stride: 1, pad: 'same', bias: true },
];

afterAll(() => {
  lazyFusedConvGrad(true);
});

function grads(c: Case, fused: boolean): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x as [number, number, number, number], 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomNormal(c.f, 0, 1, 'float32', 2) as tf.Tensor4D;
    const b = tf.randomNormal([c.f[3]], 0, 1, 'float32', 3);
    const conv = (xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) => {
      if (fused) return tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ff as tf.Tensor4D, strides: c.stride, pad: c.pad, bias: c.bias ? bb : undefined });
      const y = tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.stride, c.pad);
      return c.bias ? tf.add(y, bb) : y;
    };
    const w = tf.randomNormal(tf.tidy(() => conv(x, f, b).shape), 0, 1, 'float32', 4);
    const loss = (xx: tf.Tensor, ff: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(conv(xx, ff, bb), w));
    const g = c.bias ? tf.grads(loss)([x, f, b]) : tf.grads((xx: tf.Tensor, ff: tf.Tensor) => loss(xx, ff, b))([x, f]);
    return g.map((t) => t.dataSync() as Float32Array);
  });
}

const worst = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('lazy fused conv2d gradients', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const c of CASES) {
      it(`${backend}, ${c.name}: dx, dW, db match tfjs's eager gradient and conv2d + add`, async () => {
        await selectBackend('cpu');
        const ref = grads(c, false);
        await selectBackend(backend);
        expect(lazyFusedConvGrad(false)).toBe(false);
        // tfjs's own gradient throws for a rank-3 input (it hands the unbatched dy to batched kernels).
        const stock = c.x.length === 3 ? undefined : grads(c, true);
        if (!stock) expect(() => grads(c, true)).toThrow(/rank of dy/);
        expect(lazyFusedConvGrad(true)).toBe(true);
        const before = tf.memory().numTensors;
        const lazy = grads(c, true);
        expect(tf.memory().numTensors).toBe(before);
        for (let i = 0; i < 2 + (c.bias ? 1 : 0); i++) {
          expect(lazy[i]!.length).toBe(ref[i]!.length);
          expect(worst(lazy[i]!, ref[i]!)).toBeLessThan(1e-3);
          if (stock) expect(worst(lazy[i]!, stock[i]!)).toBeLessThan(1e-4);
          expect(lazy[i]!.some((v) => Math.abs(v) > 0.1)).toBe(true);
        }
      });
    }
  }

  it('runs only the backprop kernels the tape needs (tfjs runs all of them)', async () => {
    await selectBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomNormal([4, 4, 3, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
    const b = tf.zeros([5]);
    const loss = (xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ff as tf.Tensor4D, strides: 2, pad: 'same', bias: b }));
    const kernels = async (run: () => tf.Tensor) => {
      const info = await tf.profile(() => tf.dispose(run()));
      return info.kernels.map((k) => k.name).filter((n) => n.startsWith('Conv2DBackprop') || n === 'Sum');
    };
    const onlyFilter = () => tf.grad((ff: tf.Tensor) => loss(x, ff))(f);
    const onlyInput = () => tf.grad((xx: tf.Tensor) => loss(xx, f))(x);
    lazyFusedConvGrad(true);
    const lazyF = await kernels(onlyFilter);
    const lazyX = await kernels(onlyInput);
    expect(lazyF).toContain('Conv2DBackpropFilter');
    expect(lazyF).not.toContain('Conv2DBackpropInput');
    expect(lazyX).toContain('Conv2DBackpropInput');
    expect(lazyX).not.toContain('Conv2DBackpropFilter');
    lazyFusedConvGrad(false);
    const eager = await kernels(onlyFilter);
    lazyFusedConvGrad(true);
    expect(eager).toContain('Conv2DBackpropInput');
    expect(eager.filter((n) => n === 'Sum').length).toBeGreaterThan(lazyF.filter((n) => n === 'Sum').length);
    tf.dispose([x, f, b]);
  });

  it('leaves other customGrad ops alone: fused matMul and a user customGrad', async () => {
    await selectBackend('wasm');
    const a = tf.randomNormal([3, 4], 0, 1, 'float32', 1);
    const w = tf.randomNormal([4, 2], 0, 1, 'float32', 2);
    const bias = tf.randomNormal([2], 0, 1, 'float32', 3);
    const [ga, gw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, bias })))([a, w]);
    const [ra, rw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.add(tf.matMul(p, q), bias)))([a, w]);
    expect(worst(ga!.dataSync() as Float32Array, ra!.dataSync() as Float32Array)).toBeLessThan(1e-5);
    expect(worst(gw!.dataSync() as Float32Array, rw!.dataSync() as Float32Array)).toBeLessThan(1e-5);
    const triple = tf.customGrad((...args) => {
      const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([t]);
      return { value: tf.mul(t, 3), gradFunc: (dy: tf.Tensor) => tf.mul(dy, 7) };
    });
    const g = tf.grad((t: tf.Tensor) => tf.sum(triple(t) as tf.Tensor))(tf.ones([2]));
    expect(Array.from(g.dataSync())).toEqual([7, 7]);
    tf.dispose([a, w, bias, ga!, gw!, ra!, rw!, g]);
  });
});

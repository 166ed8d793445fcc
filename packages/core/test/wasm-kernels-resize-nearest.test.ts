/**
 * ResizeNearestNeighbor and its gradient (dlkit's JS gradient kernel on wasm, SIMD loops for
 * whole-factor upsampling there, and the fix on cpu)
 * against tfjs's cpu forward kernel, and against the exact gradient of that forward: the forward
 * applied to an image of unique pixel ids tells which source pixel each output copies, and the
 * gradient must scatter-add dy through that map. tfjs 4.22's own cpu gradient fails this for
 * batches > 1, so it is not the reference.
 */
import { selectBackend, stockWasmKernel, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';

type Case = { x: [number, number, number, number]; size: [number, number]; alignCorners?: boolean; halfPixelCenters?: boolean };

const CASES: Case[] = [
  { x: [3, 14, 14, 16], size: [28, 28] }, // UpSampling2D 2x, as in a GAN generator
  { x: [2, 5, 7, 3], size: [11, 3] }, // up in one axis, down in the other
  { x: [2, 5, 7, 2], size: [11, 3], alignCorners: true },
  { x: [2, 5, 7, 2], size: [11, 3], halfPixelCenters: true },
  { x: [1, 4, 4, 1], size: [4, 4] },
  // Whole factors over 4k channels: the SIMD loops on wasm (resize-nearest-simd.ts).
  { x: [2, 7, 7, 32], size: [14, 14] },
  { x: [2, 3, 5, 8], size: [9, 10] },
  { x: [3, 4, 4, 4], size: [4, 8] },
];

/** Flat source offset (into x) of every output element, from tfjs's cpu forward kernel. */
async function sourceMap(c: Case): Promise<Int32Array> {
  await selectBackend('cpu');
  const [b, h, w, ch] = c.x;
  return tf.tidy(() => {
    const ids = tf.tensor4d(Float32Array.from({ length: b * h * w * ch }, (_, i) => i), c.x);
    return Int32Array.from(tf.image.resizeNearestNeighbor(ids, c.size, c.alignCorners, c.halfPixelCenters).dataSync());
  });
}

async function run(backend: 'cpu' | 'wasm', c: Case) {
  await selectBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
    const dy = tf.randomNormal([c.x[0], ...c.size, c.x[3]], 0, 1, 'float32', 2);
    const f = (v: tf.Tensor) => tf.image.resizeNearestNeighbor(v as tf.Tensor4D, c.size, c.alignCorners, c.halfPixelCenters);
    return { y: f(x).dataSync(), dx: tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), dy)))(x).dataSync(), x: x.dataSync(), dy: dy.dataSync() };
  });
}

const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`resizeNearestNeighbor on ${backend}`, () => {
    for (const c of CASES) {
      const name = `${JSON.stringify(c.x)} → ${JSON.stringify(c.size)}${c.alignCorners ? ' alignCorners' : ''}${c.halfPixelCenters ? ' halfPixelCenters' : ''}`;
      it(`${name}: values as tfjs cpu, gradient = scatter-add of dy through the forward's map`, async () => {
        const map = await sourceMap(c);
        const r = await run(backend, c);
        expect(worst(r.y, Array.from(map, (s) => r.x[s]!))).toBe(0);
        const expected = new Float64Array(r.x.length);
        map.forEach((s, o) => {
          expected[s]! += r.dy[o]!;
        });
        // The stock modes other than the default keep tfjs's kernels; only the default is guaranteed exact.
        if (!c.alignCorners && !c.halfPixelCenters) expect(worst(r.dx, expected)).toBeLessThan(1e-5);
      });
    }

    it('gives each batch item its own gradient (tfjs 4.22 cpu did not) and leaks nothing', async () => {
      await selectBackend(backend);
      const before = tf.memory().numTensors;
      const x = tf.ones([2, 1, 2, 1]);
      const dy = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 1]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [1, 4]), dy)))(x);
      expect(Array.from(await g.data())).toEqual([3, 7, 11, 15]);
      tf.dispose([x, dy, g]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}

describe('resizeNearestNeighbor kernels on wasm', () => {
  it('replaced the stock one (kept reachable for benchmarks)', async () => {
    await selectBackend('wasm');
    for (const name of ['ResizeNearestNeighborGrad', 'ResizeNearestNeighbor']) {
      expect(stockWasmKernel(name), name).toBeTypeOf('function');
      expect(tf.getKernel(name, 'wasm')?.kernelFunc).not.toBe(stockWasmKernel(name));
    }
  });
});

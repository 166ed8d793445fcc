/**
 * The WebAssembly SIMD elementwise kernels on wasm (float comparisons, Select, LeakyRelu, Step;
 * kernels/wasm/simd-elementwise.ts) against tfjs's cpu kernels: lengths that leave every tail
 * size, NaN / ±0 / ±Infinity, a scalar on either side, int32 inputs (wrapped kernel), gradients of
 * LeakyReLU and of a ReLU-style where; nothing leaked.
 */
import { selectBackend, simdElementwise, tf } from '@dlkit/core';
import { afterAll, describe, expect, it } from 'vitest';

afterAll(() => {
  simdElementwise(true);
});

const SPECIAL = [Number.NaN, 0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-30, -1e-30, 3, -3];

/** n values: the specials first, then seeded normals. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  const r = tf.tidy(() => tf.randomNormal([n], 0, 1, 'float32', seed).dataSync());
  for (let i = 0; i < n; i++) out[i] = i < SPECIAL.length && seed % 2 === 1 ? SPECIAL[i]! : r[i]!;
  // Some exact ties with the other operand's values.
  for (let i = 10; i < n; i += 7) out[i] = Math.round(out[i]!);
  return out;
}

async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<number[]> {
  await selectBackend(backend);
  const t = tf.tidy(f);
  const v = Array.from(await t.data()) as number[];
  t.dispose();
  return v;
}

function same(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Object.is(a[i], b[i]) || Math.abs(a[i]! - b[i]!) <= 1e-6 * Math.abs(b[i]!))) throw new Error(`index ${i}: ${a[i]} vs ${b[i]}`);
  }
}

const OPS = {
  Equal: tf.equal,
  NotEqual: tf.notEqual,
  Greater: tf.greater,
  GreaterEqual: tf.greaterEqual,
  Less: tf.less,
  LessEqual: tf.lessEqual,
} as const;

describe('wasm SIMD comparisons, Select and LeakyRelu match tfjs cpu', () => {
  it('is active on wasm', async () => {
    await selectBackend('wasm');
    expect(simdElementwise()).toBe(true);
  });

  for (const [name, op] of Object.entries(OPS)) {
    it(`${name}: same shapes, scalar right, scalar left, every tail length`, async () => {
      for (const n of [1, 3, 4, 15, 16, 17, 35, 1000]) {
        const a = values(n, 1);
        const b = values(n, 2);
        const cases = [
          () => op(tf.tensor1d(a), tf.tensor1d(b)),
          () => op(tf.tensor2d(a, [1, n]), tf.scalar(0.5)),
          () => op(tf.scalar(0), tf.tensor1d(a)),
          () => op(tf.tensor1d(a), tf.tensor1d([Number.NaN])),
          () => op(tf.tensor1d(Int32Array.from(a.map((v) => (Number.isFinite(v) ? Math.round(v) : 0)))), tf.scalar(1, 'int32')),
        ];
        for (const f of cases) same(await on('wasm', f), await on('cpu', f));
      }
    });
  }

  it('Select, LeakyRelu and Step (alpha 0.2, 0, 1.5, -0.5), every tail length', async () => {
    for (const n of [1, 3, 4, 5, 17, 1000]) {
      const a = values(n, 3);
      const b = values(n, 4);
      const cond = Uint8Array.from(a, (v, i) => (v > 0 || i % 3 === 0 ? 1 : 0));
      const where = () => tf.where(tf.tensor1d(cond, 'bool'), tf.tensor1d(a), tf.tensor1d(b));
      same(await on('wasm', where), await on('cpu', where));
      for (const alpha of [0.2, 0, 1.5, -0.5]) {
        const lr = () => tf.leakyRelu(tf.tensor2d(a, [1, n]), alpha);
        same(await on('wasm', lr), await on('cpu', lr));
        const st = () => tf.step(tf.tensor2d(a, [1, n]), alpha);
        same(await on('wasm', st), await on('cpu', st));
      }
    }
  });

  it('gradients of leakyRelu, relu (Step) and of a ReLU-style where equal cpu; switching off gives the same; no leaks', async () => {
    const grad = () => {
      const x = tf.randomNormal([4, 7, 7, 5], 0, 1, 'float32', 9);
      const positive = tf.greater(x, 0); // comparisons have no gradient: the mask is a constant
      return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.add(tf.leakyRelu(v, 0.2), tf.relu(v)), tf.where(positive, v, tf.zerosLike(v))), v)))(x);
    };
    const ref = await on('cpu', grad);
    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const heap = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    same(await on('wasm', grad), ref);
    simdElementwise(false);
    same(await on('wasm', grad), ref);
    simdElementwise(true);
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(heap);
  });
});

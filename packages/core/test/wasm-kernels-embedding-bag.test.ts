/**
 * embeddingBag's fused cpu and wasm kernels (on wasm: its WebAssembly SIMD loops and its JS loops)
 * against the same maths in stock tfjs ops (gather, mask, sum, divide) on tfjs's cpu backend:
 * values and table gradients, sum and mean, with and without a padding id, duplicate ids,
 * all-padding bags, row widths that exercise every SIMD column path; input errors; no leaked tensors.
 */
import { DlkitError, embeddingBag, embeddingBagSimd, selectBackend, tf } from '@dlkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { bagSimdBytes } from '../src/kernels/embedding-bag-simd.js';

type Mode = 'sum' | 'mean';

function reference(table: tf.Tensor2D, ids: tf.Tensor2D, mode: Mode, paddingId: number): tf.Tensor {
  const keep = tf.cast(tf.notEqual(ids, paddingId), 'float32');
  const sum = tf.sum(tf.mul(tf.gather(table, ids), tf.expandDims(keep, -1)), 1);
  return mode === 'sum' ? sum : tf.div(sum, tf.maximum(tf.sum(keep, 1, true), 1));
}

const V = 50;
const D = 7;
// Bag 1 repeats ids, bag 2 is all padding (id 0), bag 3 has none.
const IDS = [
  [3, 0, 17, 0, 49, 0],
  [5, 5, 5, 8, 0, 5],
  [0, 0, 0, 0, 0, 0],
  [1, 2, 3, 4, 48, 49],
];

async function compute(backend: 'cpu' | 'wasm', fused: boolean, mode: Mode, paddingId: number, d = D, bagIds: number[][] = IDS) {
  await selectBackend(backend);
  return tf.tidy(() => {
    const table = tf.randomNormal([V, d], 0, 1, 'float32', 1) as tf.Tensor2D;
    const ids = tf.tensor2d(bagIds, undefined, 'int32');
    const w = tf.randomNormal([bagIds.length, d], 0, 1, 'float32', 2);
    const f = (t: tf.Tensor) => (fused ? embeddingBag(t as tf.Tensor2D, ids, { mode, paddingId }) : reference(t as tf.Tensor2D, ids, mode, paddingId));
    const value = f(table);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), w)))(table);
    return { value: Array.from(value.dataSync()), grad: Array.from(grad.dataSync()), shape: value.shape };
  });
}

const worst = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

afterAll(() => {
  embeddingBagSimd(true);
});

describe('embeddingBag SIMD module', () => {
  it('assembles to a valid module (plain and shared memory) and is used on wasm, not on cpu', async () => {
    expect(WebAssembly.validate(bagSimdBytes(false))).toBe(true);
    expect(WebAssembly.validate(bagSimdBytes(true))).toBe(true);
    await selectBackend('wasm');
    expect(embeddingBagSimd(true)).toBe(true);
    expect(embeddingBagSimd(false)).toBe(false);
    expect(embeddingBagSimd(true)).toBe(true);
    await selectBackend('cpu');
    expect(embeddingBagSimd()).toBe(false);
  });

  // Widths 1-3 (scalar tail only), 4/16 (one path each), 37 = 2·16 + 4 + 1 (every path); long bags.
  const LONG = Array.from({ length: 5 }, (_, b) => Array.from({ length: 40 }, (_, t) => (b * 40 + t * 13 + (t % 3 === 0 ? 0 : 7)) % V));
  for (const d of [1, 3, 4, 16, 37]) {
    it(`d = ${d}: SIMD and JS loops match tfjs ops (values and gradients)`, async () => {
      const ref = await compute('cpu', false, 'mean', 0, d, LONG);
      for (const simd of [true, false]) {
        await selectBackend('wasm');
        expect(embeddingBagSimd(simd)).toBe(simd);
        const ours = await compute('wasm', true, 'mean', 0, d, LONG);
        expect(worst(ours.value, ref.value)).toBeLessThan(1e-5);
        expect(worst(ours.grad, ref.grad)).toBeLessThan(1e-5);
        expect(ours.grad.some((g) => Math.abs(g) > 0.01)).toBe(true);
      }
      embeddingBagSimd(true);
    });
  }
});

const VARIANTS = [
  { backend: 'cpu', simd: false },
  { backend: 'wasm', simd: true },
  { backend: 'wasm', simd: false },
] as const;

for (const { backend, simd } of VARIANTS) {
  describe(`embeddingBag on ${backend}${backend === 'wasm' ? (simd ? ' (SIMD loops)' : ' (JS loops)') : ''} matches tfjs ops on cpu`, () => {
    for (const mode of ['mean', 'sum'] as const) {
      for (const paddingId of [0, -1, 5]) {
        it(`${mode}, paddingId ${paddingId}: values and table gradient`, async () => {
          const ref = await compute('cpu', false, mode, paddingId);
          embeddingBagSimd(simd);
          const ours = await compute(backend, true, mode, paddingId);
          embeddingBagSimd(true);
          expect(ours.shape).toEqual([IDS.length, D]);
          expect(worst(ours.value, ref.value)).toBeLessThan(1e-5);
          expect(worst(ours.grad, ref.grad)).toBeLessThan(1e-5);
          // Not trivially zero: the padding rows get no gradient, the others do.
          expect(ours.grad.some((g) => Math.abs(g) > 0.1)).toBe(true);
        });
      }
    }

    it('takes float ids (Keras feeds floats) and bags of one; leaks nothing', async () => {
      await selectBackend(backend);
      embeddingBagSimd(simd);
      const before = tf.memory().numTensors;
      const heap = backend === 'wasm' ? (tf.backend() as unknown as { numDataIds(): number }).numDataIds() : 0;
      const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
      const ids = tf.tensor2d([[2, 1], [0, 0], [1, 0]]); // float32
      const mean = embeddingBag(table, ids, { paddingId: 0 });
      expect(await mean.array()).toEqual([[4, 5], [0, 0], [3, 4]]);
      const single = tf.tensor2d([[2]], [1, 1], 'int32');
      const one = embeddingBag(table, single, { mode: 'sum' });
      expect(await one.array()).toEqual([[5, 6]]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(embeddingBag(t as tf.Tensor2D, ids, { paddingId: 0 })))(table);
      expect(await g.array()).toEqual([[0, 0], [1.5, 1.5], [0.5, 0.5]]);
      tf.dispose([table, ids, single, mean, one, g]);
      expect(tf.memory().numTensors).toBe(before);
      if (backend === 'wasm') expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(heap);
    });

    it('rejects ids outside the table and bad options with DlkitError, leaking nothing', async () => {
      await selectBackend(backend);
      embeddingBagSimd(simd);
      const table = tf.zeros([4, 3]) as tf.Tensor2D;
      const bad = tf.tensor2d([[1, 4]], undefined, 'int32');
      const neg = tf.tensor2d([[0, 1], [2, -1]], undefined, 'int32');
      const before = tf.memory().numTensors;
      const heap = backend === 'wasm' ? (tf.backend() as unknown as { numDataIds(): number }).numDataIds() : 0;
      expect(() => embeddingBag(table, bad)).toThrow(/id 4 \(position 1\) is not a row of the \[4, d\] table/);
      expect(() => embeddingBag(table, neg)).toThrow(/id -1 \(position 3\)/);
      expect(() => embeddingBag(table, neg)).toThrow(DlkitError);
      expect(tf.memory().numTensors).toBe(before);
      if (backend === 'wasm') expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(heap);
      tf.dispose(neg);
      expect(() => embeddingBag(table, bad, { mode: 'max' as 'sum' })).toThrow(/Invalid option mode: "max"/);
      expect(() => embeddingBag(table, tf.tensor1d([1], 'int32') as unknown as tf.Tensor2D)).toThrow(/Invalid option ids/);
      tf.dispose([table, bad]);
    });
  });
}

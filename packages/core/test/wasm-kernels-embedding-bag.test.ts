/**
 * embeddingBag's fused cpu and wasm kernels against the same maths in stock tfjs ops (gather,
 * mask, sum, divide) on tfjs's cpu backend: values and table gradients, sum and mean, with and
 * without a padding id, duplicate ids, all-padding bags; input errors; no leaked tensors.
 */
import { DlkitError, embeddingBag, selectBackend, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';

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

async function compute(backend: 'cpu' | 'wasm', fused: boolean, mode: Mode, paddingId: number) {
  await selectBackend(backend);
  return tf.tidy(() => {
    const table = tf.randomNormal([V, D], 0, 1, 'float32', 1) as tf.Tensor2D;
    const ids = tf.tensor2d(IDS, undefined, 'int32');
    const w = tf.randomNormal([IDS.length, D], 0, 1, 'float32', 2);
    const f = (t: tf.Tensor) => (fused ? embeddingBag(t as tf.Tensor2D, ids, { mode, paddingId }) : reference(t as tf.Tensor2D, ids, mode, paddingId));
    const value = f(table);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), w)))(table);
    return { value: Array.from(value.dataSync()), grad: Array.from(grad.dataSync()), shape: value.shape };
  });
}

const worst = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`embeddingBag on ${backend} matches tfjs ops on cpu`, () => {
    for (const mode of ['mean', 'sum'] as const) {
      for (const paddingId of [0, -1, 5]) {
        it(`${mode}, paddingId ${paddingId}: values and table gradient`, async () => {
          const ref = await compute('cpu', false, mode, paddingId);
          const ours = await compute(backend, true, mode, paddingId);
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

    it('rejects ids outside the table and bad options with DlkitError', async () => {
      await selectBackend(backend);
      const table = tf.zeros([4, 3]) as tf.Tensor2D;
      const bad = tf.tensor2d([[1, 4]], undefined, 'int32');
      expect(() => embeddingBag(table, bad)).toThrow(/id 4 \(position 1\) is not a row of the \[4, d\] table/);
      expect(() => embeddingBag(table, tf.tensor2d([[-1]], [1, 1], 'int32'))).toThrow(DlkitError);
      expect(() => embeddingBag(table, bad, { mode: 'max' as 'sum' })).toThrow(/Invalid option mode: "max"/);
      expect(() => embeddingBag(table, tf.tensor1d([1], 'int32') as unknown as tf.Tensor2D)).toThrow(/Invalid option ids/);
      tf.dispose([table, bad]);
    });
  });
}

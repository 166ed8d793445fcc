/**
 * GatherV2 gradient fix: wasm has no UnsortedSegmentSum kernel, so stock tfjs cannot backprop
 * through tf.gather / Embedding there. Checked against a hand-computed scatter-add (duplicate
 * indices accumulate) on cpu and wasm, for axis 0 and 1 and batchDims 1.
 */
import { selectBackend, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';

function reference(xShape: number[], idx: number[][], dy: number[][][], axis: number): number[][] {
  // xShape [a, b]; gather along `axis` with indices [n] per batch row (idx[0] when not batched).
  const g = Array.from({ length: xShape[0]! }, () => new Array(xShape[1]!).fill(0));
  if (axis === 0) idx[0]!.forEach((r, i) => { dy[0]![i]!.forEach((v, j) => {
        g[r]![j] += v;
      }); });
  else idx.forEach((row, b) => { row.forEach((c, i) => {
        g[b]![c] += dy[0]![b]![i]!;
      }); });
  return g;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`gather gradient on ${backend}`, () => {
    it('axis 0 with duplicate indices (embedding lookup)', async () => {
      await selectBackend(backend);
      const before = tf.memory().numTensors;
      const x = tf.randomNormal([5, 3]);
      const idx = [1, 3, 1, 1, 0];
      const w = tf.randomNormal([5, 3]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, tf.tensor1d(idx, 'int32')), w)))(x);
      const expected = reference([5, 3], [idx], [(await w.array()) as number[][]], 0);
      const got = (await g.array()) as number[][];
      got.flat().forEach((v, i) => { expect(v).toBeCloseTo(expected.flat()[i]!, 5); });
      tf.dispose([x, w, g]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('axis 1 and batchDims 1', async () => {
      await selectBackend(backend);
      const x = tf.randomNormal([2, 4]);
      const w = tf.randomNormal([2, 3]);
      const idx = [
        [0, 2, 2],
        [3, 3, 1],
      ];
      const gAxis = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, tf.tensor1d([0, 2, 2], 'int32'), 1), w)))(x);
      const wArr = (await w.array()) as number[][];
      const expAxis = reference([2, 4], [idx[0]!, idx[0]!], [wArr], 1);
      ((await gAxis.array()) as number[][]).flat().forEach((v, i) => { expect(v).toBeCloseTo(expAxis.flat()[i]!, 5); });
      const gBatch = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, tf.tensor2d(idx, [2, 3], 'int32'), 1, 1), w)))(x);
      const expBatch = reference([2, 4], idx, [wArr], 1);
      ((await gBatch.array()) as number[][]).flat().forEach((v, i) => { expect(v).toBeCloseTo(expBatch.flat()[i]!, 5); });
      tf.dispose([x, w, gAxis, gBatch]);
    });
  });
}

import { selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, type ImageExample, toTensorBatches } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

function images(n: number): ImageExample[] {
  return Array.from({ length: n }, (_, i) => ({ image: new Float32Array(4).fill(i / n), shape: [2, 2, 1], label: i % 3 }));
}

describe('toTensorBatches', () => {
  it('yields image batches with one-hot targets and leaks nothing once disposed', async () => {
    const base = tf.memory().numTensors;
    const shapes: number[][] = [];
    let firstY: number[][] | undefined;
    for await (const { xs, ys } of toTensorBatches(Dataset.from(images(10)), { batchSize: 4, numClasses: 3 })) {
      shapes.push(xs.shape);
      firstY ??= (await ys.array()) as number[][];
      expect(ys.shape).toEqual([xs.shape[0], 3]);
      tf.dispose([xs, ys]);
    }
    expect(shapes).toEqual([
      [4, 2, 2, 1],
      [4, 2, 2, 1],
      [2, 2, 2, 1],
    ]);
    expect(firstY![1]).toEqual([0, 1, 0]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('supports custom toX/toY, int labels, dropRemainder and early break without leaks', async () => {
    const base = tf.memory().numTensors;
    const ds = Dataset.from([1, 2, 3, 4, 5]);
    const it = toTensorBatches(ds, { batchSize: 2, toX: (v) => [v, v * 10], xShape: [2], toY: (v) => v, yDtype: 'int32', dropRemainder: true });
    const got: number[][] = [];
    for await (const { xs, ys } of it) {
      expect(ys.dtype).toBe('int32');
      got.push((await ys.data()) as unknown as number[]);
      expect(await xs.array()).toEqual([
        [got.length * 2 - 1, (got.length * 2 - 1) * 10],
        [got.length * 2, got.length * 2 * 10],
      ]);
      tf.dispose([xs, ys]);
      if (got.length === 1) break;
    }
    expect(got).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('reports a feature-length mismatch and a bad label', async () => {
    const bad = Dataset.from([{ image: new Float32Array(3), shape: [2, 2, 1] as [number, number, number], label: 0 }]);
    await expect(toTensorBatches(bad, { batchSize: 1 }).next()).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    await expect(toTensorBatches(Dataset.from(images(2)), { batchSize: 2, numClasses: 1 }).next()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

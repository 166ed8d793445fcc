/**
 * Unpack gradient fix: stock tfjs throws ("Argument tensors passed to stack must be a Tensor[]")
 * when the unstacked axis has length 1, e.g. an LSTM/GRU on a batch of one-token texts.
 */
import { selectBackend, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`unstack gradient on ${backend}`, () => {
    it('axis of length 1 (one output) and of length 3 give d(sum(w·x))/dx = w', async () => {
      await selectBackend(backend);
      const before = tf.memory().numTensors;
      for (const t of [1, 3]) {
        const x = tf.randomNormal([2, t, 4]);
        const w = tf.randomNormal([2, t, 4]);
        const g = tf.grad((v: tf.Tensor) => tf.addN(tf.unstack(tf.mul(v, w), 1).map((p) => tf.sum(p))))(x);
        expect(g.shape).toEqual([2, t, 4]);
        const [got, want] = [await g.data(), await w.data()];
        got.forEach((v, i) => { expect(v).toBeCloseTo(want[i]!, 6); });
        tf.dispose([x, w, g]);
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it('a masked bidirectional GRU (the text models) trains on a batch of one-token texts', async () => {
      await selectBackend(backend);
      const before = tf.memory().numTensors;
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, inputShape: [null] }),
          tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3 }) as unknown as tf.layers.RNN }),
          tf.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const [xs, ys] = [tf.tensor2d([[1], [2], [3], [4]], [4, 1], 'int32'), tf.zeros([4, 1])];
      const h = await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0 });
      expect(Number.isFinite(h.history.loss![0] as number)).toBe(true);
      tf.dispose([xs, ys]);
      model.optimizer.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}

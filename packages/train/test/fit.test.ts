import { isDlkitError, tf } from '@dlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callback, evaluate, fit, predict, runLoop } from '../src/index.js';
import { batchSource, blobs, cpu, denseModel } from './helpers.js';

beforeAll(cpu);

// Adam creates its slot variables on the first step; they belong to the optimizer, not a leak.
async function warm(model: tf.LayersModel, data: { x: tf.Tensor; y: tf.Tensor }) {
  await model.trainOnBatch(data.x, data.y);
}

describe('fit', () => {
  let data: ReturnType<typeof blobs>;
  beforeAll(() => {
    data = blobs(90);
  });
  afterAll(() => tf.dispose([data.x, data.y]));

  it('trains on tensors, drives callbacks in Keras order, returns a History and leaks nothing', async () => {
    const model = denseModel();
    await warm(model, data);
    const base = tf.memory().numTensors;
    const events: string[] = [];
    const cb: Callback = {
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin${e}`),
      onBatchBegin: (b) => void events.push(`batchBegin${b}`),
      onBatchEnd: (b, logs) => {
        events.push(`batchEnd${b}`);
        expect(typeof logs.loss).toBe('number');
      },
      onEpochEnd: (e, logs) => {
        events.push(`epochEnd${e}`);
        expect(Object.keys(logs).sort()).toEqual(['acc', 'loss', 'lr', 'val_acc', 'val_loss']);
      },
      onTrainEnd: () => void events.push('trainEnd'),
    };
    const h = await fit(model, data.x, data.y, { epochs: 6, batchSize: 16, validationSplit: 0.2, seed: 3, callbacks: [cb] });
    expect(h.epoch).toEqual([0, 1, 2, 3, 4, 5]);
    expect(h.history.loss!.length).toBe(6);
    expect(h.history.loss![5]!).toBeLessThan(h.history.loss![0]!);
    expect(h.history.val_acc![5]!).toBeGreaterThan(0.8);
    expect(h.history.lr![0]).toBeCloseTo(0.05);
    // 72 training samples / 16 = 5 batches.
    expect(events.slice(0, 4)).toEqual(['trainBegin', 'epochBegin0', 'batchBegin0', 'batchEnd0']);
    expect(events.filter((e) => e.startsWith('batchEnd')).length).toBe(30);
    expect(events.at(-2)).toBe('epochEnd5');
    expect(events.at(-1)).toBe('trainEnd');
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
  });

  it('is reproducible with a seed', async () => {
    const run = async () => {
      const m = denseModel();
      const h = await fit(m, data.x, data.y, { epochs: 2, batchSize: 16, seed: 11 });
      m.dispose();
      return h.history.loss;
    };
    expect(await run()).toEqual(await run());
  });

  it('is reproducible with a seed through dropout (its masks draw from the seeded Math.random), and restores Math.random', async () => {
    const original = Math.random;
    const run = async (seed: number) => {
      const m = tf.sequential({
        layers: [
          tf.layers.dense({ units: 16, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
          tf.layers.dropout({ rate: 0.5 }),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
      m.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
      const h = await fit(m, data.x, data.y, { epochs: 2, batchSize: 16, seed });
      m.dispose();
      return h.history.loss;
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
    expect(Math.random).toBe(original);
  });

  it('trains on a dataset of batches with validationData, and evaluate/predict leak nothing', async () => {
    const model = denseModel();
    await warm(model, data);
    const base = tf.memory().numTensors;
    const h = await fit(model, batchSource(data.x, data.y, 30), { epochs: 3, validationData: [data.x, data.y] });
    expect(h.history.val_loss!.length).toBe(3);
    const logs = await evaluate(model, batchSource(data.x, data.y, 40));
    const logs2 = await evaluate(model, data.x, data.y, { batchSize: 7 });
    expect(logs.loss).toBeCloseTo(logs2.loss!, 4);
    expect(logs.acc).toBeCloseTo(logs2.acc!, 5);
    const p = (await predict(model, batchSource(data.x, data.y, 40))) as tf.Tensor;
    const q = (await predict(model, data.x)) as tf.Tensor;
    expect(p.shape).toEqual([90, 3]);
    const diff = tf.tidy(() => tf.sub(p, q).abs().max());
    expect((await diff.data())[0]).toBeLessThan(1e-5);
    diff.dispose();
    tf.dispose([p, q]);
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
  });

  it('applies classWeight (a zero weight stops a class from being learned)', async () => {
    const model = denseModel({ seed: 5 });
    await warm(model, data);
    const base = tf.memory().numTensors;
    await fit(model, data.x, data.y, { epochs: 15, batchSize: 30, seed: 1, classWeight: { 0: 1, 1: 1, 2: 0 } });
    const pred = tf.tidy(() => (model.predict(data.x) as tf.Tensor).argMax(1));
    const arr = Array.from(await pred.data());
    pred.dispose();
    expect(arr.filter((v, i) => v === 2 && data.labels[i] === 2).length).toBeLessThan(10);
    expect(tf.memory().numTensors).toBe(base);
    await expect(fit(model, data.x, data.y, { classWeight: { 0: 1 } })).rejects.toThrow(/classWeight has no weight for class/);
    model.dispose();
  });

  it('stops on stopTraining and on an AbortSignal after the current batch', async () => {
    const model = denseModel();
    const stopper: Callback & { ctx?: unknown } = {};
    let ctxRef: { stopTraining: boolean } | undefined;
    stopper.setContext = (c) => {
      ctxRef = c;
    };
    stopper.onEpochEnd = (e) => {
      if (e === 1) ctxRef!.stopTraining = true;
    };
    const h = await fit(model, data.x, data.y, { epochs: 5, callbacks: [stopper] });
    expect(h.epoch).toEqual([0, 1]);
    const ac = new AbortController();
    const h2 = await fit(model, data.x, data.y, {
      epochs: 5,
      batchSize: 10,
      signal: ac.signal,
      callbacks: [{ onBatchEnd: (b) => void (b === 2 && ac.abort()) }],
    });
    expect(h2.interrupted).toBe(true);
    expect(h2.stoppedAt).toEqual({ epoch: 0, step: 3 });
    model.dispose();
  });

  it('rejects bad input with DlkitErrors naming the problem', async () => {
    const model = denseModel();
    const y = data.y.slice(0, 10);
    await expect(fit(model, data.x, y)).rejects.toSatisfy((e) => isDlkitError(e, 'SHAPE_MISMATCH') && /90 samples but y has 10/.test(String(e)));
    await expect(fit(model, data.x, data.y, { epochs: -1 })).rejects.toThrow(/Invalid option epochs/);
    await expect(fit(model, data.x, data.y, { seed: 0.5 })).rejects.toThrow(/Invalid option seed/);
    const raw = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] });
    await expect(fit(raw, data.x, data.y)).rejects.toSatisfy((e) => isDlkitError(e, 'STATE'));
    tf.dispose([y]);
    model.dispose();
    raw.dispose();
  });
});

describe('runLoop (custom loop)', () => {
  it('drives the same callbacks without a model and continues a History', async () => {
    const seen: number[] = [];
    let v = 10;
    const h = await runLoop({
      epochs: 3,
      stepsPerEpoch: 4,
      trainStep: (_b, step) => ({ loss: v--, step }),
      validate: () => ({ loss: 1 }),
      callbacks: [{ onBatchEnd: (b) => void seen.push(b) }],
    });
    expect(seen).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    expect(h.history.loss).toEqual([8.5, 4.5, 0.5]);
    expect(h.history.val_loss).toEqual([1, 1, 1]);
    const h2 = await runLoop({ epochs: 5, initialEpoch: 3, history: h, stepsPerEpoch: 1, trainStep: () => ({ loss: 0 }) });
    expect(h2.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(h2.history.val_loss!.slice(3).every(Number.isNaN)).toBe(true);
  });

  it('runs a GAN-style step with two optimizers and logs lr', async () => {
    const a = tf.variable(tf.scalar(3));
    const b = tf.variable(tf.scalar(-3));
    const optA = tf.train.sgd(0.1);
    const optB = tf.train.sgd(0.1);
    const base = tf.memory().numTensors;
    const h = await runLoop({
      epochs: 2,
      data: [1, 2, 3],
      optimizer: optA,
      trainStep: () => {
        const la = optA.minimize(() => a.square() as tf.Scalar, true, [a])!;
        const lb = optB.minimize(() => b.square() as tf.Scalar, true, [b])!;
        const logs = { loss_a: la.dataSync()[0]!, loss_b: lb.dataSync()[0]! };
        tf.dispose([la, lb]);
        return logs;
      },
    });
    expect(h.history.loss_a![1]!).toBeLessThan(h.history.loss_a![0]!);
    expect(h.history.lr).toEqual([0.1, 0.1]);
    expect(tf.memory().numTensors).toBe(base);
    tf.dispose([a, b]);
    optA.dispose();
    optB.dispose();
  });
});

import { tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cosineDecay,
  earlyStopping,
  exponentialDecay,
  fit,
  getLearningRate,
  type Logs,
  learningRateScheduler,
  linearWarmup,
  oneCycle,
  progressBar,
  reduceLROnPlateau,
  runLoop,
  setLearningRate,
  stepDecay,
  terminateOnNaN,
} from '../src/index.js';
import { blobs, cpu, denseModel } from './helpers.js';

beforeAll(cpu);

/** A loop whose epoch logs are scripted: one step per epoch. */
function scripted(values: Logs[], callbacks: Parameters<typeof runLoop>[0]['callbacks'], optimizer?: tf.Optimizer) {
  let e = 0;
  return runLoop({ epochs: values.length, stepsPerEpoch: 1, trainStep: () => values[e++]!, callbacks, optimizer });
}

describe('learning-rate access', () => {
  it('reads and writes the LR of SGD, Momentum, Adam, Adamax, RMSProp, Adagrad, Adadelta', () => {
    const opts = [
      tf.train.sgd(0.1),
      tf.train.momentum(0.1, 0.9),
      tf.train.adam(0.1),
      tf.train.adamax(0.1),
      tf.train.rmsprop(0.1),
      tf.train.adagrad(0.1),
      tf.train.adadelta(0.1),
    ];
    for (const o of opts) {
      expect(getLearningRate(o)).toBeCloseTo(0.1);
      setLearningRate(o, 0.01);
      expect(getLearningRate(o)).toBeCloseTo(0.01);
      o.dispose();
    }
  });

  it('really changes the SGD step (its rate lives in a scalar, not the field)', () => {
    const v = tf.variable(tf.scalar(1));
    const sgd = tf.train.sgd(0.1);
    setLearningRate(sgd, 0.5);
    sgd.minimize(() => v.mul(2).sum() as tf.Scalar, false, [v]); // grad 2 → 1 - 0.5*2 = 0
    expect(v.dataSync()[0]).toBeCloseTo(0);
    v.dispose();
    sgd.dispose();
    expect(() => setLearningRate(tf.train.sgd(0.1), -1)).toThrow(/learningRate/);
  });
});

describe('schedules', () => {
  it('match hand-computed values', () => {
    const s = stepDecay({ initialLr: 1, dropRate: 0.5, stepSize: 2 });
    expect([0, 1, 2, 3, 4].map(s)).toEqual([1, 1, 0.5, 0.5, 0.25]);
    const e = exponentialDecay({ initialLr: 1, decayRate: 0.1, decaySteps: 2 });
    expect(e(1)).toBeCloseTo(Math.sqrt(0.1));
    expect(exponentialDecay({ initialLr: 1, decayRate: 0.1, decaySteps: 2, staircase: true })(3)).toBeCloseTo(0.1);
    const c = cosineDecay({ initialLr: 1, decaySteps: 10, alpha: 0.1 });
    expect(c(0)).toBeCloseTo(1);
    expect(c(5)).toBeCloseTo(0.55);
    expect(c(10)).toBeCloseTo(0.1);
    expect(c(20)).toBeCloseTo(0.1);
    const w = linearWarmup(stepDecay({ initialLr: 1, stepSize: 100 }), 4);
    expect([0, 2, 4, 5].map(w)).toEqual([0, 0.5, 1, 1]);
  });

  it('oneCycle follows PyTorch OneCycleLR (cosine, two phases)', () => {
    const s = oneCycle({ maxLr: 1, totalSteps: 100, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 });
    expect(s.per).toBe('step');
    expect(s(0)).toBeCloseTo(0.04);
    expect(s(29)).toBeCloseTo(1); // pct*total - 1
    expect(s(99)).toBeCloseTo(0.04 / 1e4);
    // Mid-way through phase 1: (0.04 + 1) / 2.
    expect(s(14.5)).toBeCloseTo(0.52);
    expect(() => oneCycle({ maxLr: 1, totalSteps: 2, pctStart: 0.1 })).toThrow(/pctStart/);
  });

  it('learningRateScheduler sets the optimizer LR per epoch and per step', async () => {
    const opt = tf.train.sgd(1);
    const h = await runLoop({
      epochs: 3,
      stepsPerEpoch: 2,
      optimizer: opt,
      trainStep: () => ({ loss: 1 }),
      callbacks: [learningRateScheduler((epoch: number) => 0.1 * (epoch + 1))],
    });
    expect(h.history.lr!.map((v) => +v.toFixed(6))).toEqual([0.1, 0.2, 0.3]);
    const lrs: number[] = [];
    await runLoop({
      epochs: 2,
      stepsPerEpoch: 5,
      optimizer: opt,
      trainStep: () => ({ loss: 1 }),
      callbacks: [learningRateScheduler(oneCycle({ maxLr: 1, totalSteps: 10 })), { onBatchEnd: (_b, l) => void lrs.push(l.lr!) }],
    });
    expect(lrs.length).toBe(10);
    expect(lrs[0]).toBeCloseTo(0.04);
    expect(Math.max(...lrs)).toBeGreaterThan(0.9);
    expect(lrs[9]).toBeCloseTo(0.04 / 1e5);
    opt.dispose();
  });
});

describe('earlyStopping', () => {
  const losses = [5, 4, 3, 3.5, 3.2, 3.1, 2, 1].map((v) => ({ loss: v, val_loss: v }));

  it('stops after `patience` epochs without improvement', async () => {
    const es = earlyStopping({ monitor: 'val_loss', patience: 2 });
    const h = await scripted(losses, [es]);
    expect(h.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(es.stoppedEpoch).toBe(4);
    expect(es.bestEpoch).toBe(2);
  });

  it('honours minDelta, mode max and baseline', async () => {
    const a = earlyStopping({ monitor: 'val_loss', patience: 1, minDelta: 1.5 });
    expect((await scripted(losses, [a])).epoch).toEqual([0, 1]);
    const acc = [0.5, 0.6, 0.55, 0.58].map((v) => ({ loss: 1, val_acc: v }));
    const b = earlyStopping({ monitor: 'val_acc', patience: 2 }); // auto → max
    expect((await scripted(acc, [b])).epoch).toEqual([0, 1, 2, 3]);
    expect(b.bestEpoch).toBe(1);
    const c = earlyStopping({ monitor: 'val_loss', patience: 3, baseline: 1 });
    expect((await scripted(losses, [c])).epoch).toEqual([0, 1, 2]);
  });

  it('names the missing monitor key', async () => {
    await expect(scripted([{ loss: 1 }, { loss: 1 }], [earlyStopping()])).rejects.toThrow(/"val_loss" is not in the epoch logs \(loss\)/);
  });

  it('restores the best weights into the model', async () => {
    const data = blobs(30);
    const model = denseModel({ lr: 0.05 });
    await model.trainOnBatch(data.x, data.y);
    const base = tf.memory().numTensors;
    let bestKernel: number[] = [];
    const es = earlyStopping({ monitor: 'fake', mode: 'min', patience: 2, restoreBestWeights: true });
    const fakes = [3, 1, 2, 2.5, 2.7];
    const capture = {
      onEpochEnd: (e: number, logs: Logs) => {
        logs.fake = fakes[e]!;
        if (e === 1) bestKernel = Array.from(model.layers[2]!.getWeights()[0]!.dataSync());
      },
    };
    const h = await fit(model, data.x, data.y, { epochs: 5, batchSize: 10, callbacks: [capture, es] });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(Array.from(model.layers[2]!.getWeights()[0]!.dataSync())).toEqual(bestKernel);
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
    tf.dispose([data.x, data.y]);
  });
});

describe('reduceLROnPlateau', () => {
  it('cuts the LR by `factor` after `patience` flat epochs, respecting cooldown and minLr', async () => {
    const opt = tf.train.adam(1);
    const flat = [1, 1, 1, 1, 1, 1, 1, 1].map((v) => ({ loss: v, val_loss: v }));
    const h = await scripted(flat, [reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, minLr: 0.2 })], opt);
    // Logged lr is the rate used during that epoch; the cut happens at the end of epochs 2, 4, 6
    // (patience 2, then 1 cooldown epoch that does not count), floored at minLr.
    expect(h.history.lr!.map((v) => +v.toFixed(4))).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.2]);
    opt.dispose();
  });
});

describe('terminateOnNaN and progressBar', () => {
  it('stops on a NaN loss', async () => {
    const t = terminateOnNaN();
    const h = await runLoop({ epochs: 3, stepsPerEpoch: 3, trainStep: (_b, s) => ({ loss: s === 4 ? Number.NaN : 1 }), callbacks: [t] });
    expect(t.stoppedAt).toEqual({ epoch: 1, batch: 1 });
    expect(h.epoch).toEqual([0, 1]);
  });

  it('reports epoch, step/total and metrics through core progress (callback mode and JSON lines)', async () => {
    const events: { label: string; current: number; total?: number; metrics?: Record<string, number>; done?: boolean }[] = [];
    await runLoop({ epochs: 2, stepsPerEpoch: 3, trainStep: () => ({ loss: 0.5, acc: 0.9 }), callbacks: [progressBar({ mode: (e) => events.push(structuredClone(e)) })] });
    expect(events[0]).toMatchObject({ label: 'epoch 1/2', current: 1, total: 3, metrics: { loss: 0.5, acc: 0.9 } });
    expect(events.filter((e) => e.done).map((e) => e.label)).toEqual(['epoch 1/2', 'epoch 2/2']);
    let out = '';
    await runLoop({ epochs: 1, stepsPerEpoch: 2, trainStep: () => ({ loss: 0.25 }), callbacks: [progressBar({ mode: 'json', stream: { write: (s: string) => (out += s) } })] });
    const last = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ progress: 'epoch 1/1', current: 2, total: 2, loss: 0.25, done: true });
    let bar = '';
    await runLoop({ epochs: 1, stepsPerEpoch: 2, trainStep: () => ({ loss: 0.25 }), callbacks: [progressBar({ mode: 'bar', stream: { write: (s: string) => (bar += s), isTTY: true, columns: 120 } })] });
    expect(bar).toMatch(/epoch 1\/1 \[█+\] 2\/2 .*loss=0\.2500/);
  });
});

import { tf } from '@dlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fineTune, getLearningRate, lrFind, lrFindSuggestions, plotLrFind, progressBar } from '../src/index.js';
import { batchSource, blobs, cpu, denseModel } from './helpers.js';

beforeAll(cpu);

let data: ReturnType<typeof blobs>;
beforeAll(() => {
  data = blobs(96);
});
afterAll(() => tf.dispose([data.x, data.y]));

// Per layer: model.getWeights() lists trainable weights first, so its order changes when layers freeze.
const snapshot = (m: tf.LayersModel) => m.layers.flatMap((l) => l.getWeights()).map((w) => Array.from(w.dataSync()));

describe('lrFind', () => {
  it('sweeps exponentially, stops on divergence, restores weights and optimizer, leaks nothing', async () => {
    const model = denseModel({ optimizer: tf.train.sgd(0.01) });
    await model.trainOnBatch(data.x, data.y);
    const before = snapshot(model);
    const base = tf.memory().numTensors;
    const r = await lrFind(model, [data.x, data.y], { batchSize: 16, numIter: 60, startLr: 1e-4, endLr: 1e3 });
    expect(r.lrs[0]).toBeCloseTo(1e-4);
    expect(r.lrs[1]! / r.lrs[0]!).toBeCloseTo((1e3 / 1e-4) ** (1 / 59), 6);
    expect(r.lrs.length).toBeLessThan(60); // lr 1e3 on SGD diverges before the end
    expect(r.losses.length).toBe(r.lrs.length);
    expect(snapshot(model)).toEqual(before);
    expect(getLearningRate(model.optimizer)).toBe(0.01);
    expect(tf.memory().numTensors).toBe(base);
    for (const k of ['steep', 'valley', 'minimum'] as const) {
      expect(r.suggestion[k]).toBeGreaterThan(1e-4);
      expect(r.suggestion[k]).toBeLessThan(1e3);
    }
    const svg = plotLrFind(r);
    expect(svg).toContain('Learning-rate finder');
    expect(svg).toContain('valley');
    model.dispose();
  });

  it('works on a dataset, cycling it when numIter exceeds its batches', async () => {
    const model = denseModel();
    const r = await lrFind(model, batchSource(data.x, data.y, 32), { numIter: 10, stopDiv: false });
    expect(r.lrs.length).toBe(10);
    model.dispose();
  });

  it('suggestions match fastai on a hand-made curve', () => {
    const lrs = Array.from({ length: 10 }, (_, i) => 10 ** (i - 5));
    const losses = [5, 5, 4, 3, 1, 0.5, 0.4, 0.6, 2, 9];
    const s = lrFindSuggestions(lrs, losses);
    expect(s.minimum).toBeCloseTo(10 ** (6 - 5) / 10);
    expect(s.steep).toBeCloseTo(10 ** (3 - 5)); // largest drop around index 3 (3 → 1 over two steps)
    // Longest decreasing run 1..6 (lds=6): start 0, sections 2 → idx 0 + 2 + 1 = 3.
    expect(s.valley).toBeCloseTo(10 ** (3 - 5));
  });
});

describe('fineTune', () => {
  it('freezes the base for the head phase, then trains all layers with a lower base LR', async () => {
    const model = denseModel({ lr: 0.05 });
    const w0 = snapshot(model);
    const afterHead: number[][][] = [];
    const h = await fineTune(model, data.x, data.y, {
      baseLayers: ['base1', 'base2'],
      freezeEpochs: 2,
      epochs: 2,
      baseLr: 0.05,
      lrMult: 0.1,
      batchSize: 16,
      seed: 1,
      callbacks: [{ onEpochEnd: (e) => void (e === 1 && afterHead.push(snapshot(model))) }, progressBar({ mode: 'none' })],
    });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    const head = afterHead[0]!;
    // Base kernels/biases (weights 0..3) unchanged during the head phase, head (4, 5) changed.
    for (let i = 0; i < 4; i++) expect(head[i]).toEqual(w0[i]);
    expect(head[4]).not.toEqual(w0[4]);
    const end = snapshot(model);
    expect(end[0]).not.toEqual(head[0]);
    expect(end[4]).not.toEqual(head[4]);
    expect(model.layers.every((l) => l.trainable)).toBe(true);
    expect(h.history.lr).toEqual([0.05, 0.05, 0.05, 0.05].map((v) => expect.closeTo(v, 6)));
    model.dispose();
  });

  it('leaks nothing and validates its options', async () => {
    const model = denseModel();
    await model.trainOnBatch(data.x, data.y);
    const base = tf.memory().numTensors;
    await fineTune(model, batchSource(data.x, data.y, 32), { freezeUntil: 'head', freezeEpochs: 1, epochs: 1, validationData: [data.x, data.y] });
    expect(tf.memory().numTensors).toBe(base);
    await expect(fineTune(model, data.x, data.y, { baseLayers: ['nope'] })).rejects.toThrow(/no layer named "nope"; layers are base1, base2, head/);
    await expect(fineTune(model, data.x, data.y, { baseLayers: 1, freezeUntil: 'head' })).rejects.toThrow(/not both/);
    model.dispose();
  });
});

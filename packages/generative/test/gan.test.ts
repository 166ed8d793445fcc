import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierMetrics } from '../src/classifier-metrics.js';
import { frechetDistance, meanCov, symmetricEigen } from '../src/frechet.js';
import { Gan } from '../src/gan.js';
import { loadGan, saveGan } from '../src/node/gan-io.js';
import { SpectralNorm } from '../src/spectral-norm.js';
import { patterns, SHAPE } from './helpers.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

function gaussian(n: number, d: number, mean: number[], scale: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = mean[j]! + scale[j]! * rng.normal();
  return out;
}

describe('Fréchet distance', () => {
  it('Jacobi eigenvalues of a known symmetric matrix', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 10), expect.closeTo(3, 10)]);
  });

  it('matches the closed form for Gaussians: ‖Δμ‖² + Σ (σ₁ − σ₂)² for diagonal covariances', () => {
    const a = { mean: Float64Array.from([0, 0]), cov: Float64Array.from([1, 0, 0, 4]) };
    const b = { mean: Float64Array.from([3, 4]), cov: Float64Array.from([4, 0, 0, 1]) };
    expect(frechetDistance(a, b)).toBeCloseTo(25 + 1 + 1, 8);
    expect(frechetDistance(a, a)).toBeCloseTo(0, 8);
  });

  it('is small for two samples of one distribution and grows with a shift', () => {
    const d = 3;
    const x = meanCov(gaussian(4000, d, [0, 0, 0], [1, 2, 0.5], 1), 4000, d);
    const y = meanCov(gaussian(4000, d, [0, 0, 0], [1, 2, 0.5], 2), 4000, d);
    const z = meanCov(gaussian(4000, d, [1, 0, 0], [1, 2, 0.5], 3), 4000, d);
    expect(frechetDistance(x, y)).toBeLessThan(0.05);
    expect(frechetDistance(x, z)).toBeGreaterThan(0.9);
  });
});

describe('Gan', () => {
  it('ACGAN steps give finite losses, samples in [0, 1], labels checked, no leaks', () => {
    const before = tf.memory().numTensors;
    const gan = Gan.create({ imageShape: SHAPE, latentDim: 8, classes: 4, gFilters: [8, 4], dFilters: [4, 8] });
    gan.compile({ learningRate: 2e-4, learningRateD: 4e-4, labelSmoothing: 0.1, spectralNorm: true });
    const { images, labels } = patterns(32);
    const x = tf.tidy(() => tf.tensor4d(images, [32, ...SHAPE]).mul(2).sub(1) as tf.Tensor4D);
    const rng = new Rng(0);
    for (let i = 0; i < 3; i++) {
      const r = gan.trainStep(x, labels, rng);
      expect(Number.isFinite(r.dLoss) && Number.isFinite(r.gLoss)).toBe(true);
      expect(r.dReal).toBeGreaterThan(0);
    }
    const s = gan.sample({ n: 4, label: [0, 1, 2, 3], seed: 1 });
    expect(s.shape).toEqual([4, 8, 8, 1]);
    const v = s.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    expect(() => gan.sample({ n: 2 })).toThrow(/label/);
    tf.dispose([x, s]);
    gan.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("upsample 'nearest' (default) and 'transpose' generators both give [n, h, w, c] images; other values are refused", () => {
    for (const upsample of ['nearest', 'transpose'] as const) {
      const gan = Gan.create({ imageShape: SHAPE, latentDim: 4, gFilters: [4, 4], dFilters: [4, 4], upsample });
      expect(gan.graph.layers.some((l) => l.getClassName() === 'UpSampling2D')).toBe(upsample === 'nearest');
      const s = gan.sample({ n: 3 });
      expect(s.shape).toEqual([3, 8, 8, 1]);
      s.dispose();
      gan.dispose();
    }
    expect(() => Gan.create({ upsample: 'bicubic' as never })).toThrow(/upsample/);
  });

  it('create({ seed }) gives the same initial weights; another seed gives others', () => {
    const weights = (seed: number) => {
      const gan = Gan.create({ imageShape: SHAPE, latentDim: 4, gFilters: [4, 4], dFilters: [4, 4], seed });
      const w = gan.graph.getWeights().map((t) => Array.from(t.dataSync()));
      gan.dispose();
      return w;
    };
    expect(weights(5)).toEqual(weights(5));
    expect(weights(5)).not.toEqual(weights(6));
  });

  it('spectral-norm projection bounds each kernel’s largest singular value by ~1', () => {
    const w = tf.variable(tf.tensor2d([[3, 0], [0, 0.5]]));
    const sn = new SpectralNorm([w]);
    let sigma = 0;
    for (let i = 0; i < 5; i++) sigma = sn.project()[0]!;
    expect(sigma).toBeLessThan(1.01);
    expect(w.dataSync()[0]).toBeCloseTo(1, 2);
    expect(w.dataSync()[3]).toBeCloseTo(0.5 / 3, 2);
    sn.dispose();
    w.dispose();
  });

  it('saves/loads as one directory and scores samples with a passed-in classifier', async () => {
    const gan = Gan.create({ imageShape: SHAPE, latentDim: 8, classes: 4, gFilters: [8, 4], dFilters: [4, 8] });
    const dir = join(mkdtempSync(join(tmpdir(), 'gen-gan-')), 'g');
    await saveGan(gan, dir);
    const { gan: back } = await loadGan(dir);
    const a = gan.sample({ n: 2, seed: 3, label: 1 });
    const b = back.sample({ n: 2, seed: 3, label: 1 });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    // A tiny "classifier": flatten → dense 6 (penultimate features) → softmax over 4 classes.
    const clf = tf.sequential({ layers: [tf.layers.flatten({ inputShape: SHAPE }), tf.layers.dense({ units: 6, activation: 'relu' }), tf.layers.dense({ units: 4, activation: 'softmax' })] });
    const real = patterns(40).images;
    const m = classifierMetrics(clf, real, SHAPE, { real, intended: patterns(40).labels });
    // Real vs itself: distance 0; halves of the real set: the sampling-noise floor.
    expect(m.frechet).toBeCloseTo(0, 4);
    expect(m.realVsReal).toBeGreaterThanOrEqual(0);
    expect(m.classHistogram.reduce((s, h) => s + h, 0)).toBeCloseTo(1, 3);
    expect(m.classAccuracy).toBeGreaterThanOrEqual(0);
    // A disjoint baseline set identical to the reference: distance 0; per-class accuracy per intended class.
    const withBase = classifierMetrics(clf, real, SHAPE, { real, realBaseline: real, intended: patterns(40).labels });
    expect(withBase.realVsReal).toBeCloseTo(0, 4);
    expect(withBase.perClassAccuracy).toHaveLength(4);
    const acc = withBase.perClassAccuracy!.reduce((s, v) => s + v, 0) / 4;
    expect(acc).toBeCloseTo(withBase.classAccuracy!, 6); // 10 samples per class
    tf.dispose([a, b]);
    clf.dispose();
    gan.dispose();
    back.dispose();
  });
});

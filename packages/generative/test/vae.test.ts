import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { binarize, fitVae, interpolatePath, slerp, Vae } from '../src/index.js';
import { loadVae, saveVae } from '../src/node.js';
import { patterns, SHAPE } from './helpers.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** A VAE whose weights are all zero: q(z|x) = p(z) = N(0, I) and p(x|z) = Bernoulli(½) per pixel. */
function zeroVae(opts: Parameters<typeof Vae.create>[0] = {}): Vae {
  const vae = Vae.create({ imageShape: SHAPE, hidden: [16], latentDim: 3, ...opts });
  const zeros = vae.graph.getWeights().map((w) => tf.zerosLike(w));
  vae.graph.setWeights(zeros);
  tf.dispose(zeros);
  return vae;
}

describe('Vae', () => {
  it('validates options with errors naming the option', () => {
    expect(() => Vae.create({ arch: 'rnn' as 'mlp' })).toThrow(/arch.*"mlp", "conv"/);
    expect(() => Vae.create({ hidden: [0] })).toThrow(/hidden\[0\]/);
    expect(() => Vae.create({ arch: 'conv', imageShape: [10, 10, 1] })).toThrow(/divisible by 4/);
  });

  it('negative ELBO and IW-NLL are exactly n·ln 2 when q = p and the decoder outputs ½', () => {
    const before = tf.memory().numTensors;
    const vae = zeroVae();
    const x = binarize(patterns(20).images, new Rng(1));
    const e = vae.negElbo(x);
    expect(e.kl).toBeCloseTo(0, 5);
    expect(e.negElbo).toBeCloseTo(64 * Math.LN2, 3);
    // log w = log p(x|z) exactly, whatever z: the importance-weighted bound equals it for any k.
    expect(vae.iwNll(x, undefined, { k: 7 }).iwNll).toBeCloseTo(64 * Math.LN2, 3);
    vae.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains (MLP and conv, conditional), IW-NLL ≤ ELBO bound, no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const { images, labels } = patterns(256);
    for (const opts of [{ arch: 'mlp' as const }, { arch: 'conv' as const, filters: [4, 8] as [number, number], classes: 4 }]) {
      const vae = Vae.create({ imageShape: SHAPE, latentDim: 4, hidden: [32], ...opts, seed: 1 });
      const test = binarize(patterns(64, 9).images, new Rng(3));
      const testLabels = vae.conditional ? patterns(64, 9).labels : undefined;
      const start = vae.negElbo(test, testLabels).negElbo;
      const { history, diverged } = await fitVae(vae, { images, labels }, { epochs: 6, batchSize: 32, learningRate: 3e-3, seed: 1 });
      expect(diverged).toBeUndefined();
      expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5]);
      const end = vae.negElbo(test, testLabels, { seed: 2 }).negElbo;
      expect(end).toBeLessThan(start - 10);
      const iw = vae.iwNll(test, testLabels, { k: 20, seed: 2 }).iwNll;
      expect(iw).toBeLessThan(end + 0.5);
      vae.graph.optimizer.dispose();
      vae.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('create({ seed }) gives the same initial weights; another seed gives others', () => {
    const weights = (seed?: number) => {
      const vae = Vae.create({ imageShape: SHAPE, latentDim: 3, hidden: [8], seed });
      const w = vae.graph.getWeights().map((t) => Array.from(t.dataSync()));
      vae.dispose();
      return w;
    };
    expect(weights(5)).toEqual(weights(5));
    expect(weights(5)).not.toEqual(weights(6));
  });

  it('samples, reconstructs and interpolates with the right shapes; labels are checked', () => {
    const before = tf.memory().numTensors;
    const vae = Vae.create({ imageShape: SHAPE, latentDim: 3, hidden: [8], classes: 4 });
    const s = vae.sample({ n: 5, label: 2, seed: 1 });
    expect(s.shape).toEqual([5, 8, 8, 1]);
    const v = s.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    // Same seed, same samples.
    const again = vae.sample({ n: 5, label: 2, seed: 1 });
    expect(Array.from(again.dataSync())).toEqual(Array.from(v));
    expect(() => vae.sample({ n: 2 })).toThrow(/label/);
    expect(() => vae.sample({ n: 2, label: 4 })).toThrow(/\[0, 4\)/);
    const x = tf.tensor4d(patterns(3).images, [3, 8, 8, 1]);
    const r = vae.reconstruct(x, [0, 1, 2]);
    expect(r.shape).toEqual([3, 8, 8, 1]);
    const [a, b] = tf.tidy(() => [x.slice([0], [1]).reshape([8, 8, 1]), x.slice([1], [1]).reshape([8, 8, 1])]);
    const path = vae.interpolate(a!, b!, { steps: 4, label: 0, labelB: 1 });
    expect(path.shape).toEqual([4, 8, 8, 1]);
    tf.dispose([s, again, x, r, path, a!, b!]);
    vae.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const plain = Vae.create({ imageShape: SHAPE, latentDim: 3, hidden: [8] });
    expect(() => plain.sample({ n: 1, label: 0 })).toThrow(/unconditional/);
    plain.dispose();
  });

  it('slerp keeps endpoints and the norm of orthogonal equal-norm latents; lerp shrinks it', () => {
    const a = [3, 0];
    const b = [0, 3];
    const p = interpolatePath(a, b, 5, 'spherical');
    expect(Array.from(p.slice(0, 2))).toEqual([3, 0]);
    expect(p[8]).toBeCloseTo(0, 6);
    expect(p[9]).toBeCloseTo(3, 6);
    const mid = slerp(a, b, 0.5);
    expect(Math.hypot(mid[0]!, mid[1]!)).toBeCloseTo(3, 5);
    const lin = interpolatePath(a, b, 3, 'linear');
    expect(Math.hypot(lin[2]!, lin[3]!)).toBeCloseTo(3 / Math.SQRT2, 5);
    expect(() => interpolatePath(a, b, 1)).toThrow(/steps/);
  });

  it('saves and loads as one model directory with the same samples', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gen-vae-')), 'm');
    const vae = Vae.create({ imageShape: SHAPE, latentDim: 3, hidden: [8], beta: 2 });
    const a = vae.sample({ n: 3, seed: 4 });
    await saveVae(vae, dir, { metrics: { testNegElbo: 1 } });
    const { vae: back, card } = await loadVae(dir);
    expect(back.options).toEqual(vae.options);
    expect(card.extra?.kind).toBe('vae');
    const b = back.sample({ n: 3, seed: 4 });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    vae.dispose();
    back.dispose();
  });
});

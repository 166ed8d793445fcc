import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, holdoutPerUser, kFold, leaveLastOut, MeanBaseline, Recommender, rankingMetrics, ratingMetrics, topK } from '../src/index.js';
import { bprGradients } from '../src/models/bpr.js';
import { factorGradients } from '../src/models/factor.js';
import type { TwoTowerModel } from '../src/models/two-tower.js';
import { itemGroup, likedOnly, syntheticRatings } from './helpers.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('topK', () => {
  it('matches a full sort and skips excluded items', () => {
    const s = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i * 7.3));
    const sorted = [...s.keys()].sort((a, b) => s[b]! - s[a]!);
    expect(topK(s, 5)).toEqual(sorted.slice(0, 5));
    expect(topK(s, 5, new Set([sorted[0]!, sorted[2]!]))).toEqual([sorted[1], sorted[3], sorted[4], sorted[5], sorted[6]]);
    expect(topK(s, 100).length).toBe(50);
  });
});

describe('factor model gradients', () => {
  it('hand-written SVD++ gradients equal tf.grads of the L2-regularised objective', () => {
    tf.tidy(() => {
      const nU = 5;
      const nI = 4;
      const k = 3;
      const mask = tf.tensor2d([1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0], [nU, nI]);
      const residual = tf.randomNormal([nU, nI], 0, 1, 'float32', 3).mul(mask) as tf.Tensor2D;
      const n = 11;
      const cols = (a: number, b: number) => tf.concat([tf.fill([1, k], 0.1), tf.tensor2d([[a, b]])], 1);
      const wU = tf.tensor2d([3, 3, 2, 1, 2], [nU, 1]).mul(cols(0.01, 0)).mul(2 / n);
      const wV = tf.tensor2d([3, 3, 3, 2], [nI, 1]).mul(cols(0, 0.01)).mul(2 / n);
      const maskU = tf.tensor2d([[1, 1, 1, 1, 0]]);
      const maskV = tf.tensor2d([[1, 1, 1, 0, 1]]);
      const maskY = tf.tensor2d([[1, 1, 1, 0, 0]]);
      const implicitRows = mask.div(mask.sum(1, true).sqrt()) as tf.Tensor2D;
      const wY = tf.tensor2d([3, 3, 3, 2], [nI, 1]).mul(0.3 * (2 / n)).mul(maskY);
      const U = tf.concat([tf.randomNormal([nU, k], 0, 0.5, 'float32', 1), tf.randomNormal([nU, 1], 0, 0.5, 'float32', 4), tf.ones([nU, 1])], 1) as tf.Tensor2D;
      const V = tf.concat([tf.randomNormal([nI, k], 0, 0.5, 'float32', 2), tf.ones([nI, 1]), tf.randomNormal([nI, 1], 0, 0.5, 'float32', 5)], 1) as tf.Tensor2D;
      const Y = tf.concat([tf.randomNormal([nI, k], 0, 0.5, 'float32', 6), tf.zeros([nI, 2])], 1) as tf.Tensor2D;
      const c = { residual, mask, n, wU, wV, maskU, maskV, implicitRows, wY, maskY };
      const { grads } = factorGradients({ U, V, Y }, c);
      const objective = (u: tf.Tensor, v: tf.Tensor, y: tf.Tensor) => {
        const ueff = u.add(tf.matMul(implicitRows, y));
        const e = tf.matMul(ueff, v, false, true).mul(mask).sub(residual);
        const reg = u.square().mul(wU).sum().add(v.square().mul(wV).sum()).add(y.square().mul(wY).sum()).div(2);
        return e.square().sum().div(n).add(reg) as tf.Scalar;
      };
      const [gU, gV, gY] = tf.grads(objective)([U, V, Y]);
      expect(tf.abs(grads.U.sub(gU!.mul(maskU))).max().dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.abs(grads.V.sub(gV!.mul(maskV))).max().dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.abs(grads.Y!.sub(gY!.mul(maskY))).max().dataSync()[0]).toBeLessThan(1e-5);
    });
  });
});

describe('bpr gradients', () => {
  it('equal tf.grads of the BPR objective (duplicate indices included)', () => {
    tf.tidy(() => {
      const U = tf.randomNormal([4, 3], 0, 0.5, 'float32', 1) as tf.Tensor2D;
      const V = tf.randomNormal([5, 4], 0, 0.5, 'float32', 2) as tf.Tensor2D;
      const pos = tf.tensor1d([0, 6, 6, 13, 19], 'int32');
      const neg = tf.tensor1d([3, 7, 9, 10, 15], 'int32');
      const { gU, gV } = bprGradients(U, V, pos, neg, 0.01);
      const [rU, rV] = tf.grads((u: tf.Tensor, v: tf.Tensor) => {
        const flat = tf.matMul(tf.concat([u, tf.ones([4, 1])], 1), v, false, true).reshape([-1]);
        const x = tf.gather(flat, pos).sub(tf.gather(flat, neg));
        return tf.softplus(x.neg()).mean().add(u.square().sum().add(v.square().sum()).mul(0.01)) as tf.Scalar;
      })([U, V]);
      expect(tf.abs(gU.sub(rU!)).max().dataSync()[0]).toBeLessThan(1e-6);
      expect(tf.abs(gV.sub(rV!)).max().dataSync()[0]).toBeLessThan(1e-6);
    });
  });
});

describe('models learn the synthetic taste groups', () => {
  const data = syntheticRatings(60, 40, 0.5, 1);
  const split = kFold(data, 5, 0)[0]!;

  it('mf and svdpp beat the user/item-mean baseline, without leaking tensors', async () => {
    const base = new MeanBaseline();
    await base.fit(split.train);
    const baseline = await ratingMetrics(base, split.test);
    for (const type of ['mf', 'svdpp']) {
      const before = tf.memory().numTensors;
      const m = createModel(type, { factors: 8, steps: 120, l2: 0.05 });
      await m.fit(split.train, { seed: 0 });
      const r = await ratingMetrics(m, split.test);
      expect(r.rmse, type).toBeLessThan(baseline.rmse - 0.1);
      m.dispose();
      expect(tf.memory().numTensors, type).toBe(before);
    }
  });

  it('neumf beats the mean baseline; its catalogue scores match pair predictions', async () => {
    const base = new MeanBaseline();
    await base.fit(split.train);
    const baseline = await ratingMetrics(base, split.test);
    const before = tf.memory().numTensors;
    const m = createModel('neumf', { factors: 8, hidden: [16, 8], steps: 30, batchSize: 512, learningRate: 0.02, l2: 0.01 });
    await m.fit(split.train, { seed: 0 });
    const r = await ratingMetrics(m, split.test);
    expect(r.rmse).toBeLessThan(baseline.rmse - 0.05);
    const row = await m.scoreUsers(Int32Array.of(3, 7));
    const pairs = await m.predict(Int32Array.of(3, 7), Int32Array.of(5, 11));
    expect(row[5]).toBeCloseTo(pairs[0]!, 4);
    expect(row[data.numItems + 11]).toBeCloseTo(pairs[1]!, 4);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bpr ranks held-out items above the popularity baseline', async () => {
    const s = leaveLastOut(likedOnly(data));
    const pop = createModel('popularity');
    await pop.fit(s.train);
    const before = tf.memory().numTensors;
    const bpr = createModel('bpr', { factors: 8, steps: 150, learningRate: 0.05, l2: 1e-5 });
    await bpr.fit(s.train, { seed: 0 });
    const rb = await rankingMetrics(bpr, s.train, s.test, { k: 5 });
    const rp = await rankingMetrics(pop, s.train, s.test, { k: 5 });
    expect(rb.hr).toBeGreaterThan(rp.hr);
    expect(rb.ndcg).toBeGreaterThan(rp.ndcg);
    bpr.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('two-tower', () => {
  it('beats popularity on leave-last-out and serves cold-start users from features', async () => {
    const data = likedOnly(syntheticRatings(60, 40, 0.5, 1));
    const s = leaveLastOut(data);
    const pop = createModel('popularity');
    await pop.fit(s.train);
    const before = tf.memory().numTensors;
    const tt = createModel('two-tower', { dim: 8, steps: 12, batchSize: 128, learningRate: 0.03, idDropout: 0.5 }) as TwoTowerModel;
    await tt.fit(s.train, { seed: 0 });
    const rt = await rankingMetrics(tt, s.train, s.test, { k: 5 });
    const rp = await rankingMetrics(pop, s.train, s.test, { k: 5 });
    expect(rt.ndcg).toBeGreaterThan(rp.ndcg);
    // New users known only by gender: 'F' (group 1 here) must prefer group-1 items more than 'M' does.
    const margin = async (gender: string) => {
      const scores = await tt.coldStartScores({ age: 30, gender, occupation: 'other' });
      let m = 0;
      data.itemIds.forEach((id, j) => {
        m += (itemGroup(data, id) === 1 ? 1 : -1) * scores[j]!;
      });
      return m;
    };
    expect(await margin('F')).toBeGreaterThan(await margin('M'));
    tt.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Recommender', () => {
  const data = syntheticRatings(40, 30, 0.5, 2);

  it('recommends unseen items with titles, finds similar items, and round-trips through save/load', async () => {
    const before = tf.memory().numTensors;
    const split = holdoutPerUser(data, 0.2, 0);
    const rec = new Recommender({ modelType: 'mf', model: { factors: 6, steps: 80, l2: 0.05 }, seed: 1 });
    await rec.fit(split.train);
    const seen = new Set(rec.state!.seen[rec.userIndex('u3')]!.map((j) => data.itemIds[j]));
    const recs = await rec.recommend('u3', { k: 5 });
    expect(recs).toHaveLength(5);
    for (const r of recs) {
      expect(seen.has(r.item)).toBe(false);
      expect(r.title).toBe(`Movie ${r.item}`);
    }
    const excluded = await rec.recommend('u3', { k: 5, exclude: [recs[0]!.item] });
    expect(excluded.map((r) => r.item)).not.toContain(recs[0]!.item);
    const similar = await rec.similarItems('i0', 3, { minRatings: 0 });
    expect(similar.map((r) => r.item)).not.toContain('i0');
    await expect(rec.recommend('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('Unknown user id "nobody"') });
    await expect(rec.similarItems('i999')).rejects.toThrow(/Unknown item id "i999"/);
    await expect(rec.recommend('u3', { k: 0 })).rejects.toThrow(/k/);
    const report = await rec.evaluate(split, { k: 5, ranking: true, relevantThreshold: 4 });
    expect(report.rmse).toBeGreaterThan(0);
    expect(report.ranking!.coverage).toBeGreaterThan(0);

    const dir = join(await mkdtemp(join(tmpdir(), 'rec-save-')), 'model');
    await rec.save(dir, { command: 'test', metrics: { rmse: report.rmse! } });
    const again = await Recommender.load(dir);
    expect(again.modelType).toBe('mf');
    expect(await again.recommend('u3', { k: 5 })).toEqual(recs);
    expect(await again.predictRating('u3', 'i1')).toBeCloseTo(await rec.predictRating('u3', 'i1'), 5);
    expect((await again.evaluate(split)).rmse).toBeCloseTo(report.rmse!, 5);
    rec.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a two-member svdpp ensemble saves as one model with its implicit terms folded in', async () => {
    const rec = new Recommender({ modelType: 'svdpp', model: { factors: 4, steps: 30, members: 2 } });
    await rec.fit(data);
    const dir = join(await mkdtemp(join(tmpdir(), 'rec-svdpp-')), 'm');
    await rec.save(dir);
    const again = await Recommender.load(dir);
    expect(await again.predictRating('u1', 'i2')).toBeCloseTo(await rec.predictRating('u1', 'i2'), 4);
    expect((await again.model.itemVectors())!.dim).toBe(8);
    rec.dispose();
    again.dispose();
  });

  it('rejects a directory that is not a saved recommender', async () => {
    await expect(Recommender.load(join(tmpdir(), 'no-such-recommender'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

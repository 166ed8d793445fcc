// Replay buffer (ring, n-step), sum tree, prioritised replay, ε schedule, target updates.
import { Rng, selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildQNetwork, linearSchedule, MinTree, PrioritizedReplayBuffer, ReplayBuffer, SumTree, updateTarget } from '../src/index.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const obs = (v: number) => [v, -v];

describe('ReplayBuffer', () => {
  it('wraps around as a ring and samples only stored indices', () => {
    const b = new ReplayBuffer({ capacity: 4, obsSize: 2 });
    for (let i = 0; i < 3; i++) b.add(obs(i), i % 2, i, obs(i + 1), false, false);
    expect(b.size).toBe(3);
    expect(b.full).toBe(false);
    const idx = b.sampleIndices(200, new Rng(1));
    expect(Math.max(...idx)).toBe(2);
    for (let i = 3; i < 6; i++) b.add(obs(i), i % 2, i, obs(i + 1), false, false);
    expect(b.full).toBe(true);
    expect(b.size).toBe(4);
    expect(b.pos).toBe(2);
    // slots 0,1 were overwritten by transitions 4,5
    expect(Array.from(b.rewards)).toEqual([4, 5, 2, 3]);
    expect(Array.from(b.observations.subarray(0, 2))).toEqual([4, -4]);
    const batch = b.gather(Int32Array.from([0, 3]));
    expect(Array.from(batch.observations)).toEqual([4, -4, 3, -3]);
    expect(Array.from(batch.nextObservations)).toEqual([5, -5, 4, -4]);
    expect(Array.from(batch.actions)).toEqual([0, 1]);
    expect(Array.from(batch.discounts).map((d) => +d.toFixed(6))).toEqual([0.99, 0.99]);
    const s = b.sample(64, new Rng(2));
    expect(new Set(s.rewards).size).toBeLessThanOrEqual(4);
    expect(() => new ReplayBuffer({ capacity: 0, obsSize: 2 })).toThrow(/bufferSize/);
  });

  it('computes n-step returns, stopping at episode ends and the write head', () => {
    const g = 0.9;
    const b = new ReplayBuffer({ capacity: 10, obsSize: 2, nSteps: 3, gamma: g });
    // episode A: r=1,2,3,4 (terminated at 4th); episode B: r=10,20 (truncated at 2nd); then 100 (still running)
    const rows: [number, boolean, boolean][] = [
      [1, false, false],
      [2, false, false],
      [3, false, false],
      [4, true, false],
      [10, false, false],
      [20, false, true],
      [100, false, false],
    ];
    rows.forEach(([r, term, trunc], i) => {
      b.add(obs(i), 0, r, obs(i + 1), term, trunc);
    });
    const batch = b.gather(Int32Array.from([0, 1, 2, 3, 4, 5, 6]));
    const R = Array.from(batch.rewards);
    expect(R[0]).toBeCloseTo(1 + g * 2 + g * g * 3, 5);
    expect(R[1]).toBeCloseTo(2 + g * 3 + g * g * 4, 5);
    expect(R[2]).toBeCloseTo(3 + g * 4, 5); // stops at the terminal step
    expect(R[3]).toBeCloseTo(4, 5);
    expect(R[4]).toBeCloseTo(10 + g * 20, 5); // stops at truncation
    expect(R[5]).toBeCloseTo(20, 5);
    expect(R[6]).toBeCloseTo(100, 5); // write head: no future yet
    expect(Array.from(batch.dones)).toEqual([0, 1, 1, 1, 0, 0, 0]); // truncation bootstraps
    expect(Array.from(batch.discounts).map((d) => +d.toFixed(5))).toEqual([0.729, 0.729, 0.81, 0.9, 0.81, 0.9, 0.9]);
    // next obs is the one after the last summed step
    expect(Array.from(batch.nextObservations.subarray(0, 2))).toEqual([3, -3]);
    expect(Array.from(batch.nextObservations.subarray(4, 6))).toEqual([4, -4]);
    expect(Array.from(batch.nextObservations.subarray(8, 10))).toEqual([6, -6]);
  });

  it('n-step sums do not cross from the newest into the oldest slot of a full ring', () => {
    const b = new ReplayBuffer({ capacity: 3, obsSize: 2, nSteps: 3, gamma: 0.5 });
    for (let i = 0; i < 4; i++) b.add(obs(i), 0, i + 1, obs(i + 1), false, false); // slots: [4, 2, 3], pos = 1
    const batch = b.gather(Int32Array.from([0, 1]));
    expect(batch.rewards[0]).toBeCloseTo(4); // newest transition: nothing after it
    expect(batch.rewards[1]).toBeCloseTo(2 + 0.5 * 3 + 0.25 * 4);
  });
});

describe('SumTree / MinTree', () => {
  it('finds leaves by prefix sum and follows updates', () => {
    const t = new SumTree(5);
    [1, 2, 3, 4, 0].forEach((v, i) => {
      t.set(i, v);
    });
    expect(t.total()).toBe(10);
    expect([0, 0.99, 1, 2.5, 3, 5.99, 6, 9.99].map((v) => t.find(v))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    t.set(4, 5);
    t.set(0, 0);
    expect(t.total()).toBe(14);
    expect(t.find(0)).toBe(1);
    expect(t.find(13.5)).toBe(4);
    expect(() => t.set(1, Number.NaN)).toThrow();
    const m = new MinTree(5);
    [3, 1, 4, 1.5, 9].forEach((v, i) => {
      m.set(i, v);
    });
    expect(m.total()).toBe(1);
    m.set(1, 7);
    expect(m.total()).toBe(1.5);
  });

  it('sampling frequencies follow the priorities', () => {
    const t = new SumTree(4);
    [1, 0, 3, 6].forEach((v, i) => {
      t.set(i, v);
    });
    const rng = new Rng(0);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[t.find(rng.next() * t.total())]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 20000).toBeCloseTo(0.1, 1);
    expect(counts[3]! / 20000).toBeCloseTo(0.6, 1);
  });
});

describe('PrioritizedReplayBuffer', () => {
  it('samples by priority and returns importance weights normalised by the max', () => {
    const b = new PrioritizedReplayBuffer({ capacity: 4, obsSize: 2, alpha: 1 });
    for (let i = 0; i < 4; i++) b.add(obs(i), 0, i, obs(i + 1), false, false);
    b.updatePriorities([0, 1, 2, 3], [1, 1, 1, 7]);
    const batch = b.sampleWithBeta(1000, 1, new Rng(3));
    const n3 = Array.from(batch.indices).filter((i) => i === 3).length;
    expect(n3 / 1000).toBeGreaterThan(0.6);
    // β = 1: w_i ∝ 1/P(i); the rarest transitions get weight 1
    const w3 = batch.weights[Array.from(batch.indices).indexOf(3)]!;
    const w0 = batch.weights[Array.from(batch.indices).indexOf(0)]!;
    expect(w0).toBeCloseTo(1, 4);
    expect(w3).toBeCloseTo((1 + 1e-6) / (7 + 1e-6), 4);
    // new transitions get the max priority
    b.add(obs(9), 0, 9, obs(10), false, false);
    expect(b.sums.get(0)).toBeCloseTo(7, 4);
  });
});

describe('ε schedule', () => {
  it('is linear over explorationFraction, then flat (SB3 get_linear_fn)', () => {
    const eps = linearSchedule(1, 0.04, 0.16);
    expect(eps(0)).toBe(1);
    expect(eps(0.08)).toBeCloseTo(0.52);
    expect(eps(0.16)).toBeCloseTo(0.04);
    expect(eps(0.5)).toBe(0.04);
    expect(linearSchedule(1, 0.1, 0)(0)).toBe(0.1);
  });
});

describe('target network updates', () => {
  it('hard update copies exactly; soft update is τ-weighted', () => {
    const base = tf.memory().numTensors;
    const spec = { obsShape: [3], nActions: 2, netArch: [4], policy: 'mlp' as const };
    const a = buildQNetwork({ ...spec, rng: new Rng(1) });
    const b = buildQNetwork({ ...spec, rng: new Rng(2) });
    const wa0 = a.getWeights().map((w) => w.arraySync());
    const wb0 = b.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa0[0]).not.toEqual(b.getWeights()[0]!.arraySync());
    updateTarget(a, b, 0.25);
    b.getWeights().forEach((w, i) => {
      const va = a.getWeights()[i]!.dataSync();
      const vb = w.dataSync();
      vb.forEach((v, j) => {
        expect(v).toBeCloseTo(0.25 * va[j]! + 0.75 * wb0[i]![j]!, 6);
      });
    });
    updateTarget(a, b, 1);
    b.getWeights().forEach((w, i) => {
      expect(Array.from(w.dataSync())).toEqual(Array.from(a.getWeights()[i]!.dataSync()));
    });
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});

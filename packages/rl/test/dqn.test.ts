// DQN learns a tiny deterministic chain (a random policy cannot), reproducibly, with each
// extension (Double, dueling, n-step, PER); CNN Q-network; predict shapes; no tensor leaks.
import { Rng, selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CatchEnv, DQN, type DQNOptions, evaluatePolicy, JsonlLogger, randomPolicy, StopTrainingOnRewardThreshold } from '../src/index.js';
import { ChainEnv, chainOptimum } from './helpers.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const chainOptions: DQNOptions = {
  netArch: [32],
  learningRate: 3e-3,
  learningStarts: 200,
  batchSize: 32,
  bufferSize: 5000,
  trainFreq: 1,
  gradientSteps: 1,
  targetUpdateInterval: 100,
  explorationFraction: 0.4,
  explorationFinalEps: 0.05,
  gamma: 0.95,
  seed: 1,
};

async function trainChain(extra: DQNOptions = {}, steps = 2500) {
  const agent = new DQN(new ChainEnv(), { ...chainOptions, ...extra });
  await agent.learn({ totalTimesteps: steps });
  const result = evaluatePolicy(agent, new ChainEnv(), { nEvalEpisodes: 5 });
  return { agent, result };
}

describe('DQN on a chain', () => {
  it('a random policy cannot reach the threshold', () => {
    const r = evaluatePolicy(randomPolicy(2, new Rng(0)), new ChainEnv(), { nEvalEpisodes: 200 });
    expect(r.meanReturn).toBeLessThan(0.3);
  });

  it('learns the optimal policy and is reproducible with the same seed', async () => {
    const base = tf.memory().numTensors;
    const a = await trainChain();
    expect(a.result.meanReturn).toBeGreaterThanOrEqual(chainOptimum(8) - 1e-6);
    expect(a.result.meanLength).toBe(7);
    const b = await trainChain();
    expect(b.agent.episodeReturns).toEqual(a.agent.episodeReturns);
    expect(b.agent.lastLoss).toBe(a.agent.lastLoss);
    const c = await trainChain({ seed: 2 }, 600);
    expect(c.agent.episodeReturns.slice(0, 20)).not.toEqual(a.agent.episodeReturns.slice(0, 20));
    for (const x of [a, b, c]) x.agent.dispose();
    expect(tf.memory().numTensors).toBe(base);
  }, 180_000); // three trainings on cpu: 85 s measured on the shared 2-core machine at load average 11

  for (const [name, extra] of [
    ['Double DQN + dueling', { doubleQ: true, dueling: true }],
    ['3-step returns + soft target updates', { nSteps: 3, tau: 0.1, targetUpdateInterval: 4 }],
    ['prioritised replay', { prioritizedReplay: true }],
  ] as const) {
    it(`learns with ${name}`, async () => {
      const base = tf.memory().numTensors;
      const { agent, result } = await trainChain(extra);
      expect(result.meanReturn).toBeGreaterThanOrEqual(chainOptimum(8) - 1e-6);
      agent.dispose();
      expect(tf.memory().numTensors).toBe(base);
    });
  }
});

describe('DQN API', () => {
  it('predict: single, batched (array or flat), ε-greedy, and shape errors', async () => {
    const agent = new DQN(new ChainEnv(), { ...chainOptions, learningStarts: 10 });
    const o = new ChainEnv().reset().observation;
    const a = agent.predict(o);
    expect([0, 1]).toContain(a);
    const batch = agent.predict([o, o, o]);
    expect(batch).toEqual([a, a, a]);
    const flat = new Float32Array(16);
    flat[0] = 1;
    flat[8 + 3] = 1;
    expect(agent.predict(flat)).toHaveLength(2);
    agent.explorationRate = 1;
    const acts = new Set(Array.from({ length: 50 }, () => agent.predict(o, { deterministic: false })));
    expect(acts.size).toBe(2);
    expect(() => agent.predict(new Float32Array(5))).toThrow(/expected 8/);
    expect(() => agent.predict([new Float32Array(8), new Float32Array(3)])).toThrow(/SHAPE|expected 8/);
    expect(() => agent.predict(new Float32Array(8).fill(Number.NaN))).toThrow(/not finite/);
    expect(agent.qValues(o)).toHaveLength(2);
    agent.dispose();
    expect(() => agent.predict(o)).toThrow(/disposed/);
  });

  it('callbacks: StopTrainingOnRewardThreshold stops early; JsonlLogger logs episodes; maxGradNorm clips', async () => {
    const lines: string[] = [];
    const agent = new DQN(new ChainEnv(), { ...chainOptions, maxGradNorm: 0.5 });
    await agent.learn({ totalTimesteps: 4000, callbacks: [new StopTrainingOnRewardThreshold({ rewardThreshold: 0.5 }), new JsonlLogger((l) => void lines.push(l))] });
    expect(agent.numTimesteps).toBeLessThan(4000);
    expect(agent.recentMeanReturn()).toBeGreaterThanOrEqual(0.5);
    expect(lines.length).toBe(agent.episodeReturns.length);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ episode: 1, return: agent.episodeReturns[0], length: agent.episodeLengths[0] });
    agent.dispose();
  });

  it('a CNN Q-network trains on Catch pixels without leaking', async () => {
    const base = tf.memory().numTensors;
    const agent = new DQN(new CatchEnv(), {
      policy: 'cnn',
      convArch: [{ filters: 4, kernelSize: 3 }],
      netArch: [16],
      learningStarts: 50,
      trainFreq: 4,
      batchSize: 16,
      seed: 0,
    });
    await agent.learn({ totalTimesteps: 300 });
    expect(agent.nUpdates).toBeGreaterThan(50);
    expect(Number.isFinite(agent.lastLoss)).toBe(true);
    const r = evaluatePolicy(agent, new CatchEnv(), { nEvalEpisodes: 3, seed: 1 });
    expect(r.meanLength).toBe(9);
    agent.dispose();
    expect(tf.memory().numTensors).toBe(base);
  }, 180_000); // ~3 s of CPU, but it took 80 s of wall time at load average 18 on the shared machine

  it('bad options are DlkitErrors naming the option', () => {
    const env = new ChainEnv();
    expect(() => new DQN(env, { learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new DQN(env, { batchSize: 2.5 })).toThrow(/batchSize/);
    expect(() => new DQN(env, { gamma: 1.5 })).toThrow(/gamma/);
    expect(() => new DQN(env, { netArch: [0] })).toThrow(/netArch\[0\]/);
    expect(() => new DQN(env, { learningRat: 1 } as DQNOptions)).toThrow(/Unknown DQN option "learningRat"/);
    expect(() => new DQN(env, { policy: 'cnn' })).toThrow(/policy/);
    expect(() => new DQN(env, { batchSize: 64, bufferSize: 10 })).toThrow(/batchSize/);
    expect(() => new DQN('NoSuchEnv-v0')).toThrow(/Unknown environment "NoSuchEnv-v0"/);
    try {
      new DQN(env, { tau: 0 });
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('INVALID_OPTION');
      expect((e as { details: { option: string } }).details.option).toBe('tau');
    }
  });
});

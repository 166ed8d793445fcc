// The typed-array MLP path (src/fast) against tfjs: same weights in → same Q-values, same
// gradients, same Adam step, and DQN.train() on either path ends with the same weights.
import { Rng, selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TypedAdam } from '../src/fast/adam.js';
import { DenseDQNTrainer } from '../src/fast/dense-dqn.js';
import { gemm, gemmJs, gemmTf } from '../src/fast/gemm.js';
import { DQN, type DQNOptions } from '../src/index.js';
import { buildQNetwork } from '../src/q-network.js';
import { ChainEnv } from './helpers.js';

beforeAll(async () => {
  await selectBackend('wasm'); // the backend DQN trains on; gemm sends big products to it
});

const rand = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('gemm', () => {
  it('JS and tfjs products agree for every transpose combination', () => {
    const rng = new Rng(0);
    const [m, k, n] = [7, 33, 12];
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = rand(rng, m * k);
      const b = rand(rng, k * n);
      const ref = tf.tidy(() => tf.matMul(tf.tensor2d(a, ta ? [k, m] : [m, k]), tf.tensor2d(b, tb ? [n, k] : [k, n]), ta, tb).dataSync());
      expect(maxAbsDiff(gemmJs(a, b, m, k, n, ta, tb), ref)).toBeLessThan(1e-5);
      expect(maxAbsDiff(gemmTf(a, b, m, k, n, ta, tb), ref)).toBeLessThan(1e-5);
      expect(maxAbsDiff(gemm(a, b, m, k, n, ta, tb), ref)).toBeLessThan(1e-5);
    }
  });
});

function netFor(dueling: boolean) {
  const spec = { obsShape: [5], nActions: 3, netArch: [40, 24], policy: 'mlp' as const, dueling, rng: new Rng(dueling ? 2 : 1) };
  const model = buildQNetwork(spec);
  const trainer = new DenseDQNTrainer({ obsSize: 5, netArch: spec.netArch, nActions: 3, dueling, learningRate: 1e-3, maxGradNorm: 10, doubleQ: false });
  trainer.load(model, model);
  return { model, trainer };
}

describe('DenseNet vs the tfjs Q-network', () => {
  for (const dueling of [false, true]) {
    it(`same Q-values${dueling ? ' (dueling)' : ''}, and weights round-trip through the tfjs model`, () => {
      const base = tf.memory().numTensors;
      const { model, trainer } = netFor(dueling);
      const B = 9;
      const x = rand(new Rng(3), B * 5);
      const ref = tf.tidy(() => (model.predict(tf.tensor2d(x, [B, 5])) as tf.Tensor).dataSync());
      expect(maxAbsDiff(trainer.online.forward(x, B).q, ref)).toBeLessThan(1e-5);
      // Write a changed network into the model and read it back: the layouts match both ways.
      for (const p of trainer.online.params()) p.set(rand(new Rng(p.length), p.length));
      const expected = trainer.online.forward(x, B).q;
      const target = buildQNetwork({ obsShape: [5], nActions: 3, netArch: [40, 24], policy: 'mlp', dueling, rng: new Rng(9) });
      trainer.store(model, target);
      const after = tf.tidy(() => (model.predict(tf.tensor2d(x, [B, 5])) as tf.Tensor).dataSync());
      expect(maxAbsDiff(after, expected)).toBeLessThan(1e-5);
      const again = netFor(dueling);
      again.trainer.load(model, model);
      expect(maxAbsDiff(again.trainer.online.forward(x, B).q, expected)).toBe(0);
      for (const m of [model, target, again.model]) m.dispose();
      expect(tf.memory().numTensors).toBe(base);
    });
  }

  it('same gradients as tf.variableGrads, and the same Adam step as tf.train.adam', () => {
    const { model, trainer } = netFor(false);
    const B = 16;
    const rng = new Rng(4);
    const x = rand(rng, B * 5);
    const dQ = rand(rng, B * 3);
    const grads = trainer.online.backward(trainer.online.forward(x, B), dQ);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const ref = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(tf.tensor2d(x, [B, 5])) as tf.Tensor, tf.tensor2d(dQ, [B, 3]))) as tf.Scalar, vars);
      return vars.map((v) => g[v.name]!.dataSync());
    });
    expect(grads.length).toBe(ref.length);
    grads.forEach((g, i) => {
      expect(maxAbsDiff(g, ref[i]!)).toBeLessThan(1e-5);
    });

    // Three Adam steps with these gradients on both sides.
    const adam = new TypedAdam(trainer.online.params(), 1e-2);
    const opt = tf.train.adam(1e-2, 0.9, 0.999, 1e-8);
    for (let s = 0; s < 3; s++) {
      adam.step(trainer.online.params(), grads);
      tf.tidy(() => opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(grads[i]!, v.shape) }))));
    }
    trainer.online.params().forEach((p, i) => {
      expect(maxAbsDiff(p, vars[i]!.dataSync())).toBeLessThan(1e-6);
    });
    opt.dispose();
    model.dispose();
  });
});

describe('DQN.train on the fast path and on tfjs autodiff', () => {
  const options: DQNOptions = { netArch: [64, 64], learningRate: 1e-3, learningStarts: 400, batchSize: 32, bufferSize: 1000, gamma: 0.9, seed: 5 };
  for (const [name, extra] of [
    ['DQN', {}],
    ['Double DQN + dueling', { doubleQ: true, dueling: true }],
    ['PER + 3-step returns', { prioritizedReplay: true, nSteps: 3 }],
  ] as const) {
    it(`${name}: the same weights and loss after 12 updates`, async () => {
      const base = tf.memory().numTensors;
      const agents = [true, false].map((fastPath) => new DQN(new ChainEnv(), { ...options, ...extra, fastPath }));
      for (const a of agents) {
        await a.learn({ totalTimesteps: 400 }); // random actions only: identical buffers
        a.train(12);
      }
      const [fast, ref] = agents as [DQN, DQN];
      expect(fast.nUpdates).toBe(12);
      expect(Math.abs(fast.lastLoss - ref.lastLoss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref.lastLoss)));
      const wf = fast.qNet.getWeights().map((t) => t.dataSync());
      const wr = ref.qNet.getWeights().map((t) => t.dataSync());
      let worst = 0;
      wf.forEach((w, i) => {
        worst = Math.max(worst, maxAbsDiff(w, wr[i]!));
      });
      expect(worst).toBeLessThan(2e-5);
      // The weights moved (an update that did nothing would also "agree").
      const untrained = new DQN(new ChainEnv(), { ...options, ...extra });
      expect(maxAbsDiff(untrained.qNet.getWeights()[0]!.dataSync(), wf[0]!)).toBeGreaterThan(1e-3);
      untrained.dispose();
      for (const a of agents) a.dispose();
      expect(tf.memory().numTensors).toBe(base);
    });
  }
});

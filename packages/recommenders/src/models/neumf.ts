/**
 * NeuMF (He et al. 2017): a GMF branch (p_u ⊙ q_i) and an MLP branch over [p_u; q_i], joined by
 * a linear output, here on explicit ratings (MSE, plus μ + b_u + b_i so the network models the
 * interaction, not the averages). Batch rows are picked with one-hot matmuls (gradients stay
 * matmuls); scoring all items splits the first MLP layer as W·[p; q] = W_u·p + W_i·q so a user's
 * row over the catalogue is a broadcast add, not a [users·items × 2d] input.
 */
import { checkInt, checkNumber, Rng, tf } from '@dlkit/core';
import type { Interactions } from '../interactions.js';
import type { FitOptions, NamedWeights, RecModel } from './types.js';
import { toVariable } from './vars.js';

export interface NeuMFOptions {
  /** GMF and MLP embedding sizes (default 16 each) and MLP hidden layers (default [32, 16]). */
  factors?: number;
  hidden?: number[];
  /** Epochs (default 20), batch size (default 2048), Adam learning rate (default 0.005). */
  steps?: number;
  batchSize?: number;
  learningRate?: number;
  /** L2 on embeddings per batch row, and on dense weights (default 0.05 / 1e-4). */
  l2?: number;
  seed?: number;
}

export const NEUMF_DEFAULTS = { factors: 16, hidden: [32, 16], steps: 20, batchSize: 2048, learningRate: 0.005, l2: 0.05 };

type Params = Record<string, tf.Variable>;

export class NeuMFModel implements RecModel {
  readonly type = 'neumf';
  readonly explicit = true;
  readonly o: typeof NEUMF_DEFAULTS & { seed: number };
  private p?: Params;
  center = 0;
  range: [number, number] = [1, 5];

  constructor(options: NeuMFOptions = {}) {
    this.o = { ...NEUMF_DEFAULTS, seed: 0, ...options };
    checkInt('factors', this.o.factors, 1, 1024);
    if (!Array.isArray(this.o.hidden) || this.o.hidden.length === 0) checkInt('hidden', this.o.hidden, 1);
    for (const h of this.o.hidden) checkInt('hidden', h, 1, 4096);
    checkInt('steps', this.o.steps, 1);
    checkInt('batchSize', this.o.batchSize, 1);
    checkNumber('learningRate', this.o.learningRate, 0);
    checkNumber('l2', this.o.l2, 0);
  }

  config(): Record<string, unknown> {
    return { ...this.o, center: this.center, range: this.range };
  }

  private build(nU: number, nI: number, rng: Rng): void {
    const d = this.o.factors;
    const n = (shape: number[], std: number) => toVariable(tf.randomNormal(shape, 0, std, 'float32', rng.seedForTf()));
    const z = (shape: number[]) => toVariable(tf.zeros(shape));
    const p: Params = { Pg: n([nU, d], 0.1), Qg: n([nI, d], 0.1), Pm: n([nU, d], 0.1), Qm: n([nI, d], 0.1), bu: z([nU, 1]), bi: z([nI, 1]) };
    let inp = 2 * d;
    this.o.hidden.forEach((h, l) => {
      // The first layer is stored as its user and item halves (see the file comment).
      if (l === 0) {
        p.W0u = n([d, h], Math.sqrt(2 / inp));
        p.W0i = n([d, h], Math.sqrt(2 / inp));
      } else p[`W${l}`] = n([inp, h], Math.sqrt(2 / inp));
      p[`b${l}`] = z([h]);
      inp = h;
    });
    p.Wout = n([d + inp, 1], Math.sqrt(1 / (d + inp)));
    this.p = p;
  }

  /** Predictions for rows given user/item embeddings (one-hot-selected or broadcast). */
  private head(gmf: tf.Tensor2D, h0: tf.Tensor2D, bias: tf.Tensor2D): tf.Tensor2D {
    const p = this.p!;
    let h = tf.relu(h0.add(p.b0!));
    for (let l = 1; l < this.o.hidden.length; l++) h = tf.relu(tf.matMul(h, p[`W${l}`] as tf.Tensor2D).add(p[`b${l}`]!));
    return tf.matMul(tf.concat([gmf, h], 1), p.Wout as tf.Tensor2D).add(bias).add(this.center) as tf.Tensor2D;
  }

  async fit(train: Interactions, options: FitOptions = {}): Promise<void> {
    const rng = new Rng(options.seed ?? this.o.seed);
    this.dispose();
    this.center = train.mean();
    this.range = train.ratingRange;
    const nU = train.numUsers;
    const nI = train.numItems;
    this.build(nU, nI, rng);
    const p = this.p!;
    const B = Math.min(this.o.batchSize, train.size);
    const opt = tf.train.adam(this.o.learningRate);
    const dense = Object.entries(p).filter(([k]) => k.startsWith('W'));
    try {
      for (let epoch = 0; epoch < this.o.steps; epoch++) {
        const perm = rng.permutation(train.size);
        let last: tf.Scalar | undefined;
        for (let b = 0; b < train.size; b += B) {
          const idx = perm.subarray(b, Math.min(train.size, b + B));
          const u = tf.tensor1d(Int32Array.from(idx, (j) => train.users[j]!), 'int32');
          const it = tf.tensor1d(Int32Array.from(idx, (j) => train.items[j]!), 'int32');
          const r = tf.tensor2d(Float32Array.from(idx, (j) => train.ratings[j]!), [idx.length, 1]);
          last?.dispose();
          last = opt.minimize(() => {
            const ohU = tf.oneHot(u, nU).toFloat();
            const ohI = tf.oneHot(it, nI).toFloat();
            const pick = (oh: tf.Tensor, m: tf.Variable) => tf.matMul(oh as tf.Tensor2D, m as tf.Tensor2D);
            const [pg, qg, pm, qm] = [pick(ohU, p.Pg!), pick(ohI, p.Qg!), pick(ohU, p.Pm!), pick(ohI, p.Qm!)];
            const h0 = tf.matMul(pm, p.W0u as tf.Tensor2D).add(tf.matMul(qm, p.W0i as tf.Tensor2D)) as tf.Tensor2D;
            const bias = pick(ohU, p.bu!).add(pick(ohI, p.bi!)) as tf.Tensor2D;
            const pred = this.head(pg.mul(qg) as tf.Tensor2D, h0, bias);
            const emb = tf.addN([pg, qg, pm, qm].map((e) => e.square().sum())).div(idx.length).mul(this.o.l2);
            const w = tf.addN(dense.map(([, v]) => v.square().sum())).mul(1e-4);
            return pred.sub(r).square().mean().add(emb).add(w) as tf.Scalar;
          }, true) as tf.Scalar;
          tf.dispose([u, it, r]);
        }
        if (options.onEpoch && last) options.onEpoch(epoch + 1, (await last.data())[0]!);
        last?.dispose();
      }
    } finally {
      opt.dispose();
    }
  }

  private require(): Params {
    if (!this.p) throw new Error('NeuMFModel: call fit() or setWeights() first.');
    return this.p;
  }

  async scoreUsers(users: Int32Array): Promise<Float32Array> {
    const p = this.require();
    const nI = p.Qg!.shape[0]!;
    const out = new Float32Array(users.length * nI);
    const chunk = 32;
    for (let c = 0; c < users.length; c += chunk) {
      const part = users.subarray(c, c + chunk);
      const s = tf.tidy(() => {
        const u = tf.tensor1d(part, 'int32');
        const n = part.length;
        const pg = tf.gather(p.Pg!, u); // [n, d]
        const gmf = pg.reshape([n, 1, -1]).mul(p.Qg!.reshape([1, nI, -1])).reshape([n * nI, -1]) as tf.Tensor2D;
        const hu = tf.matMul(tf.gather(p.Pm!, u) as tf.Tensor2D, p.W0u as tf.Tensor2D); // [n, h]
        const hi = tf.matMul(p.Qm as tf.Tensor2D, p.W0i as tf.Tensor2D); // [nI, h]
        const h0 = hu.reshape([n, 1, -1]).add(hi.reshape([1, nI, -1])).reshape([n * nI, -1]) as tf.Tensor2D;
        const bias = tf.gather(p.bu!, u).reshape([n, 1]).add(p.bi!.reshape([1, nI])).reshape([n * nI, 1]) as tf.Tensor2D;
        return this.head(gmf, h0, bias).clipByValue(this.range[0], this.range[1]);
      });
      out.set((await s.data()) as Float32Array, c * nI);
      s.dispose();
    }
    return out;
  }

  async predict(users: Int32Array, items: Int32Array): Promise<Float32Array> {
    const p = this.require();
    const s = tf.tidy(() => {
      const u = tf.tensor1d(users, 'int32');
      const i = tf.tensor1d(items, 'int32');
      const h0 = tf.matMul(tf.gather(p.Pm!, u) as tf.Tensor2D, p.W0u as tf.Tensor2D).add(tf.matMul(tf.gather(p.Qm!, i) as tf.Tensor2D, p.W0i as tf.Tensor2D)) as tf.Tensor2D;
      const gmf = tf.gather(p.Pg!, u).mul(tf.gather(p.Qg!, i)) as tf.Tensor2D;
      const bias = tf.gather(p.bu!, u).add(tf.gather(p.bi!, i)) as tf.Tensor2D;
      return this.head(gmf, h0, bias).reshape([-1]).clipByValue(this.range[0], this.range[1]);
    });
    const data = (await s.data()) as Float32Array;
    s.dispose();
    return data;
  }

  async itemVectors(): Promise<{ data: Float32Array; dim: number }> {
    const p = this.require();
    const v = tf.concat([p.Qg!, p.Qm!], 1);
    const data = (await v.data()) as Float32Array;
    v.dispose();
    return { data, dim: 2 * this.o.factors };
  }

  async getWeights(): Promise<NamedWeights> {
    const p = this.require();
    const out: NamedWeights = {};
    for (const [k, v] of Object.entries(p)) out[k] = { data: (await v.data()) as Float32Array, shape: v.shape };
    return out;
  }

  setWeights(w: NamedWeights): void {
    this.dispose();
    this.p = Object.fromEntries(Object.entries(w).map(([k, { data, shape }]) => [k, toVariable(tf.tensor(data, shape))]));
  }

  dispose(): void {
    if (this.p) for (const v of Object.values(this.p)) v.dispose();
    this.p = undefined;
  }
}

/**
 * BPR-MF (Rendle et al. 2009) for implicit feedback: maximise ln σ(x̂_ui − x̂_uj) for each observed
 * (u, i) against a sampled unobserved j. Every step scores the whole [users × items] matrix with
 * one matmul and takes one negative per positive, so a step is one epoch of triples with a
 * handful of large ops (gathers of scalars from the score matrix) instead of thousands of small ones.
 */
import { checkInt, checkNumber, Rng, tf } from '@dlkit/core';
import type { Interactions } from '../interactions.js';
import { checkDenseSize, rowsOf } from './dense.js';
import { sampleNegatives } from './sampling.js';
import type { FitOptions, NamedWeights, RecModel } from './types.js';
import { toVariable } from './vars.js';

export interface BprOptions {
  factors?: number;
  /** L2 on factors and item biases (sum of squares). Default 1e-5. */
  l2?: number;
  /** Full-batch steps, each one pass over all positives with fresh negatives (default 150). */
  steps?: number;
  learningRate?: number;
  seed?: number;
}

export const BPR_DEFAULTS = { factors: 64, l2: 1e-5, steps: 150, learningRate: 0.05 };

/**
 * BPR loss mean softplus(−x), x = s[pos] − s[neg] over flat [users·items] indices, plus
 * l2·(‖U‖² + ‖V‖²), with hand-written gradients: the score gradient is one scatterND into the
 * dense matrix and two matmuls (autodiff of gather would use UnsortedSegmentSum, quadratic on cpu).
 */
export function bprGradients(U: tf.Tensor2D, V: tf.Tensor2D, pos: tf.Tensor1D, neg: tf.Tensor1D, l2: number): { loss: tf.Scalar; gU: tf.Tensor2D; gV: tf.Tensor2D } {
  const nU = U.shape[0];
  const nI = V.shape[0];
  const Ua = tf.concat([U, tf.ones([nU, 1])], 1);
  const flat = tf.matMul(Ua, V, false, true).reshape([-1]);
  const x = tf.gather(flat, pos).sub(tf.gather(flat, neg));
  const b = pos.shape[0];
  const dx = tf.sigmoid(x.neg()).neg().div(b); // d softplus(−x)/dx, averaged
  const dS = tf.scatterND(tf.concat([pos, neg]).reshape([-1, 1]), tf.concat([dx, dx.neg()]), [nU * nI]).reshape([nU, nI]);
  const gUa = tf.matMul(dS, V);
  const gU = gUa.slice([0, 0], [nU, U.shape[1]]).add(U.mul(2 * l2)) as tf.Tensor2D;
  const gV = tf.matMul(dS, Ua, true).add(V.mul(2 * l2)) as tf.Tensor2D;
  const loss = tf.softplus(x.neg()).mean().add(U.square().sum().add(V.square().sum()).mul(l2)) as tf.Scalar;
  return { loss, gU, gV };
}

export class BprModel implements RecModel {
  readonly type = 'bpr';
  readonly explicit = false;
  readonly o: typeof BPR_DEFAULTS & { seed: number };
  private U?: tf.Variable<tf.Rank.R2>;
  /** [q_i, b_i]: the bias rides as the last column against a constant 1 in the user matrix. */
  private V?: tf.Variable<tf.Rank.R2>;

  constructor(options: BprOptions = {}) {
    this.o = { ...BPR_DEFAULTS, seed: 0, ...options };
    checkInt('factors', this.o.factors, 1, 4096);
    checkNumber('l2', this.o.l2, 0);
    checkInt('steps', this.o.steps, 1);
    checkNumber('learningRate', this.o.learningRate, 0);
  }

  config(): Record<string, unknown> {
    return { ...this.o };
  }

  private scores(): tf.Tensor2D {
    const U = this.U!;
    const ones = tf.ones([U.shape[0], 1]);
    return tf.matMul(tf.concat([U, ones], 1), this.V!, false, true);
  }

  async fit(train: Interactions, options: FitOptions = {}): Promise<void> {
    const rng = new Rng(options.seed ?? this.o.seed);
    const nU = train.numUsers;
    const nI = train.numItems;
    checkDenseSize(nU, nI);
    this.dispose();
    const k = this.o.factors;
    this.U = toVariable(tf.randomNormal([nU, k], 0, 0.1, 'float32', rng.seedForTf()) as tf.Tensor2D);
    this.V = toVariable(tf.tidy(() => tf.concat([tf.randomNormal([nI, k], 0, 0.1, 'float32', rng.seedForTf()), tf.zeros([nI, 1])], 1)) as tf.Tensor2D);
    const seen = train.itemsByUser();
    const pos = Int32Array.from(train.users, (u, j) => u * nI + train.items[j]!);
    const posT = tf.tensor1d(pos, 'int32');
    const opt = tf.train.adam(this.o.learningRate);
    try {
      for (let s = 0; s < this.o.steps; s++) {
        const neg = sampleNegatives(train.users, seen, nI, rng);
        const negT = tf.tensor1d(
          Int32Array.from(neg, (i, j) => train.users[j]! * nI + i),
          'int32',
        );
        const loss = tf.tidy(() => {
          const { loss, gU, gV } = bprGradients(this.U!, this.V!, posT, negT, this.o.l2);
          opt.applyGradients([
            { name: this.U!.name, tensor: gU },
            { name: this.V!.name, tensor: gV },
          ]);
          return loss;
        });
        negT.dispose();
        if (options.onEpoch && (s % 10 === 9 || s === this.o.steps - 1)) options.onEpoch(s + 1, (await loss.data())[0]!);
        loss.dispose();
      }
    } finally {
      posT.dispose();
      opt.dispose();
    }
  }

  private require(): void {
    if (!this.U || !this.V) throw new Error('BprModel: call fit() or setWeights() first.');
  }

  async scoreUsers(users: Int32Array): Promise<Float32Array> {
    this.require();
    const s = tf.tidy(() => this.scores());
    try {
      return await rowsOf(s, users);
    } finally {
      s.dispose();
    }
  }

  async predict(users: Int32Array, items: Int32Array): Promise<Float32Array> {
    this.require();
    const out = tf.tidy(() => {
      const pu = tf.gather(this.U!, tf.tensor1d(users, 'int32'));
      const qi = tf.gather(this.V!, tf.tensor1d(items, 'int32'));
      return tf.concat([pu, tf.ones([users.length, 1])], 1).mul(qi).sum(1);
    });
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  }

  async itemVectors(): Promise<{ data: Float32Array; dim: number }> {
    this.require();
    const q = this.V!.slice([0, 0], [-1, this.o.factors]);
    const data = (await q.data()) as Float32Array;
    q.dispose();
    return { data, dim: this.o.factors };
  }

  async getWeights(): Promise<NamedWeights> {
    this.require();
    return {
      U: { data: (await this.U!.data()) as Float32Array, shape: this.U!.shape },
      V: { data: (await this.V!.data()) as Float32Array, shape: this.V!.shape },
    };
  }

  setWeights(w: NamedWeights): void {
    this.dispose();
    this.U = toVariable(tf.tensor2d(w.U!.data, w.U!.shape as [number, number]));
    this.V = toVariable(tf.tensor2d(w.V!.data, w.V!.shape as [number, number]));
  }

  dispose(): void {
    this.U?.dispose();
    this.V?.dispose();
    this.U = this.V = undefined;
  }
}

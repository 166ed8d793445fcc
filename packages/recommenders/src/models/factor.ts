/**
 * Biased matrix factorisation (`mf`) and its SVD++ extension (`svdpp`), trained full-batch with
 * Adam on the dense rating matrix (see dense.ts for why).
 *
 *   r̂(u,i) = μ + b_u + b_i + q_iᵀ (p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j)        (y only for svdpp)
 *
 * Biases ride along as extra columns so one matmul scores everything: U = [p_u, b_u, 1] and
 * V = [q_i, 1, b_i]; gradient masks keep the constant columns fixed. The L2 penalty of every
 * row is weighted by its number of ratings, which is exactly the per-rating penalty that SGD
 * implementations (Surprise, Koren 2008) apply, so λ means the same thing here.
 * Gradients are written out by hand: five matmuls a step, no autodiff bookkeeping.
 */
import { checkInt, checkNumber, Rng, tf } from '@dlkit/core';
import { cosineDecay, setLearningRate } from '@dlkit/train';
import type { Interactions } from '../interactions.js';
import { type DenseRatings, denseRatings, disposeDense } from './dense.js';
import type { FitOptions, ModelType, NamedWeights, RecModel } from './types.js';
import { toVariable } from './vars.js';

export interface FactorOptions {
  /** Latent factors (default 64). */
  factors?: number;
  /** L2 on factors, per rating (default 0.15 for svdpp, 0.1 for mf). */
  l2?: number;
  /** L2 on biases, per rating (default 0.01). */
  biasL2?: number;
  /** svdpp: L2 on the implicit item factors y_j, per rating of j (default 1.5). */
  implicitL2?: number;
  /** Full-batch Adam steps per member (default 130; mf 150) and learning rate (default 0.05). */
  steps?: number;
  learningRate?: number;
  /** Initial factor std (default 0.1). */
  initStd?: number;
  /** Cosine-decay the learning rate to this fraction of itself over the steps (default 0.02; 1 = constant). */
  finalLrFraction?: number;
  /**
   * Train this many models from different initialisations and average their predictions
   * (default 4 for svdpp, 1 for mf). The average of bilinear models is one bilinear model with the members'
   * columns side by side, scaled by 1/√n, so the result saves and scores like a single model.
   */
  members?: number;
  seed?: number;
}

export const FACTOR_DEFAULTS: Required<Omit<FactorOptions, 'seed'>> = { factors: 64, l2: 0.15, biasL2: 0.01, implicitL2: 1.5, steps: 130, learningRate: 0.05, initStd: 0.1, finalLrFraction: 0.02, members: 4 };

/** What stays fixed during training: data, per-row L2 weights (already × 2/n) and column masks. */
export interface FactorConstants {
  residual: tf.Tensor2D;
  mask: tf.Tensor2D;
  n: number;
  wU: tf.Tensor;
  wV: tf.Tensor;
  maskU: tf.Tensor;
  maskV: tf.Tensor;
  implicitRows?: tf.Tensor2D;
  wY?: tf.Tensor;
  maskY?: tf.Tensor;
}

/**
 * Data loss (mean squared error on observed cells) and the hand-written gradients of
 * loss + ½·Σ w‖row‖² (the L2 term's own value is left out of `loss`; tests check the gradients
 * against tf.grads of the full objective).
 */
export function factorGradients(
  p: { U: tf.Tensor2D; V: tf.Tensor2D; Y?: tf.Tensor2D },
  c: FactorConstants,
): { loss: tf.Scalar; grads: { U: tf.Tensor2D; V: tf.Tensor2D; Y?: tf.Tensor2D } } {
  const N = c.implicitRows;
  const Ueff = N && p.Y ? p.U.add(tf.matMul(N, p.Y)) : p.U;
  const E = tf.matMul(Ueff, p.V, false, true).mul(c.mask).sub(c.residual); // residuals on observed cells
  const G = E.mul(2 / c.n);
  const dUeff = tf.matMul(G, p.V);
  const grads: { U: tf.Tensor2D; V: tf.Tensor2D; Y?: tf.Tensor2D } = {
    U: dUeff.add(p.U.mul(c.wU)).mul(c.maskU) as tf.Tensor2D,
    V: tf.matMul(G, Ueff, true).add(p.V.mul(c.wV)).mul(c.maskV) as tf.Tensor2D,
  };
  if (N && p.Y && c.wY && c.maskY) grads.Y = tf.matMul(N, dUeff, true).add(p.Y.mul(c.wY)).mul(c.maskY) as tf.Tensor2D;
  return { loss: E.square().sum().div(c.n), grads };
}

export class FactorModel implements RecModel {
  readonly explicit = true;
  readonly o: Required<Omit<FactorOptions, 'seed'>> & { seed: number };
  private U?: tf.Variable<tf.Rank.R2>;
  private V?: tf.Variable<tf.Rank.R2>;
  private Y?: tf.Variable<tf.Rank.R2>;
  /** |N(u)|^-½ on the items each user rated in training (svdpp), kept for scoring. */
  private implicitRows?: tf.Tensor2D;
  center = 0;
  range: [number, number] = [1, 5];
  numUsers = 0;
  numItems = 0;

  constructor(
    readonly type: Extract<ModelType, 'mf' | 'svdpp'>,
    options: FactorOptions = {},
  ) {
    // Plain MF overfits sooner without the implicit term's extra evidence: its best λ is lower.
    // It is the fast single model; svdpp (the defaults) is the accurate four-member ensemble.
    const o = { ...FACTOR_DEFAULTS, ...(type === 'mf' ? { l2: 0.1, steps: 150, members: 1 } : {}), seed: 0, ...options };
    checkInt('factors', o.factors, 1, 4096);
    checkNumber('l2', o.l2, 0);
    checkNumber('biasL2', o.biasL2, 0);
    checkNumber('implicitL2', o.implicitL2, 0);
    checkInt('steps', o.steps, 1);
    checkNumber('learningRate', o.learningRate, 0);
    checkNumber('initStd', o.initStd, 0);
    checkNumber('finalLrFraction', o.finalLrFraction, 0, 1);
    checkInt('members', o.members, 1, 16);
    this.o = o;
  }

  config(): Record<string, unknown> {
    return { ...this.o, center: this.center, range: this.range, numUsers: this.numUsers, numItems: this.numItems };
  }

  private build(nU: number, nI: number, rng: Rng): void {
    const k = this.o.factors;
    this.dispose();
    this.numUsers = nU;
    this.numItems = nI;
    this.U = toVariable(tf.tidy(() => tf.concat([tf.randomNormal([nU, k], 0, this.o.initStd, 'float32', rng.seedForTf()), tf.zeros([nU, 1]), tf.ones([nU, 1])], 1)) as tf.Tensor2D);
    this.V = toVariable(tf.tidy(() => tf.concat([tf.randomNormal([nI, k], 0, this.o.initStd, 'float32', rng.seedForTf()), tf.ones([nI, 1]), tf.zeros([nI, 1])], 1)) as tf.Tensor2D);
    if (this.type === 'svdpp') this.Y = toVariable(tf.zeros([nI, k + 2]) as tf.Tensor2D);
  }

  async fit(train: Interactions, options: FitOptions = {}): Promise<void> {
    const rng = new Rng(options.seed ?? this.o.seed);
    this.center = train.mean();
    this.range = train.ratingRange;
    const d = denseRatings(train, this.center);
    const parts: tf.Tensor2D[][] = [];
    try {
      for (let m = 0; m < this.o.members; m++) {
        this.build(train.numUsers, train.numItems, rng);
        await this.train(d, options);
        const scale = 1 / Math.sqrt(this.o.members);
        parts.push([tf.tidy(() => this.userMatrix().mul(scale) as tf.Tensor2D), tf.tidy(() => this.V!.mul(scale) as tf.Tensor2D)]);
      }
      if (this.o.members > 1) {
        // Fold each member's implicit term into its user matrix, then put the members side by side.
        this.dispose();
        this.U = toVariable(tf.concat(parts.map((p) => p[0]!), 1));
        this.V = toVariable(tf.concat(parts.map((p) => p[1]!), 1));
      }
    } finally {
      tf.dispose(parts.flat());
      disposeDense(d);
    }
  }

  private async train(d: DenseRatings, options: FitOptions): Promise<void> {
    const { factors: k, l2, biasL2 } = this.o;
    const U = this.U!;
    const V = this.V!;
    const Y = this.Y;
    const n = d.n;
    // Per-row L2 weights (× count), per column: factors, then bias / constant columns.
    const [wU, wV, maskU, maskV, maskY] = tf.tidy(() => {
      const cols = (bu: number, bi: number) => tf.concat([tf.fill([1, k], l2), tf.tensor2d([[bu, bi]])], 1);
      return [
        tf.tensor2d(d.userCounts, [d.userCounts.length, 1]).mul(cols(biasL2, 0)).mul(2 / n),
        tf.tensor2d(d.itemCounts, [d.itemCounts.length, 1]).mul(cols(0, biasL2)).mul(2 / n),
        tf.concat([tf.ones([1, k + 1]), tf.zeros([1, 1])], 1),
        tf.concat([tf.ones([1, k]), tf.zeros([1, 1]), tf.ones([1, 1])], 1),
        tf.concat([tf.ones([1, k]), tf.zeros([1, 2])], 1),
      ];
    });
    this.implicitRows?.dispose();
    this.implicitRows = Y ? tf.tidy(() => d.mask.div(tf.tensor2d(d.userCounts, [d.userCounts.length, 1]).maximum(1).sqrt())) : undefined;
    const N = this.implicitRows;
    const wY = Y ? tf.tidy(() => tf.tensor2d(d.itemCounts, [d.itemCounts.length, 1]).mul(this.o.implicitL2 * (2 / n)).mul(maskY)) : undefined;
    const opt = tf.train.adam(this.o.learningRate);
    // Full-batch Adam at a constant rate hovers around the optimum with steps ~ lr; decaying settles it.
    const lr = cosineDecay({ initialLr: this.o.learningRate, decaySteps: this.o.steps, alpha: this.o.finalLrFraction, per: 'step' });
    const consts: FactorConstants = { residual: d.residual, mask: d.mask, n, wU, wV, maskU, maskV, implicitRows: N, wY, maskY };
    try {
      for (let s = 0; s < this.o.steps; s++) {
        setLearningRate(opt, lr(s));
        const loss = tf.tidy(() => {
          const { loss, grads } = factorGradients({ U, V, Y }, consts);
          opt.applyGradients([
            { name: U.name, tensor: grads.U },
            { name: V.name, tensor: grads.V },
            ...(Y && grads.Y ? [{ name: Y.name, tensor: grads.Y }] : []),
          ]);
          return loss;
        });
        // One sync per 10 steps keeps the queue full without losing progress reports.
        if (options.onEpoch && (s % 10 === 9 || s === this.o.steps - 1)) options.onEpoch(s + 1, (await loss.data())[0]!);
        loss.dispose();
      }
    } finally {
      opt.dispose();
      tf.dispose([wU, wV, maskU, maskV, maskY]);
      wY?.dispose();
    }
  }

  private userMatrix(): tf.Tensor2D {
    const U = this.requireFitted();
    return this.implicitRows && this.Y ? (U.add(tf.matMul(this.implicitRows, this.Y)) as tf.Tensor2D) : U;
  }

  private requireFitted(): tf.Variable<tf.Rank.R2> {
    if (!this.U || !this.V) throw new Error('FactorModel: call fit() or setWeights() first.');
    return this.U;
  }

  async scoreUsers(users: Int32Array): Promise<Float32Array> {
    this.requireFitted();
    const scores = tf.tidy(() => {
      const idx = tf.tensor1d(users, 'int32');
      return tf.matMul(tf.gather(this.userMatrix(), idx), this.V!, false, true).add(this.center).clipByValue(this.range[0], this.range[1]);
    });
    try {
      return (await scores.data()) as Float32Array;
    } finally {
      scores.dispose();
    }
  }

  async predict(users: Int32Array, items: Int32Array): Promise<Float32Array> {
    this.requireFitted();
    const out = tf.tidy(() => {
      const pu = tf.gather(this.userMatrix(), tf.tensor1d(users, 'int32'));
      const qi = tf.gather(this.V!, tf.tensor1d(items, 'int32'));
      return pu.mul(qi).sum(1).add(this.center).clipByValue(this.range[0], this.range[1]);
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  async itemVectors(): Promise<{ data: Float32Array; dim: number }> {
    this.requireFitted();
    // Each member's block is [q (factors), 1, b_i]: keep the q columns of every member.
    const k = this.o.factors;
    const blocks = this.V!.shape[1] / (k + 2);
    const q = tf.tidy(() => tf.concat(Array.from({ length: blocks }, (_, m) => this.V!.slice([0, m * (k + 2)], [-1, k])), 1));
    const data = (await q.data()) as Float32Array;
    q.dispose();
    return { data, dim: k * blocks };
  }

  async getWeights(): Promise<NamedWeights> {
    this.requireFitted();
    const w: NamedWeights = {};
    const put = async (name: string, t: tf.Tensor | undefined) => {
      if (t) w[name] = { data: (await t.data()) as Float32Array, shape: t.shape };
    };
    // SVD++'s implicit term is folded into the user vectors: a saved model scores without N and Y.
    const folded = tf.tidy(() => this.userMatrix().clone());
    await put('U', folded);
    folded.dispose();
    await put('V', this.V);
    return w;
  }

  setWeights(w: NamedWeights): void {
    this.dispose();
    const t = (name: string) => (w[name] ? tf.tensor2d(w[name].data, w[name].shape as [number, number]) : undefined);
    this.U = toVariable(t('U')!);
    this.V = toVariable(t('V')!);
    this.numUsers = this.U.shape[0];
    this.numItems = this.V.shape[0];
  }

  dispose(): void {
    this.U?.dispose();
    this.V?.dispose();
    this.Y?.dispose();
    this.implicitRows?.dispose();
    this.U = this.V = this.Y = undefined;
    this.implicitRows = undefined;
  }
}

/**
 * Two-tower retrieval (YouTube / TFRS style): user vector = id embedding + W_u·features, item
 * vector = id embedding + W_i·features, both L2-normalised; trained with in-batch softmax
 * (every other positive in the batch is a negative), logQ-corrected for item popularity and with
 * accidental hits masked. Id embeddings are dropped for a fraction of each batch so the feature
 * path alone ranks well: that is what serves cold-start users (coldStartScores) and new items.
 * Batch rows are picked with one-hot matmuls rather than gathers: the gradient stays a matmul.
 */
import { checkInt, checkNumber, Rng, tf } from '@dlkit/core';
import type { Interactions, UserInfo } from '../interactions.js';
import { encodeUser, type FeatureVocab, featureMatrices, featureVocab, itemFeatureSize, userFeatureSize } from './features.js';
import type { FitOptions, NamedWeights, RecModel } from './types.js';
import { toVariable } from './vars.js';

/** Rows scaled to unit length (tfjs has no l2Normalize op). */
function l2Normalize(x: tf.Tensor, _axis = 1): tf.Tensor2D {
  return x.div(x.square().sum(1, true).add(1e-12).sqrt()) as tf.Tensor2D;
}

export interface TwoTowerOptions {
  /** Embedding size (default 32). */
  dim?: number;
  /** Passes over the training interactions (default 10) in batches of batchSize (default 1024). */
  steps?: number;
  batchSize?: number;
  learningRate?: number;
  /** Softmax temperature on cosine similarities (default 0.1). */
  temperature?: number;
  /** Fraction of batch rows trained without their id embedding (default 0.2). */
  idDropout?: number;
  /** L2 on all weights (default 1e-6). */
  l2?: number;
  seed?: number;
}

export const TWO_TOWER_DEFAULTS = { dim: 32, steps: 10, batchSize: 1024, learningRate: 0.01, temperature: 0.1, idDropout: 0.2, l2: 1e-6 };

export class TwoTowerModel implements RecModel {
  readonly type = 'two-tower';
  readonly explicit = false;
  readonly o: typeof TWO_TOWER_DEFAULTS & { seed: number };
  vocab?: FeatureVocab;
  private w: Record<'Eu' | 'Ei' | 'Wu' | 'Wi', tf.Variable> | undefined;
  private xu?: tf.Tensor2D;
  private xi?: tf.Tensor2D;

  constructor(options: TwoTowerOptions = {}) {
    this.o = { ...TWO_TOWER_DEFAULTS, seed: 0, ...options };
    checkInt('dim', this.o.dim, 1, 4096);
    checkInt('steps', this.o.steps, 1);
    checkInt('batchSize', this.o.batchSize, 2);
    checkNumber('learningRate', this.o.learningRate, 0);
    checkNumber('temperature', this.o.temperature, 1e-6);
    checkNumber('idDropout', this.o.idDropout, 0, 1);
    checkNumber('l2', this.o.l2, 0);
  }

  config(): Record<string, unknown> {
    return { ...this.o, vocab: this.vocab };
  }

  private userVectors(): tf.Tensor2D {
    const w = this.w!;
    const id = w.Eu as tf.Tensor2D;
    return (this.xu?.shape[1] ? id.add(tf.matMul(this.xu, w.Wu as tf.Tensor2D)) : id) as tf.Tensor2D;
  }

  private itemVectorsT(): tf.Tensor2D {
    const w = this.w!;
    const id = w.Ei as tf.Tensor2D;
    return (this.xi?.shape[1] ? id.add(tf.matMul(this.xi, w.Wi as tf.Tensor2D)) : id) as tf.Tensor2D;
  }

  private build(nU: number, nI: number, fu: number, fi: number, rng: Rng): void {
    const d = this.o.dim;
    const init = (shape: [number, number]) => toVariable(tf.randomNormal(shape, 0, 0.1, 'float32', rng.seedForTf()));
    this.w = { Eu: init([nU, d]), Ei: init([nI, d]), Wu: init([Math.max(fu, 1), d]), Wi: init([Math.max(fi, 1), d]) };
  }

  private setFeatures(train: Pick<Interactions, 'side' | 'numUsers' | 'numItems'>): void {
    const v = this.vocab!;
    const { users, items } = featureMatrices(train.side, train.numUsers, train.numItems, v);
    this.xu?.dispose();
    this.xi?.dispose();
    this.xu = tf.tensor2d(users, [train.numUsers, userFeatureSize(v)]);
    this.xi = tf.tensor2d(items, [train.numItems, itemFeatureSize(v)]);
  }

  async fit(train: Interactions, options: FitOptions = {}): Promise<void> {
    const rng = new Rng(options.seed ?? this.o.seed);
    this.dispose();
    this.vocab = featureVocab(train.side);
    this.setFeatures(train);
    const nU = train.numUsers;
    const nI = train.numItems;
    this.build(nU, nI, userFeatureSize(this.vocab), itemFeatureSize(this.vocab), rng);
    const counts = new Float32Array(nI);
    for (const i of train.items) counts[i]!++;
    const logQ = tf.tensor1d(Float32Array.from(counts, (c) => Math.log(Math.max(c, 1) / train.size)));
    const B = Math.min(this.o.batchSize, train.size);
    const opt = tf.train.adam(this.o.learningRate);
    const vars = Object.values(this.w!);
    const offDiag = tf.tidy(() => tf.ones([B, B]).sub(tf.eye(B)));
    try {
      for (let epoch = 0; epoch < this.o.steps; epoch++) {
        const perm = rng.permutation(train.size);
        let last: tf.Scalar | undefined;
        for (let b = 0; b + B <= train.size; b += B) {
          const idx = perm.subarray(b, b + B);
          const u = tf.tensor1d(Int32Array.from(idx, (j) => train.users[j]!), 'int32');
          const it = tf.tensor1d(Int32Array.from(idx, (j) => train.items[j]!), 'int32');
          // Independent masks: a feature-only user must match full item vectors at serving time, and vice versa.
          const keepU = tf.tensor2d(Float32Array.from(idx, () => (rng.next() < this.o.idDropout ? 0 : 1)), [B, 1]);
          const keepI = tf.tensor2d(Float32Array.from(idx, () => (rng.next() < this.o.idDropout ? 0 : 1)), [B, 1]);
          last?.dispose();
          last = opt.minimize(() => {
            const ohU = tf.oneHot(u, nU).toFloat();
            const ohI = tf.oneHot(it, nI).toFloat();
            const idU = tf.matMul(ohU, this.w!.Eu as tf.Tensor2D).mul(keepU);
            const featU = this.xu!.shape[1] ? tf.matMul(ohU, tf.matMul(this.xu!, this.w!.Wu as tf.Tensor2D)) : tf.zerosLike(idU);
            const idI = tf.matMul(ohI, this.w!.Ei as tf.Tensor2D).mul(keepI);
            const featI = this.xi!.shape[1] ? tf.matMul(ohI, tf.matMul(this.xi!, this.w!.Wi as tf.Tensor2D)) : tf.zerosLike(idI);
            const ub = l2Normalize(idU.add(featU), 1) as tf.Tensor2D;
            const ib = l2Normalize(idI.add(featI), 1) as tf.Tensor2D;
            // logits[a, b]: user a vs item b; subtract log q(item) (sampled-softmax correction).
            const lq = tf.gather(logQ, it);
            const logits = tf.matMul(ub, ib, false, true).div(this.o.temperature).sub(lq.reshape([1, B]));
            // The same item elsewhere in the batch is not a negative for this row.
            const same = tf.equal(it.reshape([B, 1]), it.reshape([1, B])).toFloat().mul(offDiag);
            const masked = logits.sub(same.mul(1e9));
            const positive = ub.mul(ib).sum(1).div(this.o.temperature).sub(lq);
            const ce = tf.logSumExp(masked, 1).sub(positive).mean();
            const reg = tf.addN(vars.map((v) => v.square().sum())).mul(this.o.l2);
            return ce.add(reg) as tf.Scalar;
          }, true) as tf.Scalar;
          tf.dispose([u, it, keepU, keepI]);
        }
        if (options.onEpoch && last) options.onEpoch(epoch + 1, (await last.data())[0]!);
        last?.dispose();
      }
    } finally {
      opt.dispose();
      logQ.dispose();
      offDiag.dispose();
    }
  }

  private require(): void {
    if (!this.w || !this.xu || !this.xi) throw new Error('TwoTowerModel: call fit() or setWeights() first.');
  }

  private async scoresFor(userRows: () => tf.Tensor2D): Promise<Float32Array> {
    this.require();
    const s = tf.tidy(() => tf.matMul(l2Normalize(userRows(), 1) as tf.Tensor2D, l2Normalize(this.itemVectorsT(), 1) as tf.Tensor2D, false, true));
    try {
      return (await s.data()) as Float32Array;
    } finally {
      s.dispose();
    }
  }

  scoreUsers(users: Int32Array): Promise<Float32Array> {
    return this.scoresFor(() => tf.gather(this.userVectors(), tf.tensor1d(users, 'int32')));
  }

  /** Scores of every item for a user the model has never seen, from their features alone. */
  coldStartScores(info: UserInfo): Promise<Float32Array> {
    const v = this.vocab!;
    return this.scoresFor(() => tf.matMul(tf.tensor2d(encodeUser(info, v), [1, userFeatureSize(v)]), this.w!.Wu as tf.Tensor2D));
  }

  async predict(users: Int32Array, items: Int32Array): Promise<Float32Array> {
    this.require();
    const out = tf.tidy(() => {
      const u = l2Normalize(tf.gather(this.userVectors(), tf.tensor1d(users, 'int32')), 1);
      const i = l2Normalize(tf.gather(this.itemVectorsT(), tf.tensor1d(items, 'int32')), 1);
      return u.mul(i).sum(1);
    });
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  }

  async itemVectors(): Promise<{ data: Float32Array; dim: number }> {
    this.require();
    const v = tf.tidy(() => this.itemVectorsT());
    const data = (await v.data()) as Float32Array;
    v.dispose();
    return { data, dim: this.o.dim };
  }

  async getWeights(): Promise<NamedWeights> {
    this.require();
    const out: NamedWeights = {};
    for (const [name, v] of Object.entries(this.w!)) out[name] = { data: (await v.data()) as Float32Array, shape: v.shape };
    out.Xu = { data: (await this.xu!.data()) as Float32Array, shape: this.xu!.shape };
    out.Xi = { data: (await this.xi!.data()) as Float32Array, shape: this.xi!.shape };
    return out;
  }

  setWeights(w: NamedWeights): void {
    this.dispose();
    const t = (n: string) => tf.tensor2d(w[n]!.data, w[n]!.shape as [number, number]);
    this.w = { Eu: toVariable(t('Eu')), Ei: toVariable(t('Ei')), Wu: toVariable(t('Wu')), Wi: toVariable(t('Wi')) };
    this.xu = t('Xu');
    this.xi = t('Xi');
  }

  dispose(): void {
    if (this.w) for (const v of Object.values(this.w)) v.dispose();
    this.w = undefined;
    this.xu?.dispose();
    this.xi?.dispose();
    this.xu = this.xi = undefined;
  }
}

/**
 * Variational autoencoder (Kingma & Welling 2014) with a Bernoulli decoder: MLP or conv, optionally
 * class-conditional (CVAE, Sohn et al. 2015), with a β weight on the KL term (Higgins et al. 2017).
 * Browser-safe; saving/loading and training loops with checkpoints are in '@dlkit/generative/node'.
 */
import { DlkitError, invalidOption, Rng, tf, withSeededMathRandom } from '@dlkit/core';
import { type InterpolationMode, interpolatePath } from './latent.js';
import { type ResolvedVaeOptions, resolveVaeOptions, type VaeOptions } from './options.js';
import { buildVaeGraph, vaeViews } from './vae-model.js';

const LOG_2PI = Math.log(2 * Math.PI);

export interface LossTerms {
  /** Mean over the batch of −log p(x|z) (nats). */
  recon: tf.Scalar;
  /** Mean over the batch of KL(q(z|x) ‖ p(z)) (nats). */
  kl: tf.Scalar;
}

export interface EvalOptions {
  batchSize?: number;
  seed?: number;
}

export interface SampleOptions {
  n?: number;
  /** Class index (or one per sample) for a conditional VAE. */
  label?: number | number[];
  seed?: number;
  /** Scale of the prior noise (1 = the prior; < 1 trades diversity for cleaner samples). */
  temperature?: number;
}

export class Vae {
  readonly options: ResolvedVaeOptions;
  readonly graph: tf.LayersModel;
  readonly encoder: tf.LayersModel;
  readonly decoder: tf.LayersModel;

  constructor(graph: tf.LayersModel, options: ResolvedVaeOptions) {
    this.graph = graph;
    this.options = options;
    ({ encoder: this.encoder, decoder: this.decoder } = vaeViews(graph));
  }

  /** `seed` makes the initial weights reproducible (tfjs initialisers draw from Math.random). */
  static create(options: VaeOptions & { seed?: number } = {}): Vae {
    const o = resolveVaeOptions(options);
    return new Vae(withSeededMathRandom(options.seed, () => buildVaeGraph(o)), o);
  }

  get latentDim(): number {
    return this.options.latentDim;
  }

  get conditional(): boolean {
    return this.options.classes > 0;
  }

  get pixels(): number {
    const [h, w, c] = this.options.imageShape;
    return h * w * c;
  }

  /** One-hot labels for a conditional model (and a check that an unconditional one got none). */
  oneHot(labels: ArrayLike<number> | undefined, n: number): tf.Tensor2D | undefined {
    const k = this.options.classes;
    if (k === 0) {
      if (labels !== undefined) throw invalidOption('label', labels, 'no label: this VAE is unconditional (created without `classes`)');
      return undefined;
    }
    if (labels === undefined) throw invalidOption('label', labels, `a class index in [0, ${k}) for this conditional VAE`);
    if (labels.length !== n) throw invalidOption('label', `${labels.length} labels`, `one label per example (${n})`);
    const idx = Int32Array.from(labels as ArrayLike<number>);
    for (const l of idx) if (!(l >= 0 && l < k)) throw invalidOption('label', l, `a class index in [0, ${k})`);
    return tf.tidy(() => tf.oneHot(tf.tensor1d(idx, 'int32'), k).toFloat() as tf.Tensor2D);
  }

  private encInputs(x: tf.Tensor, y?: tf.Tensor): tf.Tensor | tf.Tensor[] {
    return y ? [x, y] : x;
  }

  /** q(z|x): mean and log-variance, each [n, latentDim]. */
  encode(x: tf.Tensor, y?: tf.Tensor, training = false): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
    const L = this.latentDim;
    return tf.tidy(() => {
      const out = this.encoder.apply(this.encInputs(x, y), { training }) as tf.Tensor2D;
      return { mu: out.slice([0, 0], [-1, L]), logvar: out.slice([0, L], [-1, L]) };
    });
  }

  /** Bernoulli logits of p(x|z), [n, h, w, c]. */
  decodeLogits(z: tf.Tensor, y?: tf.Tensor, training = false): tf.Tensor4D {
    return this.decoder.apply(y ? [z, y] : z, { training }) as tf.Tensor4D;
  }

  /** Pixel probabilities (the Bernoulli means) for latents z. */
  decode(z: tf.Tensor, y?: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => tf.sigmoid(this.decodeLogits(z, y)) as tf.Tensor4D);
  }

  /**
   * Reconstruction and KL terms for a batch of binary images, with the reparameterisation
   * z = μ + σ·ε (ε given, so a seeded Rng reproduces a run). Returns scalars (batch means).
   */
  lossTerms(x: tf.Tensor4D, eps: tf.Tensor2D, y?: tf.Tensor2D, training = false): LossTerms {
    return tf.tidy(() => {
      const { mu, logvar } = this.encode(x, y, training);
      const z = mu.add(logvar.mul(0.5).exp().mul(eps));
      const logits = this.decodeLogits(z, y, training);
      const n = x.shape[0];
      // −log Bernoulli(x; sigmoid(l)) = softplus(l) − x·l, stable for any l.
      const recon = tf.softplus(logits).sub(x.mul(logits)).reshape([n, -1]).sum(1).mean() as tf.Scalar;
      const kl = tf.scalar(-0.5).mul(tf.scalar(1).add(logvar).sub(mu.square()).sub(logvar.exp()).sum(1)).mean() as tf.Scalar;
      return { recon, kl };
    });
  }

  /** Standard-normal noise [n, latentDim] from a seeded Rng. */
  noise(n: number, rng: Rng, scale = 1): tf.Tensor2D {
    const v = new Float32Array(n * this.latentDim);
    for (let i = 0; i < v.length; i++) v[i] = rng.normal() * scale;
    return tf.tensor2d(v, [n, this.latentDim]);
  }

  /** Images from the prior: [n, h, w, c] probabilities in [0, 1]. */
  sample(options: SampleOptions = {}): tf.Tensor4D {
    const n = options.n ?? 16;
    if (!Number.isInteger(n) || n < 1) throw invalidOption('n', n, 'a positive integer');
    const temperature = options.temperature ?? 1;
    if (!(temperature > 0)) throw invalidOption('temperature', temperature, 'a positive number');
    const labels = options.label === undefined ? undefined : Array.isArray(options.label) ? options.label : new Array(n).fill(options.label);
    const y = this.oneHot(labels, n);
    const z = this.noise(n, new Rng(options.seed ?? 0), temperature);
    try {
      return this.decode(z, y);
    } finally {
      tf.dispose([z, y]);
    }
  }

  /** Decoder means of q(z|x)'s mean: [n, h, w, c]. */
  reconstruct(x: tf.Tensor4D, labels?: ArrayLike<number>): tf.Tensor4D {
    const y = this.oneHot(labels, x.shape[0]);
    try {
      return tf.tidy(() => this.decode(this.encode(x, y).mu, y));
    } finally {
      y?.dispose();
    }
  }

  /** Decode `steps` latents along the path between two latents (or two images' posterior means). */
  interpolate(
    a: tf.Tensor,
    b: tf.Tensor,
    options: { steps?: number; mode?: InterpolationMode; label?: number; labelB?: number } = {},
  ): tf.Tensor4D {
    const steps = options.steps ?? 8;
    const za = this.toLatent(a, options.label);
    const zb = this.toLatent(b, options.labelB ?? options.label);
    const path = interpolatePath(za, zb, steps, options.mode ?? 'spherical');
    const z = tf.tensor2d(path, [steps, this.latentDim]);
    // A conditional model interpolates its one-hot condition too (class morphs when labels differ).
    const y = this.conditional
      ? tf.tidy(() => {
          const [ya, yb] = [this.oneHot([options.label!], 1)!, this.oneHot([options.labelB ?? options.label!], 1)!];
          const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
          return ya.mul(tf.scalar(1).sub(t)).add(yb.mul(t)) as tf.Tensor2D;
        })
      : undefined;
    try {
      return this.decode(z, y);
    } finally {
      tf.dispose([z, y]);
    }
  }

  private toLatent(t: tf.Tensor, label?: number): Float32Array {
    if (t.rank === 1 && t.shape[0] === this.latentDim) return t.dataSync() as Float32Array;
    const [h, w, c] = this.options.imageShape;
    if (t.size !== h * w * c) {
      throw new DlkitError('SHAPE_MISMATCH', `interpolate takes a latent [${this.latentDim}] or one image [${h}, ${w}, ${c}]; got shape [${t.shape}].`);
    }
    const y = this.oneHot(label === undefined ? undefined : [label], 1);
    try {
      const mu = tf.tidy(() => this.encode(t.reshape([1, h, w, c]), y).mu.reshape([-1]));
      const v = mu.dataSync() as Float32Array;
      mu.dispose();
      return v;
    } finally {
      y?.dispose();
    }
  }

  /**
   * Test negative ELBO (nats, β = 1, one posterior sample per image) of binary images
   * ([n·h·w·c] in {0, 1}), averaged over the images.
   */
  negElbo(images: Float32Array, labels?: ArrayLike<number>, options: EvalOptions = {}): { negElbo: number; recon: number; kl: number; n: number } {
    const n = this.countImages(images);
    const bs = options.batchSize ?? 500;
    const rng = new Rng(options.seed ?? 0);
    let recon = 0;
    let kl = 0;
    for (let s = 0; s < n; s += bs) {
      const m = Math.min(bs, n - s);
      const x = this.imageBatch(images, s, m);
      const y = this.oneHot(labels ? Array.from(labels).slice(s, s + m) : undefined, m);
      const eps = this.noise(m, rng);
      const t = this.lossTerms(x, eps, y);
      recon += t.recon.dataSync()[0]! * m;
      kl += t.kl.dataSync()[0]! * m;
      tf.dispose([x, y, eps, t.recon, t.kl]);
    }
    return { negElbo: (recon + kl) / n, recon: recon / n, kl: kl / n, n };
  }

  /**
   * Importance-weighted estimate of −log p(x) (Burda et al. 2016) with k posterior samples:
   * −log (1/k) Σ p(x|z_i) p(z_i) / q(z_i|x). A tighter bound than the ELBO; → NLL as k grows.
   */
  iwNll(images: Float32Array, labels?: ArrayLike<number>, options: EvalOptions & { k?: number } = {}): { iwNll: number; k: number; n: number } {
    const n = this.countImages(images);
    const k = options.k ?? 100;
    if (!Number.isInteger(k) || k < 1) throw invalidOption('k', k, 'a positive integer (importance samples)');
    const bs = Math.max(1, Math.floor((options.batchSize ?? 5000) / k));
    const rng = new Rng(options.seed ?? 0);
    const L = this.latentDim;
    let total = 0;
    for (let s = 0; s < n; s += bs) {
      const m = Math.min(bs, n - s);
      const x = this.imageBatch(images, s, m);
      const y = this.oneHot(labels ? Array.from(labels).slice(s, s + m) : undefined, m);
      const eps = this.noise(k * m, rng);
      const sum = tf.tidy(() => {
        const { mu, logvar } = this.encode(x, y);
        // Tile to [k·m, ·]: sample i of image j sits at row i·m + j.
        const tile = (t: tf.Tensor) => t.tile([k, 1]);
        const std = logvar.mul(0.5).exp();
        const z = tile(mu).add(tile(std).mul(eps));
        const logits = this.decodeLogits(z, y ? (tile(y) as tf.Tensor2D) : undefined);
        const xs = x.tile([k, 1, 1, 1]);
        const logPx = tf.softplus(logits).sub(xs.mul(logits)).reshape([k * m, -1]).sum(1).neg();
        const logPz = z.square().sum(1).add(L * LOG_2PI).mul(-0.5);
        const logQz = eps.square().add(tile(logvar)).sum(1).add(L * LOG_2PI).mul(-0.5);
        const logW = logPx.add(logPz).sub(logQz).reshape([k, m]);
        return tf.logSumExp(logW, 0).sub(Math.log(k)).neg().sum();
      });
      total += sum.dataSync()[0]!;
      tf.dispose([x, y, eps, sum]);
    }
    return { iwNll: total / n, k, n };
  }

  private countImages(images: Float32Array): number {
    const p = this.pixels;
    if (images.length === 0 || images.length % p !== 0) {
      throw new DlkitError('SHAPE_MISMATCH', `Expected n·${p} pixel values (n images of ${this.options.imageShape.join('×')}); got ${images.length}.`);
    }
    return images.length / p;
  }

  imageBatch(images: Float32Array, start: number, count: number): tf.Tensor4D {
    const p = this.pixels;
    return tf.tensor4d(images.subarray(start * p, (start + count) * p), [count, ...this.options.imageShape]);
  }

  dispose(): void {
    this.graph.dispose();
  }
}

/**
 * GAN training step and sampling: non-saturating loss, one-sided label smoothing (Salimans et al.
 * 2016), TTUR (separate D/G learning rates, Heusel et al. 2017), Adam β1 = 0.5 (DCGAN), optional
 * spectral-norm projection of D, and the ACGAN class loss for conditional models.
 */
import { checkNumber, invalidOption, Rng, tf, withSeededMathRandom } from '@dlkit/core';
import { buildGanGraph, type GanOptions, ganViews, type ResolvedGanOptions, resolveGanOptions } from './gan-model.js';
import { SpectralNorm } from './spectral-norm.js';

export interface GanTrainOptions {
  /** Generator learning rate (default 1e-4). */
  learningRate?: number;
  /** Discriminator learning rate (TTUR; default 4e-4). */
  learningRateD?: number;
  /** Real targets become 1 − labelSmoothing (default 0.1). */
  labelSmoothing?: number;
  spectralNorm?: boolean;
}

export class Gan {
  readonly options: ResolvedGanOptions;
  readonly graph: tf.LayersModel;
  readonly generator: tf.LayersModel;
  readonly discriminator: tf.LayersModel;
  private opt?: { g: tf.Optimizer; d: tf.Optimizer; ls: number; sn?: SpectralNorm; gVars: tf.Variable[]; dVars: tf.Variable[] };

  constructor(graph: tf.LayersModel, options: ResolvedGanOptions) {
    this.graph = graph;
    this.options = options;
    ({ generator: this.generator, discriminator: this.discriminator } = ganViews(graph));
  }

  /** `seed` makes the initial weights reproducible (tfjs initialisers draw from Math.random). */
  static create(options: GanOptions & { seed?: number } = {}): Gan {
    const o = resolveGanOptions(options);
    return new Gan(withSeededMathRandom(options.seed, () => buildGanGraph(o)), o);
  }

  get conditional(): boolean {
    return this.options.classes > 0;
  }

  /** Set up optimizers (called once before the first step). */
  compile(t: GanTrainOptions = {}): void {
    const lrG = checkNumber('learningRate', t.learningRate ?? 1e-4, 0);
    const lrD = checkNumber('learningRateD', t.learningRateD ?? 4e-4, 0);
    const ls = checkNumber('labelSmoothing', t.labelSmoothing ?? 0.1, 0, 0.5);
    const vars = (prefix: string) => this.graph.layers.filter((l) => l.name.startsWith(prefix)).flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
    const dVars = vars('d_');
    this.opt?.sn?.dispose();
    this.opt = {
      g: tf.train.adam(lrG, 0.5, 0.999),
      d: tf.train.adam(lrD, 0.5, 0.999),
      ls,
      gVars: vars('g_'),
      dVars,
      sn: t.spectralNorm ? new SpectralNorm(dVars.filter((v) => v.shape.length >= 2)) : undefined,
    };
  }

  get optimizers(): { g: tf.Optimizer; d: tf.Optimizer } | undefined {
    return this.opt ? { g: this.opt.g, d: this.opt.d } : undefined;
  }

  noise(n: number, rng: Rng): tf.Tensor2D {
    const v = new Float32Array(n * this.options.latentDim);
    for (let i = 0; i < v.length; i++) v[i] = rng.normal();
    return tf.tensor2d(v, [n, this.options.latentDim]);
  }

  oneHot(labels: ArrayLike<number> | undefined, n: number): tf.Tensor2D | undefined {
    const k = this.options.classes;
    if (k === 0) {
      if (labels !== undefined) throw invalidOption('label', labels, 'no label: this GAN is unconditional');
      return undefined;
    }
    if (labels === undefined) throw invalidOption('label', labels, `a class index in [0, ${k}) for this conditional GAN`);
    const idx = Int32Array.from(labels as ArrayLike<number>);
    if (idx.length !== n) throw invalidOption('label', `${idx.length} labels`, `${n}`);
    for (const l of idx) if (!(l >= 0 && l < k)) throw invalidOption('label', l, `a class index in [0, ${k})`);
    return tf.tidy(() => tf.oneHot(tf.tensor1d(idx, 'int32'), k).toFloat() as tf.Tensor2D);
  }

  private gIn(z: tf.Tensor, y?: tf.Tensor): tf.Tensor | tf.Tensor[] {
    return y ? [z, y] : z;
  }

  /**
   * One D step then one G step on a batch of real images in [−1, 1] (+ labels for a conditional GAN).
   * Fake labels are drawn uniformly.
   */
  trainStep(real: tf.Tensor4D, labels: ArrayLike<number> | undefined, rng: Rng): { dLoss: number; gLoss: number; dReal: number; dFake: number } {
    if (!this.opt) this.compile();
    const o = this.opt!;
    const n = real.shape[0];
    const k = this.options.classes;
    const yReal = this.oneHot(this.conditional ? labels : undefined, n);
    const fakeLabels = this.conditional ? Array.from({ length: n }, () => rng.int(k)) : undefined;
    const yFake = this.oneHot(fakeLabels, n);
    const z1 = this.noise(n, rng);
    const z2 = this.noise(n, rng);
    const adv = (t: tf.Tensor) => t.slice([0, 0], [-1, 1]);
    const cls = (t: tf.Tensor) => t.slice([0, 1], [-1, k]);
    let dReal = 0;
    let dFake = 0;
    try {
      const dCost = o.d.minimize(
        () => {
          const fake = this.generator.apply(this.gIn(z1, yFake), { training: true }) as tf.Tensor;
          const outR = this.discriminator.apply(real, { training: true }) as tf.Tensor;
          const outF = this.discriminator.apply(fake, { training: true }) as tf.Tensor;
          dReal = tf.sigmoid(adv(outR)).mean().dataSync()[0]!;
          dFake = tf.sigmoid(adv(outF)).mean().dataSync()[0]!;
          let loss = tf.losses
            .sigmoidCrossEntropy(tf.fill([n, 1], 1 - o.ls), adv(outR))
            .add(tf.losses.sigmoidCrossEntropy(tf.zeros([n, 1]), adv(outF)));
          if (k > 0) loss = loss.add(tf.losses.softmaxCrossEntropy(yReal!, cls(outR))).add(tf.losses.softmaxCrossEntropy(yFake!, cls(outF)));
          return loss as tf.Scalar;
        },
        true,
        o.dVars,
      )!;
      o.sn?.project();
      const gCost = o.g.minimize(
        () => {
          const fake = this.generator.apply(this.gIn(z2, yFake), { training: true }) as tf.Tensor;
          const out = this.discriminator.apply(fake, { training: true }) as tf.Tensor;
          let loss = tf.losses.sigmoidCrossEntropy(tf.ones([n, 1]), adv(out));
          if (k > 0) loss = loss.add(tf.losses.softmaxCrossEntropy(yFake!, cls(out)));
          return loss as tf.Scalar;
        },
        true,
        o.gVars,
      )!;
      const r = { dLoss: dCost.dataSync()[0]!, gLoss: gCost.dataSync()[0]!, dReal, dFake };
      tf.dispose([dCost, gCost]);
      return r;
    } finally {
      tf.dispose([yReal, yFake, z1, z2]);
    }
  }

  /** [n, h, w, c] images in [0, 1]. */
  sample(options: { n?: number; seed?: number; label?: number | number[] } = {}): tf.Tensor4D {
    const n = options.n ?? 16;
    if (!Number.isInteger(n) || n < 1) throw invalidOption('n', n, 'a positive integer');
    const labels = options.label === undefined ? undefined : Array.isArray(options.label) ? options.label : new Array(n).fill(options.label);
    const y = this.oneHot(labels, n);
    const z = this.noise(n, new Rng(options.seed ?? 0));
    try {
      return tf.tidy(() => (this.generator.apply(this.gIn(z, y), { training: false }) as tf.Tensor4D).add(1).div(2) as tf.Tensor4D);
    } finally {
      tf.dispose([z, y]);
    }
  }

  dispose(): void {
    this.opt?.sn?.dispose();
    this.opt?.g.dispose();
    this.opt?.d.dispose();
    this.graph.dispose();
  }
}

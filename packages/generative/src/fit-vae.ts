/**
 * VAE training through @dlkit/train's runLoop: each epoch reshuffles and re-binarises the images
 * (seeded by seed and epoch, so a resumed run sees the same batches as an uninterrupted one),
 * one Adam step per batch on recon + β·KL, optional validation negative ELBO per epoch.
 */
import { checkInt, checkNumber, DlkitError, Rng, tf } from '@dlkit/core';
import { type Callback, type History, runLoop, terminateOnNaN } from '@dlkit/train';
import { binarize } from './binarize.js';
import type { Vae } from './vae.js';

export interface ImageSet {
  /** n·h·w·c intensities in [0, 1]. */
  images: Float32Array;
  labels?: ArrayLike<number>;
}

export interface FitVaeOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Dynamically binarise pixels each epoch (default true); false trains on intensities as given. */
  binarize?: boolean;
  /** Held-out images: `val_negElbo` each epoch (binarised once, with a fixed seed). */
  validationData?: ImageSet;
  callbacks?: Callback[];
  initialEpoch?: number;
  history?: History;
  optimizer?: tf.Optimizer;
  signal?: AbortSignal;
}

export interface FitVaeResult {
  history: History;
  /** Set when a batch loss became NaN/∞ and training stopped there. */
  diverged?: { epoch: number; batch: number };
}

/** The same batches for the same (seed, epoch), whether or not the run was resumed. */
function epochRng(seed: number, epoch: number): Rng {
  return new Rng(seed * 100_003 + epoch + 1);
}

export async function fitVae(vae: Vae, data: ImageSet, options: FitVaeOptions): Promise<FitVaeResult> {
  const p = vae.pixels;
  const n = data.images.length / p;
  if (!Number.isInteger(n) || n < 1) throw new DlkitError('SHAPE_MISMATCH', `Training images must be n·${p} values; got ${data.images.length}.`);
  const epochs = checkInt('epochs', options.epochs, 1);
  const batchSize = checkInt('batchSize', options.batchSize ?? 100, 1);
  const lr = checkNumber('learningRate', options.learningRate ?? 1e-3, 0);
  const seed = checkInt('seed', options.seed ?? 0);
  const beta = vae.options.beta;
  const doBinarize = options.binarize ?? true;
  const optimizer = options.optimizer ?? tf.train.adam(lr);
  // saveCheckpoint reads the optimizer from the model, so the slot variables travel with it.
  vae.graph.optimizer = optimizer;
  const vars = vae.graph.trainableWeights.map((w) => w.read() as tf.Variable);
  const steps = Math.ceil(n / batchSize);
  // Labels condition only a conditional VAE; an unconditional one ignores them.
  const trainLabels = vae.conditional ? data.labels : undefined;

  let val: { images: Float32Array; labels?: ArrayLike<number> } | undefined;
  if (options.validationData) {
    const v = options.validationData;
    val = { images: doBinarize ? binarize(v.images, new Rng(seed + 7)) : v.images, labels: vae.conditional ? v.labels : undefined };
  }

  const nan = terminateOnNaN();
  const batchBuf = new Float32Array(batchSize * p);
  const history = await runLoop<{ x: tf.Tensor4D; y?: tf.Tensor2D; eps: tf.Tensor2D }>({
    epochs,
    initialEpoch: options.initialEpoch,
    history: options.history,
    optimizer,
    model: vae.graph,
    signal: options.signal,
    callbacks: [nan, ...(options.callbacks ?? [])],
    data: function* (epoch: number) {
      const rng = epochRng(seed, epoch);
      const order = rng.permutation(n);
      for (let b = 0; b < steps; b++) {
        const m = Math.min(batchSize, n - b * batchSize);
        const buf = batchBuf.subarray(0, m * p);
        const labels: number[] = [];
        for (let j = 0; j < m; j++) {
          const i = order[b * batchSize + j]!;
          const src = data.images.subarray(i * p, (i + 1) * p);
          if (doBinarize) binarize(src, rng, buf.subarray(j * p, (j + 1) * p));
          else buf.set(src, j * p);
          if (trainLabels) labels.push(trainLabels[i]!);
        }
        yield {
          x: tf.tensor4d(buf, [m, ...vae.options.imageShape]),
          y: vae.oneHot(trainLabels ? labels : undefined, m),
          eps: vae.noise(m, rng),
        };
      }
    },
    disposeBatch: (b) => tf.dispose([b.x, b.y, b.eps]),
    trainStep: (b) => {
      let recon = 0;
      let kl = 0;
      const cost = optimizer.minimize(
        () => {
          const t = vae.lossTerms(b.x, b.eps, b.y, true);
          recon = t.recon.dataSync()[0]!;
          kl = t.kl.dataSync()[0]!;
          return t.recon.add(t.kl.mul(beta)) as tf.Scalar;
        },
        true,
        vars,
      );
      const loss = cost!.dataSync()[0]!;
      cost!.dispose();
      return { loss, recon, kl, negElbo: recon + kl };
    },
    validate: val ? () => ({ negElbo: vae.negElbo(val!.images, val!.labels, { seed }).negElbo }) : undefined,
  });
  return { history, ...(nan.stoppedAt ? { diverged: nan.stoppedAt } : {}) };
}

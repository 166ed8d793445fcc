/**
 * `dlkit generate train --model-type gan`: DCGAN / ACGAN through @dlkit/train's runLoop, a sample
 * grid and the model saved every epoch (so an interrupted run keeps its last epoch), and with
 * `--classifier` the Fréchet distance on that classifier's features, its real-vs-real baseline,
 * and class accuracy of conditional samples in the card.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackendName, DlkitError, Rng, ready, selectBackend, tf } from '@dlkit/core';
import { loadModel } from '@dlkit/core/node';
import { type Callback, progressBar, runLoop, terminateOnNaN } from '@dlkit/train';
import { classifierMetrics } from '../classifier-metrics.js';
import { Gan } from '../gan.js';
import { loadGan, saveGan } from './gan-io.js';
import { writeImages } from './grid-file.js';
import { registryImages } from './images.js';

export interface TrainGanCommand {
  dataset?: string;
  latentDim?: number;
  conditional?: boolean;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  learningRateD?: number;
  labelSmoothing?: number;
  spectralNorm?: boolean;
  seed?: number;
  maxExamples?: number;
  classifier?: string;
  /** Generated/real images for the metrics (default 2000). */
  metricSamples?: number;
  out: string;
  backend?: string;
  progress?: boolean;
  log?: (msg: string) => void;
  command?: string;
}

export async function trainGan(o: TrainGanCommand): Promise<Record<string, unknown>> {
  const backend = o.backend ? await selectBackend(o.backend as BackendName) : await ready();
  const dataset = o.dataset ?? 'fashion-mnist';
  const epochs = o.epochs ?? 5;
  const batchSize = o.batchSize ?? 64;
  const seed = o.seed ?? 0;
  const log = o.log ?? (() => {});
  const train = await registryImages(dataset, 'train', o.maxExamples);
  const classes = o.conditional ? (train.classes?.length ?? 0) : 0;
  const per = train.shape[0] * train.shape[1] * train.shape[2];
  const n = train.labels.length;
  // Resume from the last saved epoch when the output exists (weights; optimizer moments restart).
  let initialEpoch = 0;
  let gan: Gan;
  if (existsSync(join(o.out, 'model-card.json'))) {
    const loaded = await loadGan(o.out);
    gan = loaded.gan;
    initialEpoch = (loaded.card.training?.epochs as number | undefined) ?? 0;
    log(`Resuming ${o.out} after epoch ${initialEpoch}.`);
  } else {
    gan = Gan.create({ latentDim: o.latentDim, classes, imageShape: train.shape });
  }
  const trainOpts = { learningRate: o.learningRate ?? 2e-4, learningRateD: o.learningRateD ?? 4e-4, labelSmoothing: o.labelSmoothing ?? 0.1, spectralNorm: o.spectralNorm ?? false };
  gan.compile(trainOpts);
  const command =
    o.command ??
    [
      'pnpm dlkit generate train --model-type gan',
      `--dataset ${dataset}`,
      o.conditional ? '--conditional' : '',
      `--latent ${gan.options.latentDim}`,
      `--epochs ${epochs} --batch-size ${batchSize} --lr ${trainOpts.learningRate} --lr-d ${trainOpts.learningRateD} --label-smoothing ${trainOpts.labelSmoothing}`,
      trainOpts.spectralNorm ? '--spectral-norm' : '',
      `--seed ${seed}`,
      o.maxExamples ? `--max-examples ${o.maxExamples}` : '',
      o.classifier ? `--classifier ${o.classifier}` : '',
      `--backend ${backend.selected} --out ${o.out}`,
    ]
      .filter(Boolean)
      .join(' ');
  const t0 = performance.now();
  const nan = terminateOnNaN();
  const card = (epoch: number) => ({
    name: o.out.split('/').pop(),
    labels: train.classes,
    dataset: { name: dataset, split: 'train', examples: n },
    preprocessing: { pixels: 'generator outputs tanh in [-1, 1], returned as [0, 1]' },
    training: { command, epochs: epoch, backend: backend.selected, wallTimeSeconds: +((performance.now() - t0) / 1000).toFixed(1), hyperparameters: { batchSize, seed, ...trainOpts } },
  });
  const saver: Callback = {
    async onEpochEnd(epoch, logs) {
      if (!Object.values(logs).every(Number.isFinite)) return; // keep the last good model
      await saveGan(gan, o.out, card(epoch + 1));
      const grid = gan.sample({ n: classes ? classes * 8 : 64, seed, label: classes ? Array.from({ length: classes * 8 }, (_, i) => i % classes) : undefined });
      await mkdir(`${o.out}.samples`, { recursive: true });
      await writeImages(join(`${o.out}.samples`, `epoch${epoch + 1}.png`), grid.dataSync() as Float32Array, gan.options.imageShape, grid.shape[0], { cols: classes || 8 });
      grid.dispose();
    },
  };
  const batch = new Float32Array(batchSize * per);
  try {
    log(`Training a ${classes ? 'conditional (ACGAN)' : 'DCGAN'} GAN on ${dataset} (${n} images) for ${epochs} epochs, backend ${backend.selected}.`);
    await runLoop<{ x: tf.Tensor4D; labels: number[]; rng: Rng }>({
      epochs,
      initialEpoch,
      callbacks: [nan, ...(o.progress ? [progressBar()] : []), saver],
      data: function* (epoch: number) {
        const rng = new Rng(seed * 100_003 + epoch + 1);
        const order = rng.permutation(n);
        for (let b = 0; b + batchSize <= n; b += batchSize) {
          const labels: number[] = [];
          for (let j = 0; j < batchSize; j++) {
            const i = order[b + j]!;
            const src = train.images.subarray(i * per, (i + 1) * per);
            for (let p = 0; p < per; p++) batch[j * per + p] = src[p]! * 2 - 1;
            labels.push(train.labels[i]!);
          }
          yield { x: tf.tensor4d(batch, [batchSize, ...train.shape]), labels, rng };
        }
      },
      disposeBatch: (b) => b.x.dispose(),
      trainStep: (b) => {
        const r = gan.trainStep(b.x, classes ? b.labels : undefined, b.rng);
        return { loss: r.dLoss + r.gLoss, dLoss: r.dLoss, gLoss: r.gLoss, dReal: r.dReal, dFake: r.dFake };
      },
    });
    if (nan.stoppedAt) {
      throw new DlkitError('NUMERIC', `GAN training diverged (NaN/∞ loss) at epoch ${nan.stoppedAt.epoch}, batch ${nan.stoppedAt.batch}; ${o.out} still holds the last good epoch.`, {
        hint: 'Lower --lr / --lr-d or add --spectral-norm, then rerun the same command to resume.',
      });
    }
    const result: Record<string, unknown> = { out: o.out, dataset, epochs, backend: backend.selected, wallTimeSeconds: +((performance.now() - t0) / 1000).toFixed(1) };
    if (o.classifier) {
      const m = await ganMetrics(gan, o.classifier, dataset, o.metricSamples ?? 2000, seed);
      Object.assign(result, m);
      await saveGan(gan, o.out, { ...card(epochs), metrics: m, extra: { metricClassifier: o.classifier, metricNote: 'Fréchet distance on the penultimate features of metricClassifier (not Inception FID); frechetRealVsReal = two disjoint halves of the test split' } });
    }
    return result;
  } finally {
    gan.dispose();
  }
}

/** Fréchet distance vs the test split and class accuracy, with the given classifier (e.g. models/fashion-mnist-cnn). */
export async function ganMetrics(gan: Gan, classifierDir: string, dataset: string, count: number, seed: number): Promise<Record<string, number | Record<string, number>>> {
  const { model: clf, card: clfCard } = await loadModel(classifierDir);
  const labels = clfCard?.labels;
  try {
    const real = await registryImages(dataset, 'test', count);
    const k = gan.options.classes;
    const intended = k ? Array.from({ length: count }, (_, i) => i % k) : undefined;
    const t = gan.sample({ n: count, seed: seed + 1, label: intended });
    const gen = t.dataSync() as Float32Array;
    t.dispose();
    const m = classifierMetrics(clf, gen, gan.options.imageShape, { real: real.images, intended });
    const out: Record<string, number | Record<string, number>> = {
      classHistogram: Object.fromEntries(m.classHistogram.map((h, i) => [labels?.[i] ?? String(i), h])),
      metricSamples: count,
    };
    if (m.frechet !== undefined) out.frechetClassifierFeatures = +m.frechet.toFixed(3);
    if (m.realVsReal !== undefined) out.frechetRealVsReal = +m.realVsReal.toFixed(3);
    if (m.classAccuracy !== undefined) out.classAccuracy = +m.classAccuracy.toFixed(4);
    return out;
  } finally {
    clf.dispose();
  }
}

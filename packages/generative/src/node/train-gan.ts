/**
 * `dlkit generate train --model-type gan`: DCGAN / ACGAN through @dlkit/train's runLoop, a sample
 * grid and the model saved every epoch (so an interrupted run keeps its last epoch), and with
 * `--classifier` the Fréchet distance on that classifier's features, its real-vs-real baseline,
 * and class accuracy of conditional samples in the card.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackendName, checkInt, DlkitError, invalidOption, Rng, ready, selectBackend, tf } from '@dlkit/core';
import { atomicWriteFile, MODEL_CARD, readModelCard } from '@dlkit/core/node';
import { type Callback, progressBar, runLoop, terminateOnNaN } from '@dlkit/train';
import { Gan } from '../gan.js';
import { loadGan, saveGan } from './gan-io.js';
import { writeImages } from './grid-file.js';
import { registryImages } from './images.js';
import { type SampleSource, sampleMetrics } from './sample-metrics.js';

/** A GAN as a sample source for the metrics (intended labels drive a conditional G). */
export function ganSource(gan: Gan, labels?: string[]): SampleSource {
  return {
    shape: gan.options.imageShape,
    classes: gan.options.classes,
    labels: gan.options.classes ? labels : undefined,
    sample(n, seed, intended) {
      const t = gan.sample({ n, seed, label: intended });
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return v;
    },
  };
}

export interface TrainGanCommand {
  dataset?: string;
  latentDim?: number;
  conditional?: boolean;
  /** Generator channels (default [32, 16]) and discriminator channels (default [16, 32]). */
  gFilters?: [number, number];
  dFilters?: [number, number];
  upsample?: 'nearest' | 'transpose';
  /** Epochs over the data, or with stepsPerEpoch, chunks of that many steps (checkpoint + grid after each). */
  epochs?: number;
  /** Steps per "epoch" (default: one pass over the data); batches continue through the seeded data order across chunks. */
  stepsPerEpoch?: number;
  batchSize?: number;
  learningRate?: number;
  learningRateD?: number;
  labelSmoothing?: number;
  spectralNorm?: boolean;
  seed?: number;
  maxExamples?: number;
  classifier?: string;
  /** Generated/real images for the metrics (default 1000). */
  metricSamples?: number;
  /**
   * Model selection (like rl's --eval-freq / Keras ModelCheckpoint(save_best_only)): every evalEvery epochs
   * (chunks) score evalSamples samples with `classifier` and keep the lowest-Fréchet weights in `out`; the
   * latest state (what a rerun resumes from) then lives in `<out>.ckpt`. 0 = off (default).
   */
  evalEvery?: number;
  /** Samples (and real images per set) of each selection evaluation (default 500). */
  evalSamples?: number;
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
  const evalEvery = checkInt('--eval-every', o.evalEvery ?? 0, 0);
  const evalSamples = checkInt('--eval-samples', o.evalSamples ?? 500, 2);
  if (evalEvery > 0 && !o.classifier) throw invalidOption('--classifier', o.classifier, 'a classifier model directory for --eval-every (it selects by the Fréchet distance on its features)');
  // With selection, `out` holds the best weights and `<out>.ckpt` the latest (the resume point).
  const stateDir = evalEvery > 0 ? `${o.out}.ckpt` : o.out;
  type Evaluation = { epoch: number; frechet: number; classAccuracy?: number; classesCovered: number };
  let evaluations: Evaluation[] = [];
  // Resume from the last saved epoch when the output exists (weights; optimizer moments restart).
  let initialEpoch = 0;
  let priorWall = 0;
  // Epochs after which this run was resumed (Adam moments restart there; recorded in the card).
  let resumedAfter: number[] = [];
  let gan: Gan;
  if (existsSync(join(stateDir, 'model-card.json'))) {
    const loaded = await loadGan(stateDir);
    gan = loaded.gan;
    initialEpoch = (loaded.card.training?.epochs as number | undefined) ?? 0;
    priorWall = loaded.card.training?.wallTimeSeconds ?? 0;
    // A rerun with --epochs = the epochs done only relabels a stopped run: nothing resumes.
    resumedAfter = [...((loaded.card.extra?.resumedAfterEpochs as number[] | undefined) ?? []), ...(initialEpoch < epochs ? [initialEpoch] : [])];
    evaluations = (loaded.card.extra?.selection as { evaluations?: Evaluation[] } | undefined)?.evaluations ?? [];
    if (initialEpoch > epochs) {
      gan.dispose();
      throw invalidOption('--epochs', epochs, `at least the ${initialEpoch} epochs ${o.out} has already trained (rerunning resumes)`);
    }
    log(`Resuming ${stateDir} after epoch ${initialEpoch}.`);
  } else {
    gan = Gan.create({ latentDim: o.latentDim, classes, imageShape: train.shape, gFilters: o.gFilters, dFilters: o.dFilters, upsample: o.upsample, seed: o.seed ?? 0 });
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
      `--filters ${gan.options.gFilters.join(',')} --d-filters ${gan.options.dFilters.join(',')} --upsample ${gan.options.upsample}`,
      o.stepsPerEpoch ? `--steps-per-epoch ${o.stepsPerEpoch}` : '',
      `--epochs ${epochs} --batch-size ${batchSize} --lr ${trainOpts.learningRate} --lr-d ${trainOpts.learningRateD} --label-smoothing ${trainOpts.labelSmoothing}`,
      trainOpts.spectralNorm ? '--spectral-norm' : '',
      `--seed ${seed}`,
      o.maxExamples ? `--max-examples ${o.maxExamples}` : '',
      o.classifier ? `--classifier ${o.classifier}` : '',
      evalEvery > 0 ? `--eval-every ${evalEvery} --eval-samples ${evalSamples}` : '',
      `--backend ${backend.selected} --out ${o.out}`,
    ]
      .filter(Boolean)
      .join(' ');
  const t0 = performance.now();
  const nan = terminateOnNaN();
  const best = () => evaluations.reduce<Evaluation | undefined>((b, e) => (b === undefined || e.frechet < b.frechet ? e : b), undefined);
  const selection = () =>
    evalEvery > 0 ? { selection: { by: 'lowest Fréchet distance', evalEvery, evalSamples, classifier: o.classifier, seed, bestEpoch: best()?.epoch, evaluations } } : {};
  const card = (epoch: number) => ({
    name: o.out.split('/').pop(),
    labels: train.classes,
    dataset: { name: dataset, split: 'train', examples: n },
    preprocessing: { pixels: 'generator outputs tanh in [-1, 1], returned as [0, 1]' },
    extra: { ...(resumedAfter.length ? { resumedAfterEpochs: resumedAfter } : {}), ...selection() },
    training: { command, epochs: epoch, backend: backend.selected, wallTimeSeconds: +(priorWall + (performance.now() - t0) / 1000).toFixed(1), hyperparameters: { batchSize, seed, ...trainOpts } },
  });
  const saver: Callback = {
    async onEpochEnd(epoch, logs) {
      if (!Object.values(logs).every(Number.isFinite)) return; // keep the last good model
      if (evalEvery > 0 && ((epoch + 1) % evalEvery === 0 || epoch + 1 === epochs)) {
        const m = await sampleMetrics(ganSource(gan, train.classes), { classifier: o.classifier!, dataset, n: evalSamples, seed });
        const prev = best();
        evaluations.push({ epoch: epoch + 1, frechet: m.frechet, classAccuracy: m.classAccuracy, classesCovered: m.classesCovered });
        log(`epoch ${epoch + 1}: Fréchet ${m.frechet} (n = ${evalSamples})${m.classAccuracy !== undefined ? `, class accuracy ${m.classAccuracy}` : ''}${prev ? ` (best ${prev.frechet} after epoch ${prev.epoch})` : ''}`);
        if (prev === undefined || m.frechet < prev.frechet) await saveGan(gan, o.out, { ...card(epoch + 1), metrics: { samples: { ...m } } });
      }
      await saveGan(gan, stateDir, card(epoch + 1));
      const grid = gan.sample({ n: classes ? classes * 8 : 64, seed, label: classes ? Array.from({ length: classes * 8 }, (_, i) => i % classes) : undefined });
      await mkdir(`${o.out}.samples`, { recursive: true });
      await writeImages(join(`${o.out}.samples`, `epoch${epoch + 1}.png`), grid.dataSync() as Float32Array, gan.options.imageShape, grid.shape[0], { cols: classes || 8 });
      grid.dispose();
    },
  };
  const batch = new Float32Array(batchSize * per);
  const perPass = Math.floor(n / batchSize);
  if (perPass < 1) throw new DlkitError('INVALID_OPTION', `--batch-size ${batchSize} is larger than the ${n} training images.`);
  const stepsPerEpoch = o.stepsPerEpoch ?? perPass;
  // Pass p over the data is shuffled by (seed, p), so chunked "epochs" and resumed runs see the same batches.
  let cached: { pass: number; order: Int32Array } = { pass: -1, order: new Int32Array(0) };
  const orderOf = (pass: number) => {
    if (cached.pass !== pass) cached = { pass, order: new Rng(seed * 100_003 + pass + 1).permutation(n) };
    return cached.order;
  };
  try {
    log(`Training a ${classes ? 'conditional (ACGAN)' : 'DCGAN'} GAN on ${dataset} (${n} images) for ${epochs} epochs, backend ${backend.selected}.`);
    await runLoop<{ x: tf.Tensor4D; labels: number[]; rng: Rng }>({
      epochs,
      initialEpoch,
      stepsPerEpoch,
      callbacks: [nan, ...(o.progress ? [progressBar()] : []), saver],
      data: function* (epoch: number) {
        // Noise and fake labels of this chunk: seeded by (seed, epoch), independent of the data order.
        const rng = new Rng((seed + 7) * 100_003 + epoch + 1);
        for (let g = epoch * stepsPerEpoch; g < (epoch + 1) * stepsPerEpoch; g++) {
          const order = orderOf(Math.floor(g / perPass));
          const b = (g % perPass) * batchSize;
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
    // The card names the command of the run that finished (rerunning with --epochs = the epochs done relabels a stopped run).
    await saveGan(gan, stateDir, card(epochs));
    const result: Record<string, unknown> = { out: o.out, dataset, epochs, backend: backend.selected, wallTimeSeconds: +(priorWall + (performance.now() - t0) / 1000).toFixed(1) };
    if (evalEvery > 0) {
      // `out` holds the selected weights; its card gets this run's final command, wall time and the whole selection history.
      const b = best();
      const kept = await readModelCard(o.out);
      const c = card(epochs);
      const next = { ...kept, training: { ...kept.training, ...c.training, selectedEpoch: b?.epoch }, extra: { ...kept.extra, ...c.extra } };
      await atomicWriteFile(join(o.out, MODEL_CARD), `${JSON.stringify(next, null, 2)}\n`);
      result.selection = { bestEpoch: b?.epoch, frechet: b?.frechet, classAccuracy: b?.classAccuracy };
    } else if (o.classifier) {
      const samples = await sampleMetrics(ganSource(gan, train.classes), { classifier: o.classifier, dataset, n: o.metricSamples, seed });
      result.samples = samples;
      await saveGan(gan, o.out, { ...card(epochs), metrics: { samples: { ...samples } } });
    }
    return result;
  } finally {
    gan.dispose();
  }
}

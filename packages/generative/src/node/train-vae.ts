/**
 * `dlkit generate train` for VAEs: registry data → fitVae with a resumable checkpoint every epoch
 * (core's atomic model IO via @dlkit/train's saveCheckpoint) → test negative ELBO / IW-NLL →
 * saved model with a card holding the exact command, wall time and metrics.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackendName, DlkitError, Rng, ready, selectBackend, tf } from '@dlkit/core';
import { atomicWriteFile } from '@dlkit/core/node';
import type { Callback, History, Logs } from '@dlkit/train';
import { progressBar } from '@dlkit/train';
import { readTrainState, restoreCheckpoint, saveCheckpoint, TRAIN_STATE } from '@dlkit/train/node';
import { binarize } from '../binarize.js';
import { fitVae } from '../fit-vae.js';
import type { VaeOptions } from '../options.js';
import { Vae } from '../vae.js';
import { type LabeledImages, registryImages } from './images.js';
import { saveVae } from './vae-io.js';

export interface TrainVaeCommand extends VaeOptions {
  /** Condition on the dataset's classes (CVAE); sets `classes` from the dataset. */
  conditional?: boolean;
  dataset?: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  out: string;
  /** Resumable checkpoint directory (default `<out>.ckpt`); an existing one is resumed. */
  checkpointDir?: string;
  /** Importance samples for the test IW-NLL (0 skips it). */
  iwSamples?: number;
  /** Limit training images (quick runs, tests). */
  maxExamples?: number;
  /** Limit test images for the final evaluation. */
  maxTest?: number;
  backend?: string;
  progress?: boolean;
  log?: (msg: string) => void;
  /** Recorded in the card; default: reconstructed from the options. */
  command?: string;
  /** Test hook, called after each epoch's checkpoint (tests poison the weights here to force a divergence). */
  onEpochEndForTests?: (epoch: number, vae: Vae) => void;
}

const WALL = 'wall-time.json';

function isFiniteLogs(logs: Logs): boolean {
  return Object.values(logs).every((v) => Number.isFinite(v));
}

export function vaeTrainCommandLine(o: TrainVaeCommand & Required<Pick<TrainVaeCommand, 'dataset' | 'epochs' | 'batchSize' | 'learningRate' | 'seed'>>, backend: string): string {
  const parts = ['pnpm dlkit generate train', `--dataset ${o.dataset}`, `--arch ${o.arch ?? 'mlp'}`, `--latent ${o.latentDim ?? 20}`];
  if (o.hidden) parts.push(`--hidden ${o.hidden.join(',')}`);
  if (o.filters) parts.push(`--filters ${o.filters.join(',')}`);
  if (o.conditional || o.classes) parts.push('--conditional');
  if (o.beta !== undefined && o.beta !== 1) parts.push(`--beta ${o.beta}`);
  parts.push(`--epochs ${o.epochs}`, `--batch-size ${o.batchSize}`, `--lr ${o.learningRate}`, `--seed ${o.seed}`);
  if (o.maxExamples) parts.push(`--max-examples ${o.maxExamples}`);
  if (o.iwSamples !== undefined) parts.push(`--iw-samples ${o.iwSamples}`);
  parts.push(`--backend ${backend}`, `--out ${o.out}`);
  return parts.join(' ');
}

export async function trainVae(o: TrainVaeCommand): Promise<Record<string, unknown>> {
  const backend = o.backend ? await selectBackend(o.backend as BackendName) : await ready();
  const dataset = o.dataset ?? 'mnist';
  const epochs = o.epochs ?? 50;
  const batchSize = o.batchSize ?? 100;
  const learningRate = o.learningRate ?? 1e-3;
  const seed = o.seed ?? 0;
  const ckpt = o.checkpointDir ?? `${o.out}.ckpt`;
  const log = o.log ?? (() => {});

  const train: LabeledImages = await registryImages(dataset, 'train', o.maxExamples);
  const classes = o.conditional ? (train.classes?.length ?? 0) : (o.classes ?? 0);
  if (o.conditional && classes === 0) throw new DlkitError('INVALID_OPTION', `--conditional needs a dataset with classes; ${dataset} has none.`);
  const vae = Vae.create({ ...o, classes, imageShape: train.shape });
  try {
    let initialEpoch = 0;
    let history: History | undefined;
    let priorWall = 0;
    const optimizer = tf.train.adam(learningRate);
    vae.graph.optimizer = optimizer;
    if (existsSync(join(ckpt, TRAIN_STATE))) {
      const state = await readTrainState(ckpt);
      await restoreCheckpoint(ckpt, vae.graph, state);
      initialEpoch = state.nextEpoch;
      history = state.history;
      priorWall = existsSync(join(ckpt, WALL)) ? (JSON.parse(await readFile(join(ckpt, WALL), 'utf8')) as { seconds: number }).seconds : 0;
      log(`Resuming from ${ckpt} at epoch ${initialEpoch}.`);
    }
    log(`Training a ${vae.options.arch} VAE (latent ${vae.latentDim}${classes ? `, ${classes} classes` : ''}) on ${dataset} train (${train.labels.length} images) for ${epochs} epochs, backend ${backend.selected}.`);
    const t0 = performance.now();
    let lastGood = initialEpoch;
    const checkpoint: Callback = {
      async onEpochEnd(epoch, logs) {
        // Never overwrite a good checkpoint with a diverged one.
        if (!isFiniteLogs(logs)) return;
        await saveCheckpoint(ckpt, vae.graph, { nextEpoch: epoch + 1, epochs, history: history!, seed });
        await atomicWriteFile(join(ckpt, WALL), JSON.stringify({ seconds: priorWall + (performance.now() - t0) / 1000 }));
        lastGood = epoch + 1;
        o.onEpochEndForTests?.(epoch, vae);
      },
    };
    history ??= { epoch: [], history: {} };
    const callbacks: Callback[] = [checkpoint];
    if (o.progress) callbacks.unshift(progressBar());
    const result = await fitVae(vae, train, {
      epochs,
      batchSize,
      learningRate,
      seed,
      optimizer,
      initialEpoch,
      history,
      callbacks,
    });
    if (result.diverged) {
      throw new DlkitError('NUMERIC', `Training diverged: the loss became NaN/∞ at epoch ${result.diverged.epoch}, batch ${result.diverged.batch}. The last good checkpoint (${lastGood} epochs) in ${ckpt} is intact.`, {
        hint: 'Lower --lr (e.g. by 10×) and rerun the same command: it resumes from that checkpoint.',
        details: { epoch: result.diverged.epoch, batch: result.diverged.batch, checkpoint: ckpt, checkpointEpochs: lastGood },
      });
    }
    const wallTimeSeconds = +(priorWall + (performance.now() - t0) / 1000).toFixed(1);

    const test = await registryImages(dataset, 'test', o.maxTest);
    const testBin = binarize(test.images, new Rng(seed + 1));
    const labels = classes ? test.labels : undefined;
    const elbo = vae.negElbo(testBin, labels, { seed });
    const k = o.iwSamples ?? 16;
    const iw = k > 0 ? vae.iwNll(testBin, labels, { k, seed }) : undefined;
    const metrics = { testNegElbo: +elbo.negElbo.toFixed(3), testRecon: +elbo.recon.toFixed(3), testKl: +elbo.kl.toFixed(3), ...(iw ? { testIwNll: +iw.iwNll.toFixed(3), iwSamples: k } : {}) };
    const command = o.command ?? vaeTrainCommandLine({ ...o, dataset, epochs, batchSize, learningRate, seed }, backend.selected);
    await saveVae(vae, o.out, {
      name: o.out.split('/').pop(),
      labels: train.classes,
      dataset: { name: dataset, split: 'train', examples: train.labels.length },
      preprocessing: { pixels: '[0,1] intensities, dynamically binarised (Bernoulli) each epoch; test set binarised once with seed+1' },
      metrics: { ...metrics, testExamples: elbo.n },
      training: { command, epochs, wallTimeSeconds, backend: backend.selected, date: new Date().toISOString(), hyperparameters: { batchSize, learningRate, seed, optimizer: 'adam' } },
    });
    log(`Saved to ${o.out}: test negative ELBO ${metrics.testNegElbo} nats${iw ? `, IW-NLL (k=${k}) ${metrics.testIwNll}` : ''}.`);
    return { out: o.out, dataset, epochs, wallTimeSeconds, backend: backend.selected, ...metrics, n: elbo.n };
  } finally {
    vae.graph.optimizer?.dispose();
    vae.dispose();
  }
}

/**
 * What the `dlkit generate train|sample|interpolate|eval` verbs do, as plain functions (scripts and
 * tests call the same code the CLI does).
 */

import { join } from 'node:path';
import { type BackendName, checkInt, DlkitError, invalidOption, type ModelCard, Rng, ready, selectBackend, tf } from '@dlkit/core';
import { atomicWriteFile, MODEL_CARD, readModelCard } from '@dlkit/core/node';
import { binarize } from '../binarize.js';
import { Cvae } from '../cvae.js';
import type { InterpolationMode } from '../latent.js';
import type { Vae } from '../vae.js';
import { writeImages } from './grid-file.js';
import { idxFolderImages, registryImages } from './images.js';
import './pretrained-files.js';
import { type SampleMetrics, type SampleSource, sampleMetrics } from './sample-metrics.js';
import { loadVae } from './vae-io.js';

async function useBackend(name?: string): Promise<void> {
  if (name) await selectBackend(name as BackendName);
  else await ready();
}

/** A class given by index or by one of the card's label names. */
export function parseLabel(label: string | number | undefined, labels: string[] | undefined, classes: number): number | undefined {
  if (label === undefined || label === '') return undefined;
  const i = typeof label === 'number' ? label : /^\d+$/.test(label) ? Number(label) : (labels ?? []).indexOf(label);
  if (!Number.isInteger(i) || i < 0 || i >= classes) {
    throw invalidOption('--label', label, `a class index in [0, ${classes})${labels ? ` or a name (${labels.join(', ')})` : ''}`);
  }
  return i;
}

async function kindOf(dir: string): Promise<{ card: ModelCard; kind: string }> {
  const card = await readModelCard(dir);
  const kind = card.extra?.kind;
  if (typeof kind !== 'string') {
    throw new DlkitError('INVALID_INPUT', `${dir} is not a dlkit generative model (model-card.json has no extra.kind).`, {
      hint: 'Pass a directory written by `dlkit generate train`, or --pretrained quickdraw.',
    });
  }
  return { card, kind };
}

export interface SampleCommandOptions {
  model?: string;
  pretrained?: string;
  label?: string | number;
  n?: number;
  seed?: number;
  out: string;
  cols?: number;
  temperature?: number;
  backend?: string;
  modelDir?: string;
}

/** Decoded samples (pixel intensities in [0, 1]) of a saved VAE/GAN or a pretrained generator, written as a grid. */
export async function sampleImages(o: SampleCommandOptions): Promise<{ images: Float32Array; shape: [number, number, number]; n: number; label?: number; kind: string }> {
  await useBackend(o.backend);
  const n = checkInt('--n', o.n ?? 16, 1);
  const seed = checkInt('--seed', o.seed ?? 0);
  if (o.pretrained) {
    const cvae = await Cvae.fromPretrained(o.pretrained, { modelDir: o.modelDir });
    try {
      if (o.label === undefined) throw invalidOption('--label', undefined, `a class of ${o.pretrained} (e.g. ${cvae.labels.slice(0, 3).join(', ')})`);
      const label = cvae.labelIndex(/^\d+$/.test(String(o.label)) ? Number(o.label) : String(o.label));
      const t = cvae.generate({ label, n, seed });
      const images = t.dataSync() as Float32Array;
      t.dispose();
      return { images, shape: [28, 28, 1], n, label, kind: 'cvae-pretrained' };
    } finally {
      cvae.dispose();
    }
  }
  if (!o.model) throw invalidOption('--model', o.model, 'a model directory (or --pretrained quickdraw)');
  const { kind } = await kindOf(o.model);
  if (kind === 'gan') {
    const { loadGan } = await import('./gan-io.js');
    const { gan, card } = await loadGan(o.model);
    try {
      const label = parseLabel(o.label, card.labels, gan.options.classes);
      const t = gan.sample({ n, seed, label });
      const images = t.dataSync() as Float32Array;
      t.dispose();
      return { images, shape: gan.options.imageShape, n, label, kind };
    } finally {
      gan.dispose();
    }
  }
  const { vae, card } = await loadVae(o.model);
  try {
    const label = parseLabel(o.label, card.labels, vae.options.classes);
    const t = vae.sample({ n, seed, label, temperature: o.temperature });
    const images = t.dataSync() as Float32Array;
    t.dispose();
    return { images, shape: vae.options.imageShape, n, label, kind };
  } finally {
    vae.dispose();
  }
}

export async function sampleCommand(o: SampleCommandOptions): Promise<Record<string, unknown>> {
  const r = await sampleImages(o);
  await writeImages(o.out, r.images, r.shape, r.n, { cols: o.cols });
  return { out: o.out, n: r.n, kind: r.kind, ...(r.label !== undefined ? { label: r.label } : {}) };
}

export interface InterpolateCommandOptions {
  model: string;
  steps?: number;
  mode?: InterpolationMode;
  seed?: number;
  label?: string | number;
  labelB?: string | number;
  out: string;
  backend?: string;
}

/** Decodes a path between two prior samples (seeded), as a PNG strip or a GIF. */
export async function interpolateCommand(o: InterpolateCommandOptions): Promise<Record<string, unknown>> {
  await useBackend(o.backend);
  const steps = checkInt('--steps', o.steps ?? 10, 2);
  const mode = o.mode ?? 'spherical';
  if (mode !== 'linear' && mode !== 'spherical') throw invalidOption('--mode', mode, '"linear" or "spherical"');
  const { kind } = await kindOf(o.model);
  if (kind !== 'vae') throw invalidOption('--model', o.model, 'a VAE directory (interpolation of GANs: sample --seed)');
  const { vae, card } = await loadVae(o.model);
  try {
    const label = parseLabel(o.label, card.labels, vae.options.classes);
    const labelB = parseLabel(o.labelB, card.labels, vae.options.classes) ?? label;
    const rng = new Rng(o.seed ?? 0);
    const [a, b] = [vae.noise(1, rng).reshape([-1]), vae.noise(1, rng).reshape([-1])];
    const t = vae.interpolate(a, b, { steps, mode, label, labelB });
    const images = t.dataSync() as Float32Array;
    tf.dispose([a, b, t]);
    await writeImages(o.out, images, vae.options.imageShape, steps, { cols: steps });
    return { out: o.out, steps, mode };
  } finally {
    vae.dispose();
  }
}

export interface EvalCommandOptions {
  model: string;
  /** A folder with MNIST-layout t10k IDX files; or `dataset` (registry test split). */
  data?: string;
  /** Registry dataset for the test split (default: the one in the model's card, else mnist). */
  dataset?: string;
  /** Importance samples for the IW-NLL (default 16; 0 skips it). */
  k?: number;
  limit?: number;
  seed?: number;
  backend?: string;
  /** A classifier model directory: score n samples (Fréchet distance on its features, coverage, class accuracy). Required for GANs. */
  classifier?: string;
  /** Samples (and real images per set) for the sample metrics (default 1000). */
  n?: number;
  /** Write the sample metrics into the model's card (metrics.samples) with the command that reproduces them. */
  saveMetrics?: boolean;
  /** Recorded in the card with saveMetrics; default: reconstructed from the options. */
  command?: string;
}

export type EvalResult = {
  negElbo?: number;
  iwNll?: number;
  n?: number;
  k?: number;
  recon?: number;
  kl?: number;
  samples?: SampleMetrics;
};

function evalCommandLine(o: EvalCommandOptions, dataset: string, kind: string): string {
  const parts = ['pnpm dlkit generate eval', `--model ${o.model}`, o.data ? `--data ${o.data}` : `--dataset ${dataset}`, `--classifier ${o.classifier}`, `--n ${o.n ?? 1000}`, `--seed ${o.seed ?? 0}`];
  // --k (importance samples) only means something for a VAE.
  if (o.k !== undefined && kind !== 'gan') parts.push(`--k ${o.k}`);
  return [...parts, '--json'].join(' ');
}

/**
 * VAE: test negative ELBO and importance-weighted NLL (nats) on dynamically binarised test images; with a
 * classifier, also the sample metrics. GAN: the sample metrics (a classifier is required).
 */
export async function evalCommand(o: EvalCommandOptions): Promise<EvalResult> {
  await useBackend(o.backend);
  const { kind, card } = await kindOf(o.model);
  const dataset = o.dataset ?? card.dataset?.name ?? 'mnist';
  const result: EvalResult = {};
  if (kind === 'gan') {
    if (!o.classifier) throw invalidOption('--classifier', o.classifier, 'a classifier model directory (e.g. models/fashion-mnist-cnn): a GAN is scored by the Fréchet distance on its features');
    const { loadGan } = await import('./gan-io.js');
    const { ganSource } = await import('./train-gan.js');
    const { gan } = await loadGan(o.model);
    try {
      result.samples = await sampleMetrics(ganSource(gan, card.labels), { classifier: o.classifier, dataset, data: o.data, n: o.n, seed: o.seed });
    } finally {
      gan.dispose();
    }
  } else {
    const { vae } = await loadVae(o.model);
    try {
      const limit = o.limit === undefined ? undefined : checkInt('--limit', o.limit, 1);
      const set = o.data ? await idxFolderImages(o.data, limit) : await registryImages(dataset, 'test', limit);
      const seed = checkInt('--seed', o.seed ?? 0);
      // The same binarisation as the training command's final evaluation (seed + 1).
      const x = binarize(set.images, new Rng(seed + 1));
      const labels = vae.conditional ? set.labels : undefined;
      const e = vae.negElbo(x, labels, { seed });
      const k = checkInt('--k', o.k ?? 16, 0);
      const iw = k > 0 ? vae.iwNll(x, labels, { k, seed }) : undefined;
      Object.assign(result, { negElbo: +e.negElbo.toFixed(3), ...(iw ? { iwNll: +iw.iwNll.toFixed(3) } : {}), n: e.n, k, recon: +e.recon.toFixed(3), kl: +e.kl.toFixed(3) });
      if (o.classifier) result.samples = await sampleMetrics(vaeSource(vae, card.labels), { classifier: o.classifier, dataset, data: o.data, n: o.n, seed: o.seed });
    } finally {
      vae.dispose();
    }
  }
  if (o.saveMetrics) {
    if (!result.samples) throw invalidOption('--save-metrics', true, 'with --classifier (it saves the sample metrics)');
    const next = { ...card, metrics: { ...card.metrics, samples: { ...result.samples } }, extra: { ...card.extra, sampleMetricsCommand: o.command ?? evalCommandLine(o, dataset, kind) } };
    await atomicWriteFile(join(o.model, MODEL_CARD), `${JSON.stringify(next, null, 2)}\n`);
  }
  return result;
}

/** A VAE as a sample source: decoded Bernoulli means of prior samples (temperature 1). */
export function vaeSource(vae: Vae, labels?: string[]): SampleSource {
  return {
    shape: vae.options.imageShape,
    classes: vae.options.classes,
    labels: vae.options.classes ? labels : undefined,
    sample(n, seed, intended) {
      const t = vae.sample({ n, seed, label: intended });
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return v;
    },
  };
}

export type { Vae };

/**
 * What the `dlkit vision train|eval|predict|fine-tune|lr-find` verbs do, as plain functions, so a
 * model card's command is re-runnable from the CLI or a script alike. Training checkpoints every
 * epoch (`<out>.ckpt`) and resumes from there when re-run with --resume.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkInt, checkNumber, createProgress, DlkitError, invalidOption, ready } from '@dlkit/core';
import { atomicWriteFile } from '@dlkit/core/node';
import type { ImageExample } from '@dlkit/data';
import { type Callback, type History, lrFind, type TrainContext } from '@dlkit/train';
import { readTrainState, restoreCheckpoint, saveCheckpoint, TRAIN_STATE } from '@dlkit/train/node';
import { ImageBatches } from '../batches.js';
import { type EvaluationReport, ImageClassifier, type Tta } from '../classifier.js';
import { type ImageSet, splitImageSet, splitIndices, toImageSet } from '../image-set.js';
import type { Preprocessing } from '../preprocess.js';
import { type OpenedData, openImageData } from './data.js';

type Log = ((msg: string) => void) | undefined;

export interface DataArgs {
  data: string;
  split?: string;
  prefix?: string;
}

export interface TrainCommandOptions extends DataArgs {
  arch?: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  schedule?: 'constant' | 'cosine' | 'one-cycle';
  /** Hold-out fraction (seeded, stratified); the card reports accuracy on it. */
  valSplit?: number;
  /** Evaluate the final model on this split of the same data (e.g. 'test') and record it. */
  testSplit?: string;
  seed?: number;
  shift?: number;
  rotation?: number;
  flip?: boolean;
  zoom?: number;
  labelSmoothing?: number;
  /** Input [h, w] for folders/archives (registry datasets use their native size). */
  size?: number;
  channels?: 1 | 3;
  alpha?: number;
  filters?: [number, number, number];
  batchNorm?: boolean;
  dropout?: number;
  out: string;
  /** Continue from `<out>.ckpt` if a checkpoint is there. */
  resume?: boolean;
  progress?: boolean;
  log?: Log;
  command?: string;
}

function cliCommand(fallback: string): string {
  const i = process.argv.indexOf('vision');
  return i >= 0 ? `pnpm dlkit ${process.argv.slice(i).join(' ')}` : fallback;
}

async function loadSet(opened: OpenedData, pre: Preprocessing, label: string, progress: boolean): Promise<ImageSet> {
  const p = createProgress({ label, unit: 'img', mode: progress ? 'auto' : 'none' });
  try {
    return await toImageSet(opened.examples, pre, { classes: opened.classes, onExample: (n) => n % 500 === 0 && p.update(n) });
  } finally {
    p.done();
  }
}

function epochCheckpoint(dir: string, epochs: number, seed: number): Callback {
  let ctx: TrainContext;
  return {
    setContext(c) {
      ctx = c;
    },
    async onEpochEnd(epoch) {
      if (!ctx.model) return;
      await saveCheckpoint(dir, ctx.model, { nextEpoch: epoch + 1, epochs, history: ctx.history, seed });
    },
  };
}

function summary(r: EvaluationReport): Record<string, number> {
  return { accuracy: +r.accuracy.toFixed(5), loss: +r.loss.toFixed(5), n: r.n, macroF1: +r.macroF1.toFixed(5), ...(r.top5Accuracy !== undefined ? { top5Accuracy: +r.top5Accuracy.toFixed(5) } : {}) };
}

function lastLogs(h: History): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(h.history)) out[k] = +v.at(-1)!.toFixed(5);
  return out;
}

export async function trainCommand(o: TrainCommandOptions): Promise<Record<string, unknown>> {
  const backend = await ready();
  const t0 = Date.now();
  const seed = checkInt('seed', o.seed ?? 0);
  const epochs = checkInt('epochs', o.epochs ?? 10, 1);
  const opened = await openImageData(o.data, { split: o.split ?? 'train', prefix: o.prefix });
  const size = o.size !== undefined ? checkInt('size', o.size, 8) : undefined;
  const inputShape: [number, number, number] =
    opened.inputShape && size === undefined && o.channels === undefined ? opened.inputShape : [size ?? opened.inputShape?.[0] ?? 32, size ?? opened.inputShape?.[1] ?? 32, o.channels ?? opened.inputShape?.[2] ?? 3];
  const clf = await ImageClassifier.create({ arch: o.arch ?? 'cnn-small', classes: opened.classes, inputShape, seed, alpha: o.alpha, filters: o.filters, batchNorm: o.batchNorm, dropout: o.dropout, preprocessing: { resize: opened.kind === 'folder' || opened.kind === 'archive' ? 'cover' : 'fill' } });
  try {
    o.log?.(`Loading ${opened.name} (${opened.classes.length} classes) at ${inputShape.join('×')}…`);
    let train = await loadSet(opened, clf.preprocessing, `load ${opened.name}`, o.progress ?? true);
    let validation: ImageSet | undefined;
    if (o.valSplit) ({ train, validation } = splitImageSet(train, checkNumber('valSplit', o.valSplit, 0, 1), seed));
    const lr = checkNumber('lr', o.lr ?? 1e-3, 0);
    clf.compile(lr);
    const ckpt = `${o.out}.ckpt`;
    let initialEpoch: number | undefined;
    let history: History | undefined;
    if (o.resume && existsSync(join(ckpt, TRAIN_STATE))) {
      const state = await readTrainState(ckpt);
      await restoreCheckpoint(ckpt, clf.model, state);
      initialEpoch = state.nextEpoch;
      history = state.history;
      o.log?.(`Resuming from ${ckpt} at epoch ${initialEpoch + 1}/${epochs}.`);
    }
    const trainedBefore = (history?.history.wallTimeS?.at(-1) as number | undefined) ?? 0;
    const timing: Callback = {
      onEpochEnd: (_e, logs) => {
        logs.wallTimeS = trainedBefore + (Date.now() - t0) / 1000;
      },
    };
    o.log?.(`Training ${o.arch ?? 'cnn-small'} on ${train.length} images (${validation ? `${validation.length} held out, ` : ''}backend ${backend.selected})…`);
    const h =
      initialEpoch !== undefined && initialEpoch >= epochs
        ? history!
        : await clf.fit(train, {
            epochs,
            batchSize: o.batchSize ?? 64,
            lr,
            schedule: o.schedule ?? 'constant',
            seed,
            augment: { shift: o.shift ?? 0, rotation: o.rotation ?? 0, flip: o.flip ?? false, zoom: o.zoom ?? 0 },
            labelSmoothing: o.labelSmoothing ?? 0,
            ...(validation ? { validationData: validation } : {}),
            callbacks: [timing, epochCheckpoint(ckpt, epochs, seed)],
            progress: o.progress ?? true,
            ...(initialEpoch !== undefined ? { initialEpoch, history } : {}),
          });
    const metrics: Record<string, number | Record<string, unknown>> = {};
    const result: Record<string, unknown> = { out: o.out, backend: backend.selected, epochs, trainExamples: train.length, final: lastLogs(h) };
    if (validation) {
      const r = await clf.evaluate(validation);
      metrics.heldOut = { ...summary(r), fraction: o.valSplit!, seed };
      result.heldOut = summary(r);
    }
    if (o.testSplit) {
      const test = await openImageData(o.data, { split: o.testSplit, prefix: o.prefix });
      const r = await clf.evaluate(await loadSet(test, clf.preprocessing, `load ${test.name}`, o.progress ?? true));
      metrics.test = { ...summary(r), split: o.testSplit };
      result.test = summary(r);
      o.log?.(`${test.name}: accuracy ${(r.accuracy * 100).toFixed(2)}% on ${r.n} images.`);
    }
    const wall = (h.history.wallTimeS?.at(-1) as number | undefined) ?? (Date.now() - t0) / 1000;
    const card = await clf.save(o.out, {
      name: o.out.split('/').pop(),
      metrics,
      dataset: { name: opened.name, split: o.split ?? 'train', examples: train.length },
      training: {
        command: o.command ?? cliCommand(`dlkit vision train --data ${o.data} --out ${o.out}`),
        epochs,
        wallTimeSeconds: +wall.toFixed(1),
        backend: backend.selected,
        date: new Date().toISOString(),
        hyperparameters: { arch: o.arch ?? 'cnn-small', ...(o.filters ? { filters: o.filters } : {}), batchNorm: o.batchNorm ?? false, ...(o.dropout !== undefined ? { dropout: o.dropout } : {}), batchSize: o.batchSize ?? 64, lr, schedule: o.schedule ?? 'constant', valSplit: o.valSplit ?? 0, seed, shift: o.shift ?? 0, rotation: o.rotation ?? 0, flip: o.flip ?? false, zoom: o.zoom ?? 0, labelSmoothing: o.labelSmoothing ?? 0 },
      },
    });
    await atomicWriteFile(join(o.out, 'history.json'), `${JSON.stringify(h, null, 1)}\n`);
    await rm(ckpt, { recursive: true, force: true });
    o.log?.(`Saved ${o.out} (${card.weights?.reduce((a, w) => a + w.bytes, 0)} weight bytes).`);
    return { ...result, wallTimeS: +wall.toFixed(1) };
  } finally {
    clf.dispose();
  }
}

export interface EvalCommandOptions extends DataArgs {
  model: string;
  /** Evaluate only the held-out part of a seeded split (as train/fine-tune --val-split made it). */
  holdout?: number;
  /** Evaluate a seeded stratified sample of this many images (of the held-out part, with holdout): a fast regression check. */
  sample?: number;
  seed?: number;
  batchSize?: number;
  /** Test-time augmentation ('flip': mean of the image's and its mirror's probabilities). */
  tta?: Tta;
  progress?: boolean;
  log?: Log;
}

export async function evalCommand(o: EvalCommandOptions): Promise<Record<string, unknown>> {
  const backend = await ready();
  const t0 = Date.now();
  const clf = await ImageClassifier.load(o.model);
  try {
    const opened = await openImageData(o.data, { split: o.split ?? 'test', prefix: o.prefix });
    if (opened.classes.join('\n') !== clf.labels.join('\n')) {
      throw new DlkitError('SHAPE_MISMATCH', `${opened.name} has classes [${opened.classes.join(', ')}] but ${o.model} was trained on [${clf.labels.join(', ')}].`, {
        hint: 'Evaluate on data with the same class folders (same names, same order).',
      });
    }
    const seed = checkInt('seed', o.seed ?? 0);
    const holdout = o.holdout ? checkNumber('holdout', o.holdout, 0, 1) : undefined;
    const sample = o.sample !== undefined ? checkInt('sample', o.sample, 1) : undefined;
    let set: ImageSet;
    if (holdout === undefined && sample === undefined) set = await loadSet(opened, clf.preprocessing, `load ${opened.name}`, o.progress ?? true);
    else {
      // Choose the images first (same seeded stratified splits as training), then preprocess only
      // those: a 500-image check of a 96-px model need not resize the other 9,500.
      const raw: ImageExample[] = [];
      for await (const ex of opened.examples as AsyncIterable<ImageExample>) raw.push(ex);
      let idx = raw.map((_, i) => i);
      if (holdout !== undefined) idx = splitIndices(raw.map((e) => e.label), holdout, seed).validation;
      if (sample !== undefined && sample < idx.length) {
        const chosen = splitIndices(idx.map((i) => raw[i]!.label), sample / idx.length, seed + 1).validation;
        idx = chosen.map((j) => idx[j]!);
      }
      set = await toImageSet(idx.map((i) => raw[i]!), clf.preprocessing, { classes: opened.classes });
    }
    const r = await clf.evaluate(set, { batchSize: o.batchSize ?? 128, tta: o.tta ?? 'none' });
    o.log?.(r.text);
    const { text: _t, ...rest } = r;
    return { model: o.model, data: opened.name, ...(holdout !== undefined ? { holdout, seed } : {}), ...(sample !== undefined ? { sample, seed } : {}), backend: backend.selected, wallTimeS: +((Date.now() - t0) / 1000).toFixed(2), ...rest };
  } finally {
    clf.dispose();
  }
}

export interface PredictCommandOptions {
  files: string[];
  model?: string;
  pretrained?: string;
  modelDir?: string;
  topK?: number;
  log?: Log;
}

export async function predictCommand(o: PredictCommandOptions): Promise<Record<string, unknown>> {
  if (!o.files.length) throw new DlkitError('INVALID_INPUT', 'predict needs at least one image file.', { hint: 'dlkit vision predict --pretrained darknet-tiny photo.jpg' });
  if (!o.model === !o.pretrained) throw invalidOption('--model/--pretrained', o.model ?? o.pretrained, 'exactly one of --model DIR or --pretrained darknet-tiny|mobilenet-v1-0.25|doodlenet');
  const backend = await ready();
  const clf = o.model ? await ImageClassifier.load(o.model) : await ImageClassifier.fromPretrained(o.pretrained!, { modelDir: o.modelDir });
  try {
    const topK = checkInt('--top-k', o.topK ?? 5, 1);
    const predictions = [];
    for (const file of o.files) {
      const top = await clf.predict(file, { topK });
      predictions.push({ file, top: top.map(({ label, score }) => ({ label, score: +score.toFixed(5) })) });
      o.log?.(`${file}\n${top.map((t) => `  ${(t.score * 100).toFixed(1).padStart(5)}%  ${t.label}`).join('\n')}`);
    }
    return { model: o.model ?? o.pretrained, backend: backend.selected, predictions };
  } finally {
    clf.dispose();
  }
}

export interface FineTuneCommandOptions extends DataArgs {
  pretrained: string;
  modelDir?: string;
  /** Input size for resizable bases (square). */
  size?: number;
  freezeEpochs?: number;
  epochs?: number;
  baseLr?: number;
  lrMult?: number;
  batchSize?: number;
  valSplit?: number;
  testSplit?: string;
  seed?: number;
  cacheViews?: number;
  shift?: number;
  rotation?: number;
  flip?: boolean;
  zoom?: number;
  labelSmoothing?: number;
  dropout?: number;
  unfreezeFrom?: string;
  /** With unfreezeFrom: train the unfrozen part on cached outputs of the frozen layers. */
  cacheFrozen?: boolean;
  schedule?: 'constant' | 'cosine' | 'one-cycle';
  /** Override the pretrained model's inversion (DoodleNet inverts dark-on-light drawings; MNIST is light-on-dark). */
  invert?: boolean;
  /** A model trained from scratch on the same data: evaluated on the same test split and recorded as `metrics.fromScratch`. */
  compare?: string;
  out: string;
  progress?: boolean;
  log?: Log;
  command?: string;
}

export async function fineTuneCommand(o: FineTuneCommandOptions): Promise<Record<string, unknown>> {
  const backend = await ready();
  const t0 = Date.now();
  const seed = checkInt('seed', o.seed ?? 0);
  const opened = await openImageData(o.data, { split: o.split ?? 'train', prefix: o.prefix });
  const size = o.size !== undefined ? checkInt('size', o.size, 16) : undefined;
  const clf = await ImageClassifier.fromPretrained(o.pretrained, { modelDir: o.modelDir, classes: opened.classes, seed, dropout: o.dropout, ...(o.invert !== undefined ? { preprocessing: { invert: o.invert } } : {}), ...(size ? { inputSize: [size, size] as [number, number] } : {}) });
  try {
    let train = await loadSet(opened, clf.preprocessing, `load ${opened.name}`, o.progress ?? true);
    let validation: ImageSet | undefined;
    if (o.valSplit) ({ train, validation } = splitImageSet(train, checkNumber('valSplit', o.valSplit, 0, 1), seed));
    const augment = { shift: o.shift ?? 0, rotation: o.rotation ?? 0, flip: o.flip ?? false, zoom: o.zoom ?? 0 };
    const hp = { freezeEpochs: o.freezeEpochs ?? 1, epochs: o.epochs ?? 1, baseLr: o.baseLr ?? 1e-3, lrMult: o.lrMult ?? 0.1, batchSize: o.batchSize ?? 64, cacheViews: o.cacheViews ?? 0, labelSmoothing: o.labelSmoothing ?? 0, schedule: o.schedule ?? 'constant', ...(o.unfreezeFrom ? { unfreezeFrom: o.unfreezeFrom } : {}), ...(o.cacheFrozen ? { cacheFrozen: true } : {}) };
    o.log?.(`Fine-tuning ${o.pretrained} on ${train.length} images at ${clf.preprocessing.size.join('×')} (backend ${backend.selected})…`);
    const h = await clf.fineTune(train, { ...hp, seed, augment, ...(validation ? { validationData: validation } : {}), progress: o.progress ?? true });
    const metrics: Record<string, number | Record<string, unknown>> = {};
    const result: Record<string, unknown> = { out: o.out, backend: backend.selected, pretrained: o.pretrained, trainExamples: train.length, final: lastLogs(h) };
    if (validation) {
      const r = await clf.evaluate(validation);
      metrics.heldOut = { ...summary(r), fraction: o.valSplit!, seed };
      result.heldOut = summary(r);
    }
    if (o.testSplit) {
      const test = await openImageData(o.data, { split: o.testSplit, prefix: o.prefix });
      const r = await clf.evaluate(await loadSet(test, clf.preprocessing, `load ${test.name}`, o.progress ?? true));
      metrics.test = { ...summary(r), split: o.testSplit };
      result.test = summary(r);
      if (o.compare) {
        const scratch = await ImageClassifier.load(o.compare);
        try {
          const rs = await scratch.evaluate(await loadSet(test, scratch.preprocessing, `load ${test.name}`, o.progress ?? true));
          const { readModelCard } = await import('@dlkit/core/node');
          const card = await readModelCard(o.compare);
          metrics.fromScratch = { model: o.compare, ...summary(rs), split: o.testSplit, command: card.training?.command ?? '', wallTimeSeconds: card.training?.wallTimeSeconds ?? Number.NaN };
          result.fromScratch = summary(rs);
        } finally {
          scratch.dispose();
        }
      }
    }
    const wall = (Date.now() - t0) / 1000;
    await clf.save(o.out, {
      name: o.out.split('/').pop(),
      metrics,
      dataset: { name: opened.name, split: o.split ?? 'train', examples: train.length },
      training: {
        command: o.command ?? cliCommand(`dlkit vision fine-tune --pretrained ${o.pretrained} --data ${o.data} --out ${o.out}`),
        epochs: hp.freezeEpochs + hp.epochs,
        wallTimeSeconds: +wall.toFixed(1),
        backend: backend.selected,
        date: new Date().toISOString(),
        hyperparameters: { pretrained: o.pretrained, size: clf.preprocessing.size, valSplit: o.valSplit ?? 0, seed, ...hp, ...augment },
      },
    });
    await atomicWriteFile(join(o.out, 'history.json'), `${JSON.stringify(h, null, 1)}\n`);
    return { ...result, wallTimeS: +wall.toFixed(1) };
  } finally {
    clf.dispose();
  }
}

export interface LrFindCommandOptions extends DataArgs {
  arch?: string;
  size?: number;
  batchSize?: number;
  numIter?: number;
  seed?: number;
  /** Write the loss-vs-LR plot here (.svg or .png). */
  plot?: string;
  progress?: boolean;
  log?: Log;
}

export async function lrFindCommand(o: LrFindCommandOptions): Promise<Record<string, unknown>> {
  const backend = await ready();
  const seed = checkInt('seed', o.seed ?? 0);
  const opened = await openImageData(o.data, { split: o.split ?? 'train', prefix: o.prefix });
  const size = o.size !== undefined ? checkInt('size', o.size, 8) : undefined;
  const inputShape: [number, number, number] = opened.inputShape && size === undefined ? opened.inputShape : [size ?? 32, size ?? 32, opened.inputShape?.[2] ?? 3];
  const clf = await ImageClassifier.create({ arch: o.arch ?? 'cnn-small', classes: opened.classes, inputShape, seed });
  try {
    const set = await loadSet(opened, clf.preprocessing, `load ${opened.name}`, o.progress ?? true);
    clf.compile(1e-3);
    const r = await lrFind(clf.model, new ImageBatches(set, { batchSize: o.batchSize ?? 64, seed }), { numIter: o.numIter ?? 100, seed });
    if (o.plot) {
      const { writePlot } = await import('@dlkit/train/node');
      const { plotLrFind } = await import('@dlkit/train');
      await writePlot(o.plot, plotLrFind(r));
    }
    o.log?.(`suggested learning rates: valley ${r.suggestion.valley.toExponential(2)}, steep ${r.suggestion.steep.toExponential(2)}, minimum/10 ${r.suggestion.minimum.toExponential(2)}`);
    return { backend: backend.selected, suggestion: r.suggestion, lrs: r.lrs, losses: r.losses, ...(o.plot ? { plot: o.plot } : {}) };
  } finally {
    clf.dispose();
  }
}

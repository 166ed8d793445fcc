/**
 * The work behind `dlkit speech train|eval|predict|detect|synth-data`. Training checkpoints every
 * epoch to `<out>.ckpt` (model + History) and resumes from it, so a killed run loses one epoch.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type BackendName, invalidOption, ready, selectBackend } from '@dlkit/core';
import { atomicWriteFile } from '@dlkit/core/node';
import { type AudioExample, encodeWav } from '@dlkit/data';
import type { History, TrainContext } from '@dlkit/train';
import { readTrainState, restoreCheckpoint, saveCheckpoint, TRAIN_STATE } from '@dlkit/train/node';
import { Transcriber, type TranscriberOptions } from '../asr.js';
import type { AugmentOptions } from '../augment.js';
import { type ClipSet, groupSplitClipSet, speakerOf, splitClipSet, subset, toClipSet } from '../clip-set.js';
import type { FeatureKind } from '../features.js';
import type { EmbeddedSet } from '../fine-tune.js';
import { KeywordSpotter } from '../spotter.js';
import { openAudioData } from './data.js';
import { OpenWakeWord } from './openwakeword.js';
import './install.js';

function cliCommand(fallback: string): string {
  const i = process.argv.indexOf('speech');
  return i >= 0 ? `pnpm dlkit ${process.argv.slice(i).join(' ')}` : fallback;
}

async function backendOf(name?: string): Promise<string> {
  return (name ? await selectBackend(name as BackendName) : await ready()).selected as string;
}

export interface TrainCommandOptions {
  data: string;
  split?: string;
  out: string;
  arch?: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  sampleRate?: number;
  clipMs?: number;
  nMels?: number;
  hopMs?: number;
  kind?: FeatureKind;
  /** Registry split evaluated after training and recorded in the card (fsdd: test). */
  testSplit?: string;
  width?: number;
  /** Stratified seeded fraction of --data held out (never trained on) and reported. */
  holdout?: number;
  /** Copy the held-out WAVs here as class subfolders (for `speech eval --data DIR`). */
  holdoutDir?: string;
  /** Extra training data (e.g. synthetic) that is never held out. */
  extra?: string;
  augment?: 'none' | 'standard';
  noiseClass?: string;
  unknownWeight?: number;
  backend?: string;
  progress?: boolean;
  log?: (m: string) => void;
}

const STANDARD_AUGMENT: AugmentOptions = { shiftMs: 50, gainDb: [-6, 6], speed: [0.9, 1.1], timeMasks: 1, timeMaskWidth: 5, freqMasks: 1, freqMaskWidth: 4 };

export async function trainCommand(o: TrainCommandOptions): Promise<Record<string, unknown>> {
  const backend = await backendOf(o.backend);
  const t0 = Date.now();
  const opened = await openAudioData(o.data, o.split ? { split: o.split } : {});
  const sampleRate = o.sampleRate ?? 16000;
  const seed = o.seed ?? 0;
  const ckpt = `${o.out}.ckpt`;
  const spotter = await KeywordSpotter.create({
    arch: o.arch ?? 'ds-cnn',
    classes: opened.classes,
    clipMs: o.clipMs ?? 1000,
    features: { sampleRate, nMels: o.nMels ?? 40, hopMs: o.hopMs ?? 10, kind: o.kind ?? 'log-mel' },
    ...(o.width ? { width: o.width } : {}),
    seed,
  });
  let initialEpoch: number | undefined;
  let history: History | undefined;
  try {
    const all = await toClipSet(opened.examples, { sampleRate, clipSamples: spotter.clipSamples, classes: opened.classes });
    let train: ClipSet = all;
    let holdout: ClipSet | undefined;
    if (o.holdout) {
      const s = splitClipSet(all, o.holdout, seed);
      ({ train, validation: holdout } = s);
      if (o.holdoutDir) await writeHoldout(s.validationIndex.map((i) => opened.examples[i]!), opened.classes, o.holdoutDir);
    }
    const trainFiles = train.files ?? [];
    if (o.extra) {
      const extra = await openAudioData(o.extra, { classes: opened.classes });
      const e = await toClipSet(extra.examples, { sampleRate, clipSamples: spotter.clipSamples, classes: opened.classes });
      train = concat(train, e);
      o.log?.(`+ ${e.length} extra training clips from ${extra.name}`);
    }
    const epochs = o.epochs ?? 30;
    const unknown = opened.classes.indexOf('_unknown_');
    const classWeight = o.unknownWeight !== undefined && unknown >= 0 ? { [unknown]: o.unknownWeight } : undefined;
    const noiseClass = o.noiseClass ?? (opened.classes.includes('_silence_') ? '_silence_' : undefined);
    const augment = o.augment === 'none' ? undefined : { ...STANDARD_AUGMENT, ...(noiseClass ? { noiseProb: 0.5 } : {}) };
    spotter.compile(o.lr ?? 3e-3);
    if (existsSync(join(ckpt, TRAIN_STATE))) {
      const state = await readTrainState(ckpt);
      await restoreCheckpoint(ckpt, spotter.model, state);
      initialEpoch = state.nextEpoch;
      history = state.history;
      o.log?.(`resuming from ${ckpt} at epoch ${initialEpoch + 1}/${epochs}`);
    }
    const trainedBefore = (history?.history.wallTimeS?.at(-1) as number | undefined) ?? 0;
    let ctx: TrainContext | undefined;
    const h = initialEpoch !== undefined && initialEpoch >= epochs ? history! : await spotter.fit(train, {
      epochs,
      batchSize: o.batchSize ?? 64,
      lr: o.lr ?? 3e-3,
      schedule: 'cosine',
      seed,
      ...(augment ? { augment } : {}),
      ...(augment && noiseClass ? { noise: noiseClass } : {}),
      ...(classWeight ? { classWeight } : {}),
      ...(holdout ? { validationData: holdout } : {}),
      progress: o.progress ?? true,
      ...(initialEpoch !== undefined ? { initialEpoch, history } : {}),
      callbacks: [
        {
          setContext(c) {
            ctx = c;
          },
          async onEpochEnd(epoch, logs) {
            logs.wallTimeS = trainedBefore + (Date.now() - t0) / 1000;
            if (ctx?.model) await saveCheckpoint(ckpt, ctx.model, { nextEpoch: epoch + 1, epochs, history: ctx.history, seed });
          },
        },
      ],
    });
    const wall = (h.history.wallTimeS?.at(-1) as number | undefined) ?? (Date.now() - t0) / 1000;
    const metrics: Record<string, number> = {};
    if (holdout) {
      const r = await spotter.evaluate(holdout);
      metrics.holdoutAccuracy = +r.accuracy.toFixed(5);
      metrics.holdoutN = r.n;
      o.log?.(`held out: accuracy ${(r.accuracy * 100).toFixed(2)}% on ${r.n} clips`);
    }
    if (o.testSplit) {
      const test = await openAudioData(o.data, { split: o.testSplit, classes: opened.classes });
      const r = await spotter.evaluate(test.examples);
      metrics.testAccuracy = +r.accuracy.toFixed(5);
      metrics.testN = r.n;
      o.log?.(`${test.name}: accuracy ${(r.accuracy * 100).toFixed(2)}% on ${r.n} clips`);
    }
    await spotter.save(o.out, {
      name: basename(o.out),
      metrics,
      dataset: { name: opened.name, ...(o.split ? { split: o.split } : {}), examples: train.length },
      training: {
        command: cliCommand(`dlkit speech train --data ${o.data} --out ${o.out}`),
        epochs,
        wallTimeSeconds: +wall.toFixed(1),
        backend,
        date: new Date().toISOString(),
        hyperparameters: { arch: spotter.info.arch, width: o.width, testSplit: o.testSplit, batchSize: o.batchSize ?? 64, lr: o.lr ?? 3e-3, schedule: 'cosine', seed, augment: augment ?? 'none', noiseClass, classWeight, holdout: o.holdout, extra: o.extra },
      },
      extra: { trainedOn: { data: opened.name, files: trainFiles, ...(o.extra ? { extra: o.extra } : {}) }, ...(holdout ? { heldOut: holdout.files } : {}) },
    });
    await rm(ckpt, { recursive: true, force: true });
    return { out: o.out, backend, epochs, trainExamples: train.length, wallTimeS: +wall.toFixed(1), ...metrics, finalLogs: Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, v.at(-1)])) };
  } finally {
    spotter.dispose();
  }
}

export interface FineTuneCommandOptions {
  pretrained: string;
  data: string;
  split?: string;
  out: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  clipMs?: number;
  width?: number;
  holdout?: number;
  /** 'clip' (stratified clips) or 'speaker' (whole speakers held out: none of their clips trains). */
  holdoutBy?: 'clip' | 'speaker';
  holdoutDir?: string;
  extra?: string;
  augmentCopies?: number;
  noiseClass?: string;
  unknownWeight?: number;
  backend?: string;
  progress?: boolean;
  log?: (m: string) => void;
}

/**
 * `speech fine-tune`: a head over a frozen pretrained embedder. The embeddings (the slow part)
 * are cached in <out>.ckpt and reused by a rerun of the same command.
 */
export async function fineTuneCommand(o: FineTuneCommandOptions): Promise<Record<string, unknown>> {
  const backend = await backendOf(o.backend);
  const t0 = Date.now();
  const seed = o.seed ?? 0;
  const opened = await openAudioData(o.data, o.split ? { split: o.split } : {});
  const spotter = await KeywordSpotter.fromPretrained(o.pretrained, { classes: opened.classes, clipMs: o.clipMs ?? 1000, seed, ...(o.width ? { width: o.width } : {}) });
  const ckpt = `${o.out}.ckpt`;
  try {
    const all = await toClipSet(opened.examples, { sampleRate: spotter.sampleRate, clipSamples: spotter.clipSamples, classes: opened.classes });
    let train: ClipSet = all;
    let holdout: ClipSet | undefined;
    const by = o.holdoutBy ?? 'clip';
    if (by !== 'clip' && by !== 'speaker') throw invalidOption('--holdout-by', by, '"clip" or "speaker"');
    if (o.holdout) {
      const s = by === 'speaker' ? groupSplitClipSet(all, o.holdout, seed, (i) => speakerOf(all.files?.[i] ?? '')) : splitClipSet(all, o.holdout, seed);
      ({ train, validation: holdout } = s);
      if (o.holdoutDir) await writeHoldout(s.validationIndex.map((i) => opened.examples[i]!), opened.classes, o.holdoutDir);
    }
    const trainFiles = train.files ?? [];
    if (o.extra) {
      const extra = await openAudioData(o.extra, { classes: opened.classes });
      const e = await toClipSet(extra.examples, { sampleRate: spotter.sampleRate, clipSamples: spotter.clipSamples, classes: opened.classes });
      train = concat(train, e);
      o.log?.(`+ ${e.length} extra training clips from ${extra.name}`);
    }
    const copies = o.augmentCopies ?? 0;
    const noiseClass = o.noiseClass ?? (opened.classes.includes('_silence_') ? '_silence_' : undefined);
    const progress = o.progress ?? true;
    const key = { pretrained: o.pretrained, data: o.data, extra: o.extra ?? null, holdout: o.holdout ?? 0, by, copies, seed, clipMs: spotter.info.clipMs };
    const trainEmb = await cachedEmbeddings(join(ckpt, 'train'), key, o.log, () => spotter.embed(train, { copies, seed, progress, ...(noiseClass && copies ? { noiseClass } : {}), ...(noiseClass && copies ? { augment: { shiftMs: 100, gainDb: [-6, 6], speed: [0.9, 1.1], noiseProb: 0.5 } } : {}) }));
    const heldEmb = holdout ? await cachedEmbeddings(join(ckpt, 'holdout'), key, o.log, () => spotter.embed(holdout!, { seed, progress })) : undefined;
    const embedS = (Date.now() - t0) / 1000;
    const unknown = opened.classes.indexOf('_unknown_');
    const classWeight = o.unknownWeight !== undefined && unknown >= 0 ? { [unknown]: o.unknownWeight } : undefined;
    const epochs = o.epochs ?? 40;
    const h = await spotter.fineTune(trainEmb, {
      epochs,
      batchSize: o.batchSize ?? 32,
      lr: o.lr ?? 1e-3,
      seed,
      progress,
      ...(heldEmb ? { validationData: heldEmb } : {}),
      ...(classWeight ? { classWeight } : {}),
    });
    const metrics: Record<string, number> = {};
    if (heldEmb) {
      const r = await spotter.evaluate(heldEmb);
      metrics.holdoutAccuracy = +r.accuracy.toFixed(5);
      metrics.holdoutN = r.n;
      o.log?.(`held out: accuracy ${(r.accuracy * 100).toFixed(2)}% on ${r.n} clips`);
    }
    const wall = (Date.now() - t0) / 1000;
    await spotter.save(o.out, {
      name: basename(o.out),
      metrics,
      dataset: { name: opened.name, ...(o.split ? { split: o.split } : {}), examples: train.length },
      training: {
        command: cliCommand(`dlkit speech fine-tune --pretrained ${o.pretrained} --data ${o.data} --out ${o.out}`),
        epochs,
        wallTimeSeconds: +wall.toFixed(1),
        backend,
        date: new Date().toISOString(),
        hyperparameters: { pretrained: o.pretrained, head: spotter.info.arch, width: o.width ?? 64, batchSize: o.batchSize ?? 32, lr: o.lr ?? 1e-3, seed, augmentCopies: copies, ...(copies ? { noiseClass } : {}), classWeight, holdout: o.holdout, holdoutBy: by, extra: o.extra, embeddingSeconds: +embedS.toFixed(1) },
      },
      extra: { trainedOn: { data: opened.name, files: trainFiles, ...(o.extra ? { extra: o.extra } : {}) }, ...(holdout ? { heldOut: holdout.files, heldOutBy: by } : {}) },
    });
    await rm(ckpt, { recursive: true, force: true });
    return { out: o.out, backend, pretrained: o.pretrained, epochs, trainExamples: train.length, embedded: trainEmb.length, wallTimeS: +wall.toFixed(1), embeddingS: +embedS.toFixed(1), ...metrics, finalLogs: Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, v.at(-1)])) };
  } finally {
    spotter.dispose();
  }
}

/** Embeddings cached as <dir>.f32 / .labels.i32 / .json (written atomically), valid for the same `key`. */
async function cachedEmbeddings(dir: string, key: object, log: ((m: string) => void) | undefined, compute: () => Promise<EmbeddedSet>): Promise<EmbeddedSet> {
  const meta = `${dir}.json`;
  const k = JSON.stringify(key);
  if (existsSync(meta)) {
    const m = JSON.parse(await readFile(meta, 'utf8')) as { key: string; length: number; frames: number; dim: number };
    if (m.key === k) {
      const e = await readFile(`${dir}.f32`);
      const l = await readFile(`${dir}.labels.i32`);
      log?.(`reusing ${m.length} cached embeddings from ${dir}`);
      return { embeddings: new Float32Array(e.buffer, e.byteOffset, e.byteLength / 4).slice(), labels: new Int32Array(l.buffer, l.byteOffset, l.byteLength / 4).slice(), length: m.length, frames: m.frames, dim: m.dim };
    }
  }
  const s = await compute();
  await atomicWriteFile(`${dir}.f32`, new Uint8Array(s.embeddings.buffer, s.embeddings.byteOffset, s.embeddings.byteLength));
  await atomicWriteFile(`${dir}.labels.i32`, new Uint8Array(s.labels.buffer, s.labels.byteOffset, s.labels.byteLength));
  await atomicWriteFile(meta, JSON.stringify({ key: k, length: s.length, frames: s.frames, dim: s.dim }));
  return s;
}

function concat(a: ClipSet, b: ClipSet): ClipSet {
  const idx = (s: ClipSet) => Array.from({ length: s.length }, (_, i) => i);
  const x = subset(a, idx(a));
  const clips = new Float32Array(x.clips.length + b.clips.length);
  clips.set(x.clips);
  clips.set(b.clips, x.clips.length);
  const labels = new Int32Array(a.length + b.length);
  labels.set(a.labels);
  labels.set(b.labels, a.length);
  return { ...a, clips, labels, length: a.length + b.length, files: [...(a.files ?? []), ...(b.files ?? [])] };
}

/** Write the held-out clips (original rate, 16-bit) into DIR/<class>/ for `speech eval --data DIR`. */
async function writeHoldout(examples: AudioExample[], classes: string[], dir: string): Promise<void> {
  for (const e of examples) {
    const cls = classes[e.label]!;
    await mkdir(join(dir, cls), { recursive: true });
    await atomicWriteFile(join(dir, cls, e.file ?? 'clip.wav'), encodeWav(e.samples, e.sampleRate));
  }
}

export async function evalCommand(o: { model: string; data: string; split?: string; backend?: string }): Promise<Record<string, unknown>> {
  const backend = await backendOf(o.backend);
  const t0 = Date.now();
  const spotter = await KeywordSpotter.load(o.model);
  try {
    const opened = await openAudioData(o.data, { classes: spotter.labels, ...(o.split ? { split: o.split } : {}) });
    const r = await spotter.evaluate(opened.examples);
    const { text, ...rest } = r;
    return { model: o.model, data: opened.name, backend, wallTimeS: +((Date.now() - t0) / 1000).toFixed(2), ...rest, report: text };
  } finally {
    spotter.dispose();
  }
}

export async function predictCommand(o: { model: string; files: string[]; topK?: number; backend?: string }): Promise<Record<string, unknown>> {
  await backendOf(o.backend);
  const spotter = await KeywordSpotter.load(o.model);
  try {
    const predictions: Record<string, unknown>[] = [];
    for (const f of o.files) predictions.push({ file: f, top: await spotter.predict(f, { topK: o.topK ?? 3 }) });
    return { model: o.model, predictions };
  } finally {
    spotter.dispose();
  }
}

export interface DetectCommandOptions {
  model?: string;
  /** Use openWakeWord's pretrained detector instead of a trained model. */
  pretrained?: 'openwakeword';
  wakeWord?: string;
  file: string;
  threshold?: number;
  hopMs?: number;
  refractoryMs?: number;
  /** Voice-activity gate for a trained model (default silero). */
  vad?: 'silero' | 'energy';
  backend?: string;
}

export async function detectCommand(o: DetectCommandOptions): Promise<Record<string, unknown>> {
  if (o.pretrained === 'openwakeword') {
    const oww = await OpenWakeWord.load();
    try {
      const wakeWord = o.wakeWord ?? 'hey_jarvis';
      const events = await oww.detect(o.file, { wakeWord, ...(o.threshold !== undefined ? { threshold: o.threshold } : {}), ...(o.refractoryMs !== undefined ? { refractoryMs: o.refractoryMs } : {}) });
      return { pretrained: 'openwakeword', wakeWord, file: o.file, events };
    } finally {
      await oww.dispose();
    }
  }
  if (o.pretrained !== undefined) throw invalidOption('--pretrained', o.pretrained, '"openwakeword"');
  if (!o.model) throw invalidOption('--model', o.model, 'a saved model directory, or --pretrained openwakeword');
  await backendOf(o.backend);
  const spotter = await KeywordSpotter.load(o.model);
  try {
    const events = await spotter.detect(o.file, {
      ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
      ...(o.hopMs !== undefined ? { hopMs: o.hopMs } : {}),
      ...(o.refractoryMs !== undefined ? { refractoryMs: o.refractoryMs } : {}),
      vad: o.vad ?? 'silero',
    });
    return { model: o.model, file: o.file, vad: o.vad ?? 'silero', events };
  } finally {
    spotter.dispose();
  }
}

export interface TranscribeCommandOptions {
  /** Hub id, a folder name under localModelPath, or a path to a model folder (config.json inside). */
  model: string;
  files: string[];
  localModelPath?: string;
  allowRemote?: boolean;
  device?: TranscriberOptions['device'];
  dtype?: TranscriberOptions['dtype'];
  chunkS?: number;
  language?: string;
}

export async function transcribeCommand(o: TranscribeCommandOptions): Promise<Record<string, unknown>> {
  if (!o.files.length) throw invalidOption('<files...>', o.files, 'one or more audio files');
  // A path to a model folder: transformers.js wants its parent as localModelPath and its name.
  const isDir = !o.localModelPath && existsSync(join(o.model, 'config.json'));
  const asr = await Transcriber.create({
    model: isDir ? basename(resolve(o.model)) : o.model,
    ...(isDir ? { localModelPath: dirname(resolve(o.model)) } : o.localModelPath ? { localModelPath: o.localModelPath } : {}),
    ...(o.allowRemote ? { allowRemoteModels: true } : {}),
    ...(o.device ? { device: o.device } : {}),
    ...(o.dtype ? { dtype: o.dtype } : {}),
  });
  try {
    const transcripts: Record<string, unknown>[] = [];
    for (const f of o.files) {
      const t0 = Date.now();
      const r = await asr.transcribe(f, { ...(o.chunkS !== undefined ? { chunkLengthS: o.chunkS } : {}), ...(o.language ? { language: o.language } : {}) });
      transcripts.push({ file: f, ...r, wallTimeS: +((Date.now() - t0) / 1000).toFixed(2) });
    }
    return { model: o.model, modelType: asr.modelType, transcripts };
  } finally {
    await asr.dispose();
  }
}

export { synthDataCommand } from './synth.js';

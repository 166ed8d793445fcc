/**
 * `dlkit speech train-ctc` and the CTC side of `speech eval` / `speech transcribe`: a digit-sequence
 * recogniser trained on concatenated FSDD digits of some speakers plus espeak-ng sequences of some
 * voices, evaluated (WER/CER) on FSDD speakers and espeak voices it never heard. Checkpoints every
 * epoch to `<out>.ckpt` (a rerun resumes; the espeak corpus is cached there too).
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type BackendName, DlkitError, invalidOption, Rng, ready, selectBackend } from '@dlkit/core';
import type { History, TrainContext } from '@dlkit/train';
import { readTrainState, restoreCheckpoint, saveCheckpoint, TRAIN_STATE } from '@dlkit/train/node';
import { concatDigitSequences, type SequenceExample } from '../digit-sequences.js';
import { CtcRecognizer, SPEECH_RECOGNITION_CTC } from '../recognizer.js';
import { espeakSequences, FSDD_SPEAKERS, fsddPool, fsddSequences, readSequenceFolder } from './digit-data.js';
import { ACCENTS, VARIANTS } from './synth.js';
import './install.js';

/** Voices never used in training by default: 2 accents × 5 variants (all 10 combinations are the test voices). */
export const HELD_OUT_ACCENTS = ['en-029', 'en-gb-scotland'];
export const HELD_OUT_VARIANTS = ['m3', 'f2', 'klatt2', 'Annie', 'grandpa'];
export const HELD_OUT_SPEAKERS = ['theo', 'yweweler'];

const cross = (a: string[], v: string[]) => a.flatMap((x) => v.map((y) => `${x}+${y}`));

export interface TrainCtcCommandOptions {
  out: string;
  arch?: 'conv' | 'crnn';
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  sampleRate?: number;
  nMels?: number;
  hopMs?: number;
  width?: number;
  blocks?: number;
  /** FSDD speakers never trained on (evaluated); the other FSDD speakers train. */
  heldOutSpeakers?: string[];
  /** espeak-ng accents / variants never trained on; test voices are their combinations. */
  heldOutAccents?: string[];
  heldOutVariants?: string[];
  /** Fresh concatenated FSDD sequences per epoch, and the fixed espeak training corpus size. */
  fsddPerEpoch?: number;
  espeakTrain?: number;
  /** Held-out evaluation sizes. */
  fsddTest?: number;
  espeakTest?: number;
  /** Write the held-out espeak test sequences here (a sequence folder for `speech eval --data DIR`). */
  holdoutDir?: string;
  augment?: boolean;
  backend?: string;
  progress?: boolean;
  log?: (m: string) => void;
}

function cliCommand(fallback: string): string {
  const i = process.argv.indexOf('speech');
  return i >= 0 ? `pnpm dlkit ${process.argv.slice(i).join(' ')}` : fallback;
}

async function backendOf(name?: string): Promise<string> {
  return (name ? await selectBackend(name as BackendName) : await ready()).selected as string;
}

/** FSDD recording indices: 5–49 train, 0–4 validate (the conventional FSDD split, within the training speakers). */
const TRAIN_INDICES: [number, number] = [5, 49];
const VAL_INDICES: [number, number] = [0, 4];
/** Seeds of the evaluation sets, fixed so `speech eval` rebuilds exactly the card's sets. */
export const FSDD_TEST_SEED = 1001;
export const ESPEAK_TEST_SEED = 2002;

export async function trainCtcCommand(o: TrainCtcCommandOptions): Promise<Record<string, unknown>> {
  const backend = await backendOf(o.backend);
  const t0 = Date.now();
  const seed = o.seed ?? 0;
  const sampleRate = o.sampleRate ?? 8000;
  const heldSpeakers = o.heldOutSpeakers ?? HELD_OUT_SPEAKERS;
  const bad = heldSpeakers.filter((s) => !FSDD_SPEAKERS.includes(s));
  if (bad.length) throw invalidOption('--held-out-speakers', heldSpeakers.join(','), `FSDD speakers among ${FSDD_SPEAKERS.join(', ')}`);
  const trainSpeakers = FSDD_SPEAKERS.filter((s) => !heldSpeakers.includes(s));
  if (trainSpeakers.length === 0) throw invalidOption('--held-out-speakers', heldSpeakers.join(','), 'at least one FSDD speaker left to train on');
  const heldAccents = o.heldOutAccents ?? HELD_OUT_ACCENTS;
  const heldVariants = o.heldOutVariants ?? HELD_OUT_VARIANTS;
  const trainVoices = cross(
    ACCENTS.filter((a) => !heldAccents.includes(a)),
    VARIANTS.filter((v) => !heldVariants.includes(v)),
  );
  const testVoices = cross(heldAccents, heldVariants);
  const ckpt = `${o.out}.ckpt`;
  const epochs = o.epochs ?? 30;
  const batchSize = o.batchSize ?? 32;
  const lr = o.lr ?? 3e-3;
  const rec = await CtcRecognizer.create({ arch: o.arch ?? 'conv', features: { sampleRate, nMels: o.nMels ?? 32, hopMs: o.hopMs ?? 20 }, ...(o.width ? { width: o.width } : {}), ...(o.blocks !== undefined ? { blocks: o.blocks } : {}), seed });
  try {
    const espeakTrain = o.espeakTrain ?? 800;
    const synth = espeakTrain > 0 ? await espeakSequences({ voices: trainVoices, count: espeakTrain, seed: seed + 1, sampleRate, dir: join(ckpt, 'espeak-train'), ...(o.log ? { log: o.log } : {}) }) : [];
    const pool = await fsddPool({ speakers: trainSpeakers, indices: TRAIN_INDICES, sampleRate });
    const perEpoch = o.fsddPerEpoch ?? 800;
    // Fresh FSDD concatenations every epoch (seeded by epoch, so a resumed run sees the same ones).
    const epochData = (epoch: number): SequenceExample[] => [...concatDigitSequences(pool, sampleRate, perEpoch, new Rng(seed * 7919 + epoch)), ...synth];
    const validation = await fsddSequences({ speakers: trainSpeakers, indices: VAL_INDICES, sampleRate, count: 100, seed: seed + 3 });
    const prepS = (Date.now() - t0) / 1000;
    o.log?.(`data: ${perEpoch} FSDD sequences per epoch (${trainSpeakers.join(', ')}, recordings 5–49) + ${synth.length} espeak sequences (${trainVoices.length} voices) in ${prepS.toFixed(0)} s`);
    rec.compile(lr);
    let initialEpoch: number | undefined;
    let history: History | undefined;
    if (existsSync(join(ckpt, TRAIN_STATE))) {
      const state = await readTrainState(ckpt);
      await restoreCheckpoint(ckpt, rec.model, state);
      initialEpoch = state.nextEpoch;
      history = state.history;
      o.log?.(`resuming from ${ckpt} at epoch ${initialEpoch + 1}/${epochs}`);
    }
    const trainedBefore = (history?.history.wallTimeS?.at(-1) as number | undefined) ?? 0;
    const tFit = Date.now();
    let ctx: TrainContext | undefined;
    const h =
      initialEpoch !== undefined && initialEpoch >= epochs
        ? history!
        : await rec.fit(epochData, {
            epochs,
            batchSize,
            lr,
            schedule: 'cosine',
            seed,
            ...(o.augment === false ? { augment: false as const } : {}),
            validationData: validation,
            progress: o.progress ?? true,
            ...(initialEpoch !== undefined ? { initialEpoch, history } : {}),
            callbacks: [
              {
                setContext(c) {
                  ctx = c;
                },
                async onEpochEnd(epoch, logs) {
                  logs.wallTimeS = trainedBefore + (Date.now() - tFit) / 1000;
                  if (!o.progress) o.log?.(`epoch ${epoch + 1}/${epochs}: ${Object.entries(logs).map(([k, v]) => `${k} ${+v.toFixed(4)}`).join(', ')}`);
                  if (ctx?.model) await saveCheckpoint(ckpt, ctx.model, { nextEpoch: epoch + 1, epochs, history: ctx.history, seed });
                },
              },
            ],
          });
    const trainWall = (h.history.wallTimeS?.at(-1) as number | undefined) ?? (Date.now() - tFit) / 1000;
    const fsddTest = await fsddSequences({ speakers: heldSpeakers, sampleRate, count: o.fsddTest ?? 200, seed: FSDD_TEST_SEED });
    const rf = await rec.evaluate(fsddTest);
    o.log?.(`held-out FSDD speakers (${heldSpeakers.join(', ')}): WER ${(rf.wer * 100).toFixed(2)}%, CER ${(rf.cer * 100).toFixed(2)}%, ${rf.n} sequences`);
    const metrics: Record<string, number> = { fsddHeldOutWer: +rf.wer.toFixed(5), fsddHeldOutCer: +rf.cer.toFixed(5), fsddHeldOutSentenceAccuracy: +rf.sentenceAccuracy.toFixed(5), fsddHeldOutN: rf.n };
    const rv = await rec.evaluate(validation);
    metrics.validationWer = +rv.wer.toFixed(5);
    if ((o.espeakTest ?? 100) > 0) {
      const espeakTest = await espeakSequences({ voices: testVoices, count: o.espeakTest ?? 100, seed: ESPEAK_TEST_SEED, sampleRate, ...(o.holdoutDir ? { dir: o.holdoutDir } : {}) });
      const re = await rec.evaluate(espeakTest);
      o.log?.(`held-out espeak voices (${testVoices.length}): WER ${(re.wer * 100).toFixed(2)}%, CER ${(re.cer * 100).toFixed(2)}%, ${re.n} sequences`);
      Object.assign(metrics, { espeakHeldOutWer: +re.wer.toFixed(5), espeakHeldOutCer: +re.cer.toFixed(5), espeakHeldOutSentenceAccuracy: +re.sentenceAccuracy.toFixed(5), espeakHeldOutN: re.n });
    }
    const wall = (Date.now() - t0) / 1000;
    await rec.save(o.out, {
      name: basename(o.out),
      metrics,
      dataset: { name: 'fsdd + espeak-ng digit sequences', examples: perEpoch + synth.length },
      training: {
        command: cliCommand(`dlkit speech train-ctc --out ${o.out}`),
        epochs,
        wallTimeSeconds: +trainWall.toFixed(1),
        backend,
        date: new Date().toISOString(),
        hyperparameters: { arch: rec.info.arch, width: o.width ?? 96, blocks: o.blocks ?? 3, batchSize, lr, schedule: 'cosine', seed, augment: o.augment !== false, fsddPerEpoch: perEpoch, espeakTrain, totalWallTimeSeconds: +wall.toFixed(1) },
      },
      extra: {
        trainedOn: { fsddSpeakers: trainSpeakers, fsddRecordingIndices: TRAIN_INDICES, espeakVoices: trainVoices, espeakSequences: synth.length },
        validation: { fsddSpeakers: trainSpeakers, fsddRecordingIndices: VAL_INDICES, sequences: validation.length },
        heldOut: {
          fsddSpeakers: heldSpeakers,
          espeakAccents: heldAccents,
          espeakVariants: heldVariants,
          espeakVoices: testVoices,
          fsddSeed: FSDD_TEST_SEED,
          espeakSeed: ESPEAK_TEST_SEED,
          evalCommands: {
            fsdd: `pnpm dlkit speech eval --model ${o.out} --data fsdd --speakers ${heldSpeakers.join(',')} --sequences ${rf.n} --seed ${FSDD_TEST_SEED} --json`,
            espeak: `pnpm dlkit speech eval --model ${o.out} --data espeak --voices ${testVoices.join(',')} --sequences ${o.espeakTest ?? 100} --seed ${ESPEAK_TEST_SEED} --json`,
          },
        },
      },
    });
    await rm(ckpt, { recursive: true, force: true });
    return { out: o.out, backend, epochs, wallTimeS: +wall.toFixed(1), trainWallTimeS: +trainWall.toFixed(1), ...metrics, finalLogs: Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, v.at(-1)])) };
  } finally {
    rec.dispose();
  }
}

/** The task of a saved model directory (from model-card.json), or undefined. */
export async function modelTask(dir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(dir, 'model-card.json'), 'utf8')) as { task?: string }).task;
  } catch {
    return undefined;
  }
}

export const isCtcModel = async (dir: string) => (await modelTask(dir)) === SPEECH_RECOGNITION_CTC;

export interface EvalCtcOptions {
  model: string;
  /** 'fsdd' (concatenated digits of --speakers), 'espeak' (sequences of --voices) or a sequence folder. */
  data: string;
  speakers?: string[];
  voices?: string[];
  sequences?: number;
  seed?: number;
  beamWidth?: number;
  backend?: string;
}

export async function evalCtcCommand(o: EvalCtcOptions): Promise<Record<string, unknown>> {
  const backend = await backendOf(o.backend);
  const t0 = Date.now();
  const rec = await CtcRecognizer.load(o.model);
  try {
    const sr = rec.sampleRate;
    let examples: SequenceExample[];
    let data = o.data;
    if (o.data === 'fsdd') {
      const speakers = o.speakers ?? HELD_OUT_SPEAKERS;
      examples = await fsddSequences({ speakers, sampleRate: sr, count: o.sequences ?? 200, seed: o.seed ?? FSDD_TEST_SEED });
      data = `fsdd digit sequences of ${speakers.join(', ')} (seed ${o.seed ?? FSDD_TEST_SEED})`;
    } else if (o.data === 'espeak') {
      const voices = o.voices ?? cross(HELD_OUT_ACCENTS, HELD_OUT_VARIANTS);
      examples = await espeakSequences({ voices, count: o.sequences ?? 100, seed: o.seed ?? ESPEAK_TEST_SEED, sampleRate: sr });
      data = `espeak-ng digit sequences of ${voices.length} voices (seed ${o.seed ?? ESPEAK_TEST_SEED})`;
    } else if (existsSync(join(o.data, 'transcripts.tsv'))) {
      examples = await readSequenceFolder(o.data, sr);
    } else {
      throw new DlkitError('NOT_FOUND', `--data ${o.data}: expected "fsdd", "espeak" or a sequence folder (WAVs + transcripts.tsv).`);
    }
    const r = await rec.evaluate(examples, o.beamWidth ? { beamWidth: o.beamWidth } : {});
    const { utterances, ...rates } = r;
    return { model: o.model, data, backend, ...rates, wallTimeS: +((Date.now() - t0) / 1000).toFixed(2), errors: utterances.filter((u) => u.ref !== u.hyp).slice(0, 20) };
  } finally {
    rec.dispose();
  }
}

export async function transcribeCtcCommand(o: { model: string; files: string[]; beamWidth?: number; backend?: string }): Promise<Record<string, unknown>> {
  await backendOf(o.backend);
  const rec = await CtcRecognizer.load(o.model);
  try {
    const transcripts: Record<string, unknown>[] = [];
    for (const f of o.files) {
      const t0 = Date.now();
      const r = await rec.transcribe(f, o.beamWidth ? { beamWidth: o.beamWidth } : {});
      transcripts.push({ file: f, ...r, wallTimeS: +((Date.now() - t0) / 1000).toFixed(2) });
    }
    return { model: o.model, modelType: SPEECH_RECOGNITION_CTC, transcripts };
  } finally {
    rec.dispose();
  }
}

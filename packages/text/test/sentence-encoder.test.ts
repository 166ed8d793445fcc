import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDlkitError, selectBackend, tf } from '@dlkit/core';
import { readModelCard } from '@dlkit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskCachedEmbedder, ensembleClassifiers, loadSentenceEncoder, SentimentClassifier, sentenceEncoderDir, type TextEmbedder, UnigramTokenizer, type UniversalSentenceEncoder } from '../src/node.js';
import { cosine as cos, rejection, toyData } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlkit-use-'));
let use: UniversalSentenceEncoder;
beforeAll(async () => {
  await selectBackend('wasm');
  use = await loadSentenceEncoder('use-lite');
});
afterAll(() => {
  use?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('UnigramTokenizer', () => {
  // 6 reserved control ids, then pieces with log-probabilities.
  const reserved: [string, number][] = [['<unk>', 0], ['<s>', 0], ['</s>', 0], ['x1', 0], ['x2', 0], ['x3', 0]];
  const tok = new UnigramTokenizer([...reserved, ['▁', -2], ['▁a', -1], ['b', -2], ['▁ab', -2.5], ['▁c', -4], ['c', -3], [':', null]]);

  it('picks the most probable segmentation, merges unknown characters into one id 0, and counts null scores as 0', () => {
    expect(tok.encode('ab')).toEqual([9]); // ▁ab (−2.5) beats ▁a + b (−3)
    expect(tok.encode('abb')).toEqual([9, 8]);
    expect(tok.encode('ab zz c')).toEqual([9, 6, 0, 10]); // ▁ab ▁ [zz] ▁c
    expect(tok.encode('a:')).toEqual([7, 12]);
    expect(tok.encode('')).toEqual([]);
  });

  it('reproduces the ids of the Universal Sentence Encoder package tokenizer', () => {
    // Expected ids from @tensorflow-models/universal-sentence-encoder@1.3.3's Tokenizer on the same vocab.json.
    expect(use.tokenizer.encode('hello world. a gorgeous, witty film')).toEqual([2002, 102, 311, 6, 11, 7357, 8, 2044, 17, 396, 722]);
    expect(use.tokenizer.encode('Ünïcödé ★ 中文 text')).toEqual([30, 0, 85, 0, 131, 6781, 29, 1133, 30, 7971, 30, 0, 1515]);
  });

  it('rejects a vocabulary that is not [piece, score] pairs', () => {
    expect(isDlkitError((() => { try { return new UnigramTokenizer([]); } catch (e) { return e; } })(), 'INVALID_INPUT')).toBe(true);
    expect(() => new UnigramTokenizer([['a', 'x' as unknown as number]], { reserved: 0 })).toThrow(/not a \[piece, score\] pair/);
  });
});

describe('Universal Sentence Encoder (lite)', () => {
  it('embeds sentences as 512-d vectors in input order, close for paraphrases, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const texts = ['The movie was wonderful.', 'What a great film!', 'The stock market fell sharply today.', 'I loved this picture, it was excellent.'];
    const v = await use.embed(texts);
    expect(v.map((x) => x.length)).toEqual([512, 512, 512, 512]);
    expect(cos(v[0]!, v[1]!)).toBeGreaterThan(cos(v[0]!, v[2]!) + 0.2);
    expect(cos(v[3]!, v[1]!)).toBeGreaterThan(cos(v[3]!, v[2]!) + 0.2);
    // The same text alone and inside a batch of other lengths (padding is masked).
    const [alone] = await use.embed([texts[2]!]);
    for (let i = 0; i < 512; i++) expect(alone![i]).toBeCloseTo(v[2]![i]!, 4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('diskCachedEmbedder stores the vectors of a large call and reads them back instead of encoding again', async () => {
    let calls = 0;
    const counting = { name: use.name, dim: use.dim, dispose: () => {}, embed: async (t: readonly string[]) => { calls++; return use.embed(t); } };
    const cached = diskCachedEmbedder(counting, { dir: join(dir, 'vec-cache'), minTexts: 2 });
    const texts = ['a witty film', 'a tedious mess', 'rain again'];
    const first = await cached.embed(texts);
    const second = await cached.embed(texts);
    expect(calls).toBe(1);
    second.forEach((v, i) => { expect(Array.from(v)).toEqual(Array.from(first[i]!)); });
    expect(readdirSync(join(dir, 'vec-cache'))).toHaveLength(1);
    await cached.embed(['one text']); // under minTexts: encoded, not stored
    expect(calls).toBe(2);
    expect(readdirSync(join(dir, 'vec-cache'))).toHaveLength(1);
  });

  it('rejects empty text, and damaged or missing files, with DlkitErrors', async () => {
    expect(String(await rejection(use.embed(['ok', ' '])))).toMatch(/texts\[1\] is empty/);
    const copy = join(dir, 'use-copy');
    cpSync(sentenceEncoderDir(), copy, { recursive: true });
    writeFileSync(join(copy, 'vocab.json'), '[]');
    expect(isDlkitError(await rejection(loadSentenceEncoder('use-lite', { dir: copy })), 'CHECKSUM_MISMATCH')).toBe(true);
    expect(isDlkitError(await rejection(loadSentenceEncoder('use-lite', { dir: join(dir, 'nowhere') })), 'NOT_FOUND')).toBe(true);
    expect(isDlkitError(await rejection(loadSentenceEncoder('bert' as 'use-lite')), 'INVALID_OPTION')).toBe(true);
  });
});

describe('hybrid classifier (text model + sentence-encoder vector)', () => {
  it('feeds the sentence vector as a second input, and the model learns from it', async () => {
    // A stand-in encoder whose vector says whether the text is positive: the hybrid must use it.
    const labelOf = new Map(toyData(100, 1).map((e) => [e.text, e.label]));
    const fake: TextEmbedder = { embed: async (texts) => texts.map((t) => new Float32Array(8).fill(labelOf.get(t) ? 1 : -1)) };
    const clf = await SentimentClassifier.create({ arch: 'fasttext', tokenizer: { minFrequency: 1 }, sentenceEncoder: 'use-lite', sentenceDim: 8, sentenceEmbedder: fake, seed: 0 });
    await clf.fit(toyData(100, 1), { epochs: 3, batchSize: 16, learningRate: 0.01 });
    expect(clf.model.inputs.map((i) => i.shape)).toEqual([[null, null], [null, 8]]);
    expect(clf.sentenceEncoder).toBe('use-lite');
    const ids = tf.tensor2d([clf.encode('the film')], undefined, 'int32');
    const [pos, neg] = [1, -1].map((s) => {
      const v = tf.fill([1, 8], s);
      const p = clf.model.predict([ids, v]) as tf.Tensor;
      const out = p.dataSync()[1]!;
      tf.dispose([v, p]);
      return out;
    });
    ids.dispose();
    expect(pos! - neg!).toBeGreaterThan(0.3);
    clf.dispose();
  });

  it('trains with USE-lite, saves, loads (the encoder is found by name) and predicts the same', async () => {
    const before = tf.memory().numTensors;
    const clf = await SentimentClassifier.create({ arch: 'cnn', embeddingDim: 16, filters: 8, tokenizer: { minFrequency: 1 }, sentenceEncoder: 'use-lite', sentenceHidden: 16, sentenceEmbedder: use, seed: 0 });
    await clf.fit(toyData(200, 1), { epochs: 3, batchSize: 32, learningRate: 0.01 });
    const report = await clf.evaluate(toyData(60, 2));
    expect(report.accuracy).toBeGreaterThan(0.9);
    const texts = ['a tedious mess', 'great acting, a witty film'];
    const p = await clf.predict(texts);
    expect(p.map((x) => x.label)).toEqual(['negative', 'positive']);
    await clf.save(join(dir, 'hybrid'));
    clf.dispose();
    const again = await SentimentClassifier.load(join(dir, 'hybrid'));
    expect(again.sentenceEncoder).toBe('use-lite');
    const q = await again.predict(texts);
    q.forEach((x, i) => {
      expect(x.label).toBe(p[i]!.label);
      expect(x.score).toBeCloseTo(p[i]!.score, 5);
    });
    again.dispose(); // also disposes the USE it loaded itself
    expect(tf.memory().numTensors).toBe(before);
    const card = await readModelCard(join(dir, 'hybrid'));
    expect(card.extra?.spec).toMatchObject({ sentenceEncoder: 'use-lite' });
  });

  it('ensembles hybrid and plain members into one graph with one sentence input (exact mean)', async () => {
    const before = tf.memory().numTensors;
    const fake: TextEmbedder = { embed: async (texts) => texts.map((t) => Float32Array.from({ length: 8 }, (_, j) => Math.sin(t.length + j))) };
    const hybrid = await SentimentClassifier.create({ arch: 'cnn', embeddingDim: 8, filters: 4, tokenizer: { minFrequency: 1 }, sentenceEncoder: 'use-lite', sentenceDim: 8, sentenceHidden: 4, sentenceEmbedder: fake });
    const plain = await SentimentClassifier.create({ arch: 'fasttext', tokenizer: { minFrequency: 1 } });
    await hybrid.fit(toyData(40, 1), { epochs: 1 });
    await plain.fit(toyData(40, 2), { epochs: 1 });
    const ens = ensembleClassifiers([plain, hybrid]);
    expect(ens.sentenceEncoder).toBe('use-lite');
    const texts = ['good film', 'a tedious mess', 'zzz'];
    const [sp, sh, se] = await Promise.all([plain.scores(texts), hybrid.scores(texts), ens.scores(texts)]);
    se.forEach((v, i) => {
      expect(v).toBeCloseTo((sp[i]! + sh[i]!) / 2, 5);
    });
    const narrow = await SentimentClassifier.create({ arch: 'fasttext', tokenizer: { minFrequency: 1 }, sentenceEncoder: 'use-lite', sentenceDim: 4, sentenceEmbedder: { embed: async (t) => t.map(() => new Float32Array(4)) } });
    await narrow.fit(toyData(20), { epochs: 1 });
    expect(() => ensembleClassifiers([hybrid, narrow])).toThrow(/members\[1\]\.sentenceEncoder/);
    for (const m of [hybrid, plain, ens, narrow]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("arch 'sentence' classifies the vector alone and joins an ensemble as a late-fusion member", async () => {
    const labelOf = new Map(toyData(100, 1).map((e) => [e.text, e.label]));
    const fake: TextEmbedder = { embed: async (texts) => texts.map((t) => new Float32Array(8).fill(labelOf.get(t) === 1 ? 1 : -1)) };
    const head = await SentimentClassifier.create({ arch: 'sentence', sentenceEncoder: 'use-lite', sentenceDim: 8, sentenceHidden: 4, maxLength: 32, tokenizer: { minFrequency: 1 }, sentenceEmbedder: fake, seed: 0 });
    await head.fit(toyData(100, 1), { epochs: 4, batchSize: 16, learningRate: 0.02 });
    expect((await head.evaluate(toyData(100, 1))).accuracy).toBe(1); // the vector is the label
    const text = await SentimentClassifier.create({ arch: 'fasttext', maxLength: 32, tokenizer: { minFrequency: 1 } });
    await text.fit(toyData(60, 2), { epochs: 1 });
    const ens = ensembleClassifiers([text, head]);
    const texts = ['good film', 'a tedious mess'];
    const [st, sh, se] = await Promise.all([text.scores(texts), head.scores(texts), ens.scores(texts)]);
    se.forEach((v, i) => {
      expect(v).toBeCloseTo((st[i]! + sh[i]!) / 2, 5);
    });
    for (const m of [head, text, ens]) m.dispose();
    await expect(SentimentClassifier.create({ arch: 'sentence' })).rejects.toThrow(/arch 'sentence' classifies its vector alone/);
    // With USE-lite: its only input is the vector, before and after a save/load.
    const real = await SentimentClassifier.create({ arch: 'sentence', sentenceEncoder: 'use-lite', sentenceHidden: 8, tokenizer: { minFrequency: 1 }, sentenceEmbedder: use, seed: 0 });
    await real.fit(toyData(60, 3), { epochs: 1, batchSize: 16 });
    expect(real.model.inputNames).toEqual(['sentence']);
    const before = await real.scores(texts);
    await real.save(join(dir, 'use-head'));
    real.dispose();
    const again = await SentimentClassifier.load(join(dir, 'use-head'));
    expect(Array.from(await again.scores(texts)).map((v) => +v.toFixed(5))).toEqual(Array.from(before).map((v) => +v.toFixed(5)));
    again.dispose();
  });

  it('rejects a sentence encoder it does not know, and one inside an ensemble spec', async () => {
    expect(isDlkitError(await rejection(SentimentClassifier.create({ sentenceEncoder: 'bert' as 'use-lite' })), 'INVALID_OPTION')).toBe(true);
    expect(isDlkitError(await rejection(SentimentClassifier.create({ sentenceHidden: -1 })), 'INVALID_OPTION')).toBe(true);
  });
});

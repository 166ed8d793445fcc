import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDlkitError, selectBackend, tf } from '@dlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SentimentClassifier, TEXT_ARCHS, type WordTokenizer } from '../src/node.js';
import { rejection, toyData } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlkit-text-'));
beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SentimentClassifier', () => {
  it('learns the toy task (fasttext + bigrams), saves, loads, predicts the same, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const train = toyData(400, 1);
    const val = toyData(100, 2);
    const clf = await SentimentClassifier.create({ arch: 'fasttext', tokenizer: { minFrequency: 1, ngrams: 2 }, seed: 0 });
    const h = await clf.fit(train, { epochs: 8, batchSize: 32, learningRate: 0.02, validationData: val });
    expect(h.history.loss!.at(-1)!).toBeLessThan(h.history.loss![0]!);
    const report = await clf.evaluate(val);
    expect(report.accuracy).toBeGreaterThan(0.95);
    expect(report.n).toBe(100);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(100);
    const one = await clf.predict('a witty and gorgeous film');
    expect(one.label).toBe('positive');
    expect(one.score).toBeGreaterThan(0.5);
    const many = await clf.predict(['a tedious mess', 'great acting']);
    expect(many.map((p) => p.label)).toEqual(['negative', 'positive']);
    await clf.save(join(dir, 'toy'));
    const again = await SentimentClassifier.load(join(dir, 'toy'));
    const p2 = await again.predict(['a tedious mess', 'great acting']);
    p2.forEach((p, i) => {
      expect(p.label).toBe(many[i]!.label);
      expect(p.score).toBeCloseTo(many[i]!.score, 5);
    });
    clf.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects empty text, bad labels and bad options with DlkitErrors', async () => {
    const clf = await SentimentClassifier.create({ tokenizer: { minFrequency: 1 } });
    expect(isDlkitError(await rejection(clf.fit([{ text: '  ', label: 0 }])), 'INVALID_INPUT')).toBe(true);
    expect(String(await rejection(clf.fit([{ text: 'ok', label: 2 }])))).toMatch(/label is 2/);
    expect(isDlkitError(await rejection(clf.predict('x')), 'STATE')).toBe(true);
    await clf.fit(toyData(20), { epochs: 1 });
    expect(String(await rejection(clf.predict('')))).toMatch(/empty/);
    expect(String(await rejection(clf.predict(['fine', 3 as unknown as string])))).toMatch(/texts\[1\] is number/);
    // Unknown words only: still a prediction (one [UNK] id), not a tfjs crash on an empty row.
    expect((await clf.predict('zzz qqq')).label).toMatch(/positive|negative/);
    clf.dispose();
    expect(String(await rejection(SentimentClassifier.create({ arch: 'lstm' as never })))).toMatch(/arch/);
    expect(String(await rejection(SentimentClassifier.create({ labels: ['one'] })))).toMatch(/labels/);
    expect(String(await rejection(SentimentClassifier.create({ arch: 'transformer', embeddingDim: 30, heads: 4 })))).toMatch(/heads/);
    expect(String(await rejection(SentimentClassifier.create({ truncation: 'middle' as never })))).toMatch(/truncation/);
  });

  it('vectorVocab gives words seen only in the word vectors their pretrained row', async () => {
    const before = tf.memory().numTensors;
    const v = (x: number) => Float32Array.from({ length: 4 }, (_, j) => x + j / 10);
    const wordVectors = { dim: 4, vectors: new Map([['good', v(1)], ['superb', v(2)], ['dreary', v(3)], ['inert', v(4)]]) };
    const clf = await SentimentClassifier.create({ arch: 'cnn', embeddingDim: 4, filters: 4, maxLength: 16, tokenizer: { minFrequency: 1 }, wordVectors, vectorVocab: 2 });
    // Learning rate 0: the embedding keeps its initial values, which this test reads back.
    await clf.fit(toyData(32), { epochs: 1, learningRate: 0 });
    const words = (clf.tokenizer as WordTokenizer).words;
    expect(words.slice(-2)).toEqual(['superb', 'dreary']);
    expect(words).not.toContain('inert');
    const emb = clf.model.getLayer('embedding').getWeights()[0]!.arraySync() as number[][];
    expect(emb[words.indexOf('superb')]).toEqual(Array.from(v(2)));
    expect(emb[words.indexOf('good')]).toEqual(Array.from(v(1)));
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(String(await rejection(SentimentClassifier.create({ vectorVocab: 10 })))).toMatch(/vectorVocab.*wordVectors/);
    expect(String(await rejection(SentimentClassifier.create({ wordVectors, vectorVocab: -1 })))).toMatch(/vectorVocab/);
  });

  it('freezeEmbeddings keeps the pretrained vectors while the rest trains, also after save/load', async () => {
    const before = tf.memory().numTensors;
    const v = (x: number) => Float32Array.from({ length: 4 }, (_, j) => x + j / 10);
    const wordVectors = { dim: 4, vectors: new Map([['good', v(1)], ['bad', v(-1)]]) };
    const clf = await SentimentClassifier.create({ arch: 'cnn', embeddingDim: 4, filters: 4, maxLength: 16, tokenizer: { minFrequency: 1 }, wordVectors, freezeEmbeddings: true });
    await clf.fit(toyData(32), { epochs: 1, learningRate: 0.05 });
    const emb = clf.model.getLayer('embedding');
    const table = emb.getWeights()[0]!.arraySync() as number[][];
    const conv = clf.model.getLayer('conv_3').getWeights()[0]!.arraySync();
    await clf.fit(toyData(32), { epochs: 1, learningRate: 0.05 });
    expect(emb.getWeights()[0]!.arraySync()).toEqual(table);
    expect(table[(clf.tokenizer as WordTokenizer).words.indexOf('good')]).toEqual(Array.from(v(1)));
    expect(clf.model.getLayer('conv_3').getWeights()[0]!.arraySync()).not.toEqual(conv);
    const out = join(dir, 'frozen');
    await clf.save(out);
    const again = await SentimentClassifier.load(out);
    expect(again.model.getLayer('embedding').trainable).toBe(false);
    again.dispose();
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(String(await rejection(SentimentClassifier.create({ freezeEmbeddings: true })))).toMatch(/freezeEmbeddings.*wordVectors/);
  });

  for (const arch of ['cnn', 'bigru'] as const) {
    it(`${arch} multichannel: the static channel keeps the vectors, the other trains; round-trips`, async () => {
      const before = tf.memory().numTensors;
      const v = (x: number) => Float32Array.from({ length: 4 }, (_, j) => x + j / 10);
      const wordVectors = { dim: 4, vectors: new Map([['good', v(1)], ['bad', v(-1)]]) };
      const clf = await SentimentClassifier.create({ arch, multichannel: true, pooling: 'max', units: 3, embeddingDim: 4, filters: 4, maxLength: 16, tokenizer: { minFrequency: 1 }, wordVectors });
      await clf.fit(toyData(32), { epochs: 1, learningRate: 0.05 });
      const good = (clf.tokenizer as WordTokenizer).words.indexOf('good');
      const row = (layer: string) => (clf.model.getLayer(layer).getWeights()[0]!.arraySync() as number[][])[good];
      expect(row('embedding_static')).toEqual(Array.from(v(1)));
      expect(row('embedding')).not.toEqual(Array.from(v(1)));
      const p = await clf.predict('good film');
      await clf.save(join(dir, `multi-${arch}`));
      const again = await SentimentClassifier.load(join(dir, `multi-${arch}`));
      expect(again.model.getLayer('embedding_static').trainable).toBe(false);
      expect((await again.predict('good film')).score).toBeCloseTo(p.score, 5);
      again.dispose();
      clf.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('embeddingDropout zeroes whole token vectors while training only; is saved; is refused for fasttext', async () => {
    const before = tf.memory().numTensors;
    const clf = await SentimentClassifier.create({ arch: 'bigru', pooling: 'max', embeddingDim: 8, units: 4, maxLength: 32, embeddingDropout: 0.5, tokenizer: { minFrequency: 1 }, seed: 0 });
    await clf.fit(toyData(32), { epochs: 1, learningRate: 0.01 });
    const layer = clf.model.getLayer('word_dropout');
    const x = tf.ones([4, 50, 8]);
    const [kept, train] = tf.tidy(() => {
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      // Per token: all 8 channels dropped (0) or all kept (scaled by 1 / (1 − rate) = 2).
      const perToken = y.sum(-1).arraySync() as number[][];
      return [perToken.flat(), (layer.apply(x) as tf.Tensor).sum().arraySync() as number];
    });
    expect(new Set(kept)).toEqual(new Set([0, 16]));
    const dropped = kept.filter((v) => v === 0).length / kept.length;
    expect(dropped).toBeGreaterThan(0.35);
    expect(dropped).toBeLessThan(0.65);
    expect(train).toBe(4 * 50 * 8); // inference: identity
    x.dispose();
    const p = await clf.predict('good film');
    await clf.save(join(dir, 'word-dropout'));
    const again = await SentimentClassifier.load(join(dir, 'word-dropout'));
    expect((await again.predict('good film')).score).toBeCloseTo(p.score, 5);
    again.dispose();
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(String(await rejection(SentimentClassifier.create({ arch: 'fasttext', embeddingDropout: 0.2 })))).toMatch(/embeddingDropout.*cnn/);
    expect(String(await rejection(SentimentClassifier.create({ arch: 'cnn', embeddingDropout: 1 })))).toMatch(/embeddingDropout.*\[0, 1\)/);
  });

  it('the same seed trains the same model (initialisation and dropout masks); another seed another', async () => {
    const run = async (seed: number) => {
      const clf = await SentimentClassifier.create({ arch: 'bigru', pooling: 'max', embeddingDim: 8, units: 4, maxLength: 32, dropout: 0.5, embeddingDropout: 0.2, tokenizer: { minFrequency: 1 }, seed });
      await clf.fit(toyData(48), { epochs: 2, batchSize: 16, learningRate: 0.01 });
      const s = Array.from(await clf.scores(['good film', 'bad plot', 'a film']));
      clf.dispose();
      return s;
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  it('multichannel needs word vectors and a cnn/rnn', async () => {
    expect(String(await rejection(SentimentClassifier.create({ arch: 'cnn', multichannel: true })))).toMatch(/multichannel.*wordVectors/);
    const wordVectors = { dim: 4, vectors: new Map([['good', new Float32Array(4)]]) };
    expect(String(await rejection(SentimentClassifier.create({ arch: 'fasttext', multichannel: true, wordVectors, embeddingDim: 4 })))).toMatch(/multichannel/);
  });

  it('bigru with max pooling trains on one-token texts; padding never changes a prediction; round-trips', async () => {
    const before = tf.memory().numTensors;
    const clf = await SentimentClassifier.create({ arch: 'bigru', pooling: 'max', embeddingDim: 8, units: 4, maxLength: 32, tokenizer: { minFrequency: 1 } });
    // One-word texts make whole batches of length 1 (tfjs's stock unstack gradient threw on them).
    const oneWord = [...Array(32)].map((_, i) => ({ text: i % 2 ? 'good' : 'bad', label: i % 2 }));
    const h = await clf.fit([...toyData(64, 3), ...oneWord], { epochs: 2, batchSize: 16, learningRate: 0.01 });
    expect(h.history.loss!.every((l) => Number.isFinite(l as number))).toBe(true);
    const [alone] = await clf.predict(['good film']);
    const [padded] = await clf.predict(['good film', 'a very long text '.repeat(20)]);
    expect(padded!.score).toBeCloseTo(alone!.score, 5);
    await clf.save(join(dir, 'bigru-max'));
    const again = await SentimentClassifier.load(join(dir, 'bigru-max'));
    expect((await again.predict('good film')).score).toBeCloseTo(alone!.score, 5);
    expect(again.model.getLayer('maxpool').getClassName()).toBe('DlkitMaskedMaxPooling');
    clf.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  // 'sentence' reads only a sentence-encoder vector: test/sentence-encoder.test.ts.
  for (const arch of TEXT_ARCHS.filter((a) => a !== 'fasttext' && a !== 'sentence')) {
    it(`${arch}: trains a few steps, loss goes down, save/load round-trips, no tensor leak`, async () => {
      const before = tf.memory().numTensors;
      const clf = await SentimentClassifier.create({ arch, embeddingDim: 16, units: 8, filters: 8, layers: 1, heads: 2, maxLength: 32, tokenizer: { minFrequency: 1 } });
      const h = await clf.fit(toyData(128, 3), { epochs: 3, batchSize: 32, learningRate: 0.01 });
      expect(h.history.loss!.at(-1)!).toBeLessThan(h.history.loss![0]!);
      const p = await clf.predict(['good film', 'a very long text '.repeat(30)]);
      await clf.save(join(dir, arch));
      const again = await SentimentClassifier.load(join(dir, arch));
      const q = await again.predict(['good film', 'a very long text '.repeat(30)]);
      expect(q[0]!.score).toBeCloseTo(p[0]!.score, 4);
      expect(q[1]!.score).toBeCloseTo(p[1]!.score, 4);
      clf.dispose();
      again.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

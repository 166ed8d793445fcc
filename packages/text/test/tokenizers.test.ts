import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDlkitError } from '@dlkit/core';
import { describe, expect, it } from 'vitest';
import { bucketBatches, fnv1a, ngrams, padSequences, tokenizerFromJSON, truncate, WordPieceTokenizer, WordTokenizer, wordTokens } from '../src/index.js';

const MODEL_DIR = process.env.DLKIT_MODEL_DIR ?? join(import.meta.dirname, '../../../../shared/models');
const BERT = join(MODEL_DIR, 'bert-base-uncased-tokenizer/tokenizer.json');

describe('word tokenizer', () => {
  it('normalises case, HTML, apostrophes and splits punctuation', () => {
    expect(wordTokens('Great film!<br />It’s WELL-made, isn\'t it?')).toEqual(['great', 'film', '!', "it's", 'well-made', ',', "isn't", 'it', '?']);
    expect(wordTokens('Great, film!', { punctuation: 'remove' })).toEqual(['great', 'film']);
    expect(wordTokens('Café', { lowercase: false })).toEqual(['Café']);
  });

  it('learns a vocabulary with min frequency, max size and OOV', () => {
    const tok = WordTokenizer.fit(['a good film', 'a bad film', 'a good plot'], { minFrequency: 2 });
    expect(tok.words).toEqual(['[PAD]', '[UNK]', '[CLS]', '[MASK]', 'a', 'film', 'good']);
    expect(tok.encode('A good, unseen film')).toEqual([4, 6, 1, 1, 5]);
    const small = WordTokenizer.fit(['a good film', 'a bad film', 'a good plot'], { maxSize: 1 });
    expect(small.words.slice(4)).toEqual(['a']);
    expect(() => WordTokenizer.fit(['x'], { minFrequency: 0 })).toThrow(/minFrequency/);
  });

  it('adds n-grams from the vocabulary or hashed into buckets', () => {
    expect(ngrams(['not', 'good', 'at', 'all'], 2)).toEqual(['not good', 'good at', 'at all']);
    const tok = WordTokenizer.fit(['not good', 'not good', 'very good'], { ngrams: 2, ngramMinFrequency: 2 });
    const ids = tok.encode('not good');
    expect(ids.slice(0, 2).map((i) => tok.words[i])).toEqual(['not', 'good']);
    expect(ids).toHaveLength(3);
    expect(tok.encode('very good')).toHaveLength(2); // "very good" seen once: dropped
    const hashed = WordTokenizer.fit(['not good'], { ngrams: 2, ngramMode: 'hash', buckets: 10 });
    expect(hashed.vocabSize).toBe(hashed.words.length + 10);
    expect(hashed.encode('not good')[2]).toBe(hashed.words.length + (fnv1a('not good') % 10));
  });

  it('adds words it lacks (pretrained-vector words) after the learned ones, capped and de-duplicated', () => {
    const tok = WordTokenizer.fit(['a good film'], { ngrams: 2 });
    const wider = tok.withWords(['film', 'superb', 'superb', 'dreary', 'inert'], 2);
    expect(wider.words).toEqual([...tok.words, 'superb', 'dreary']);
    expect(wider.encode('a superb film').slice(0, 3)).toEqual([tok.words.indexOf('a'), tok.words.length, tok.words.indexOf('film')]);
    expect(wider.encode('an inert film')[1]).toBe(wider.unkId);
    // n-gram ids move up behind the new words, and the JSON keeps them.
    expect(wider.vocabSize).toBe(tok.vocabSize + 2);
    expect(tokenizerFromJSON(JSON.parse(JSON.stringify(wider.toJSON()))).encode('a superb film')).toEqual(wider.encode('a superb film'));
    expect(tok.words).not.toContain('superb'); // the original is unchanged
    expect(() => tok.withWords(['x'], -1)).toThrow(/max/);
  });

  it('round-trips through JSON', () => {
    const tok = WordTokenizer.fit(['one two three', 'two three'], { ngrams: 2 });
    const again = tokenizerFromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    expect(again.encode('one two three four')).toEqual(tok.encode('one two three four'));
    expect(again.vocabSize).toBe(tok.vocabSize);
  });

  it('truncates keeping head, tail or both, and prepends [CLS]', () => {
    const tok = WordTokenizer.fit(['a b c d e f g h']);
    const all = tok.encode('a b c d e f g h');
    expect(tok.encode('a b c d e f g h', { maxLength: 4 })).toEqual(all.slice(0, 4));
    expect(tok.encode('a b c d e f g h', { maxLength: 4, truncation: 'tail' })).toEqual(all.slice(4));
    expect(tok.encode('a b c d e f g h', { maxLength: 4, truncation: 'head+tail' })).toEqual([all[0], ...all.slice(5)]);
    expect(tok.encode('a b', { addCls: true })[0]).toBe(tok.clsId);
  });
});

describe('padding, truncation, buckets', () => {
  it('pads post or pre and truncates', () => {
    expect(padSequences([[1, 2, 3], [4]])).toEqual({ data: Int32Array.from([1, 2, 3, 4, 0, 0]), shape: [2, 3] });
    expect(padSequences([[1, 2, 3], [4]], { maxLength: 2, padding: 'pre', truncation: 'tail' }).data).toEqual(Int32Array.from([2, 3, 0, 4]));
    expect(truncate([1, 2, 3, 4, 5, 6, 7, 8], 4, 'head+tail')).toEqual([1, 6, 7, 8]);
    expect(() => truncate([1], 0)).toThrow(/maxLength/);
    expect(() => padSequences([[1.5]])).toThrow(/integer/);
  });

  it('buckets similar lengths, covers every index once, and is seeded', () => {
    const lengths = Array.from({ length: 1000 }, (_, i) => (i * 37) % 101);
    const batches = bucketBatches(lengths, { batchSize: 32, seed: 1 });
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    const spread = batches.map((b) => Math.max(...b.map((i) => lengths[i]!)) - Math.min(...b.map((i) => lengths[i]!)));
    expect(spread.reduce((a, b) => a + b, 0) / spread.length).toBeLessThan(10); // random batches: ~90
    expect(bucketBatches(lengths, { batchSize: 32, seed: 1 })).toEqual(batches);
    expect(bucketBatches(lengths, { batchSize: 32, seed: 2 })).not.toEqual(batches);
    expect(() => bucketBatches(lengths, { batchSize: 0 })).toThrow(/batchSize/);
  });
});

describe.skipIf(!existsSync(BERT))(`WordPiece from the real bert-base-uncased tokenizer.json${existsSync(BERT) ? '' : ` (skipped: ${BERT} missing)`}`, () => {
  const tok = existsSync(BERT) ? WordPieceTokenizer.fromJSONText(readFileSync(BERT, 'utf8'), BERT) : undefined!;

  it('matches known BERT-uncased ids', () => {
    // Reference ids as printed by HF tokenizers / transformers for bert-base-uncased.
    expect(tok.encode('Hello, world!')).toEqual([101, 7592, 1010, 2088, 999, 102]);
    expect(tok.encode('I love this movie.')).toEqual([101, 1045, 2293, 2023, 3185, 1012, 102]);
    expect(tok.encode("don't")).toEqual([101, 2123, 1005, 1056, 102]);
    expect(tok.tokenize('unaffable')).toEqual(['una', '##ffa', '##ble']);
    expect(tok.tokenize('Tokenization')).toEqual(['token', '##ization']);
    expect(tok.tokenize('Café  RÉSUMÉ')).toEqual(['cafe', 'resume']);
    expect(tok.tokenize('日本')).toEqual(['日', '本']);
    expect(tok.tokenize('a\u0000b\u200bc')).toEqual(tok.tokenize('ab\u200bc'));
    expect(tok.vocabSize).toBe(30522);
    expect([tok.padId, tok.unkId, tok.clsId, tok.sepId, tok.maskId]).toEqual([0, 100, 101, 102, 103]);
  });

  it('truncates inside [CLS] … [SEP], decodes, and round-trips through JSON', () => {
    const ids = tok.encode('one two three four five six', { maxLength: 5 });
    expect(ids).toHaveLength(5);
    expect(tok.decode(ids)).toBe('one two three');
    expect(tok.decode(tok.encode('unaffable tokenization'))).toBe('unaffable tokenization');
    const again = tokenizerFromJSON(tok.toJSON());
    expect(again.encode('Hello, world!')).toEqual([101, 7592, 1010, 2088, 999, 102]);
  });

  it('rejects non-WordPiece or broken tokenizer.json', () => {
    const err = (() => {
      try {
        WordPieceTokenizer.fromJSONText('{"model":{"type":"BPE","vocab":{}}}');
      } catch (e) {
        return e;
      }
    })();
    expect(isDlkitError(err, 'UNSUPPORTED')).toBe(true);
    expect(() => WordPieceTokenizer.fromJSONText('{not json')).toThrow(/not valid JSON/);
  });
});

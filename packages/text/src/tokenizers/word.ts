/**
 * Word-level tokenizer with a learned vocabulary (min frequency, max size, OOV id) and optional
 * n-grams, either counted into the vocabulary or hashed into buckets (fastText). Browser-safe.
 */
import { DlkitError, invalidOption } from '@dlkit/core';
import { fnv1a, type NormalizeOptions, ngrams, wordTokens } from './normalize.js';
import { truncate } from './truncate.js';
import type { EncodeOptions, Tokenizer, TokenizerJSON } from './types.js';

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[MASK]'] as const;

export interface WordTokenizerOptions extends NormalizeOptions {
  /** Words seen fewer times are out of vocabulary (default 1). */
  minFrequency?: number;
  /** Keep only the most frequent words (default: all). */
  maxSize?: number;
  /** Largest n-gram (1 = words only, 2 = + bigrams; default 1). */
  ngrams?: number;
  /** 'vocab': count n-grams like words (unknown ones are dropped); 'hash': hash them into `buckets` ids (default 'vocab'). */
  ngramMode?: 'vocab' | 'hash';
  /** Hash buckets in 'hash' mode (default 100000). */
  buckets?: number;
  ngramMinFrequency?: number;
  ngramMaxSize?: number;
}

interface WordState {
  options: WordTokenizerOptions;
  words: string[];
  grams: string[];
}

function checkPositiveInt(name: string, v: number | undefined, min = 1): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw invalidOption(name, v, `an integer ≥ ${min}`);
}

function topByCount(counts: Map<string, number>, minFreq: number, maxSize: number | undefined): string[] {
  const kept = [...counts].filter(([, c]) => c >= minFreq);
  // Most frequent first; ties alphabetical so the vocabulary is deterministic.
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return kept.slice(0, maxSize ?? kept.length).map(([w]) => w);
}

export class WordTokenizer implements Tokenizer {
  readonly kind = 'word' as const;
  readonly padId = 0;
  readonly unkId = 1;
  readonly clsId = 2;
  readonly maskId = 3;
  private readonly index = new Map<string, number>();
  private readonly gramIndex = new Map<string, number>();

  private constructor(private readonly state: WordState) {
    state.words.forEach((w, i) => { this.index.set(w, i); });
    state.grams.forEach((g, i) => { this.gramIndex.set(g, state.words.length + i); });
  }

  /** Learns the vocabulary from `texts`. */
  static fit(texts: Iterable<string>, options: WordTokenizerOptions = {}): WordTokenizer {
    checkPositiveInt('minFrequency', options.minFrequency);
    checkPositiveInt('maxSize', options.maxSize);
    checkPositiveInt('ngrams', options.ngrams);
    checkPositiveInt('buckets', options.buckets);
    checkPositiveInt('ngramMinFrequency', options.ngramMinFrequency);
    checkPositiveInt('ngramMaxSize', options.ngramMaxSize);
    const mode = options.ngramMode ?? 'vocab';
    if (mode !== 'vocab' && mode !== 'hash') throw invalidOption('ngramMode', mode, "'vocab' | 'hash'");
    const n = options.ngrams ?? 1;
    const wordCounts = new Map<string, number>();
    const gramCounts = new Map<string, number>();
    for (const text of texts) {
      const toks = wordTokens(text, options);
      for (const t of toks) wordCounts.set(t, (wordCounts.get(t) ?? 0) + 1);
      if (n > 1 && mode === 'vocab') for (const g of ngrams(toks, n)) gramCounts.set(g, (gramCounts.get(g) ?? 0) + 1);
    }
    for (const s of SPECIAL_TOKENS) wordCounts.delete(s);
    const words = [...SPECIAL_TOKENS, ...topByCount(wordCounts, options.minFrequency ?? 1, options.maxSize)];
    const grams = n > 1 && mode === 'vocab' ? topByCount(gramCounts, options.ngramMinFrequency ?? options.minFrequency ?? 1, options.ngramMaxSize) : [];
    return new WordTokenizer({ options: { ...options }, words, grams });
  }

  /**
   * A copy whose vocabulary also holds up to `max` of `words` (in the given order) that it lacks,
   * appended after the learned words. Used to give words that never occur in the labelled
   * training text a row for their pretrained vector, so they are not [UNK] at test time.
   */
  withWords(words: Iterable<string>, max = Number.POSITIVE_INFINITY): WordTokenizer {
    if (!(max >= 0)) throw invalidOption('max', max, 'a number ≥ 0');
    const added = new Set<string>();
    for (const w of words) {
      if (added.size >= max) break;
      if (!this.index.has(w) && w !== '' && !/\s/.test(w)) added.add(w);
    }
    return new WordTokenizer({ options: { ...this.state.options }, words: [...this.state.words, ...added], grams: this.state.grams });
  }

  static fromJSON(json: TokenizerJSON): WordTokenizer {
    const j = json as Record<string, unknown>;
    if (j.kind !== 'word' || !Array.isArray(j.words) || !Array.isArray(j.grams) || typeof j.options !== 'object') {
      throw new DlkitError('CORRUPT_DATA', 'Word tokenizer JSON must be {kind: "word", options, words[], grams[]}.', {
        hint: 'Regenerate it with WordTokenizer.toJSON() (the classifier stores it in model-card.json extra.tokenizer).',
      });
    }
    return new WordTokenizer({ options: j.options as WordTokenizerOptions, words: j.words as string[], grams: j.grams as string[] });
  }

  get options(): Readonly<WordTokenizerOptions> {
    return this.state.options;
  }

  /** Vocabulary words (index = id), specials first. */
  get words(): readonly string[] {
    return this.state.words;
  }

  get vocabSize(): number {
    const o = this.state.options;
    const extra = (o.ngrams ?? 1) > 1 && o.ngramMode === 'hash' ? (o.buckets ?? 100_000) : this.state.grams.length;
    return this.state.words.length + extra;
  }

  /** Word/punctuation tokens after normalisation (no ids). */
  tokenize(text: string): string[] {
    return wordTokens(text, this.state.options);
  }

  tokenId(token: string): number {
    return this.index.get(token) ?? this.gramIndex.get(token) ?? this.unkId;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const o = this.state.options;
    const n = o.ngrams ?? 1;
    let toks = this.tokenize(text);
    const cls = options.addCls ? 1 : 0;
    // With n-grams, the id budget is shared: about n ids per kept word.
    if (options.maxLength !== undefined) toks = truncate(toks, Math.max(1, Math.floor((options.maxLength - cls) / n)), options.truncation ?? 'head');
    const ids = toks.map((t) => this.index.get(t) ?? this.unkId);
    if (n > 1) {
      const base = this.state.words.length;
      const buckets = o.buckets ?? 100_000;
      for (const g of ngrams(toks, n)) {
        if (o.ngramMode === 'hash') ids.push(base + (fnv1a(g) % buckets));
        else {
          const id = this.gramIndex.get(g);
          if (id !== undefined) ids.push(id);
        }
      }
    }
    if (cls) ids.unshift(this.clsId);
    return options.maxLength !== undefined && ids.length > options.maxLength ? ids.slice(0, options.maxLength) : ids;
  }

  toJSON(): TokenizerJSON {
    return { kind: 'word', options: this.state.options, words: this.state.words, grams: this.state.grams };
  }
}

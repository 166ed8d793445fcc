/**
 * Word-level text normalisation and pre-tokenisation. Pure string code (browser-safe), so Node
 * and the browser produce the same tokens.
 */

export interface NormalizeOptions {
  /** Lower-case the text (default true). */
  lowercase?: boolean;
  /** Replace HTML tags such as IMDB's `<br />` with a space (default true). */
  stripHtml?: boolean;
  /** 'keep' makes each punctuation mark a token ("!" carries sentiment); 'remove' drops them (default 'keep'). */
  punctuation?: 'keep' | 'remove';
}

const HTML_TAG = /<[^>]{0,100}>/g;
// A word is letters/digits with inner apostrophes or hyphens (don't, well-made); anything else
// that is not a space is a one-character punctuation token.
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’-][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;
const PUNCT = /^[^\p{L}\p{N}\p{M}]$/u;

export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  let t = text.normalize('NFKC');
  if (options.stripHtml ?? true) t = t.replace(HTML_TAG, ' ');
  if (options.lowercase ?? true) t = t.toLowerCase();
  return t.replace(/’/g, "'");
}

/** Splits normalised text into word and punctuation tokens. */
export function wordTokens(text: string, options: NormalizeOptions = {}): string[] {
  const tokens = normalizeText(text, options).match(TOKEN) ?? [];
  return (options.punctuation ?? 'keep') === 'remove' ? tokens.filter((t) => !PUNCT.test(t)) : tokens;
}

/** Contiguous n-grams of `tokens` joined by a space, for n = 2..maxN. */
export function ngrams(tokens: readonly string[], maxN: number): string[] {
  const out: string[] = [];
  for (let n = 2; n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}

/** 32-bit FNV-1a over UTF-16 code units: a stable, dependency-free hash for n-gram buckets. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * WordPiece tokenizer from a Hugging Face `tokenizer.json` (BertNormalizer + BertPreTokenizer +
 * WordPiece + the [CLS] … [SEP] template), reimplemented in plain TS so it runs the same in Node
 * and the browser. Checked against the real bert-base-uncased tokenizer in the tests.
 */
import { DlkitError } from '@dlkit/core';
import { truncate } from './truncate.js';
import type { EncodeOptions, Tokenizer, TokenizerJSON } from './types.js';

interface HfTokenizerJson {
  normalizer?: { type?: string; lowercase?: boolean; strip_accents?: boolean | null; clean_text?: boolean; handle_chinese_chars?: boolean } | null;
  pre_tokenizer?: { type?: string } | null;
  model?: { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
}

const isControl = (ch: string): boolean => ch !== '\t' && ch !== '\n' && ch !== '\r' && /\p{C}/u.test(ch);
const isWhitespace = (ch: string): boolean => /\s/u.test(ch);
const isPunctuation = (ch: string): boolean => {
  const c = ch.codePointAt(0)!;
  // BERT treats all non-alphanumeric ASCII as punctuation, plus Unicode P* categories.
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126) || /\p{P}/u.test(ch);
};
const isChinese = (c: number): boolean =>
  (c >= 0x4e00 && c <= 0x9fff) ||
  (c >= 0x3400 && c <= 0x4dbf) ||
  (c >= 0x20000 && c <= 0x2a6df) ||
  (c >= 0x2a700 && c <= 0x2b73f) ||
  (c >= 0x2b740 && c <= 0x2b81f) ||
  (c >= 0x2b820 && c <= 0x2ceaf) ||
  (c >= 0xf900 && c <= 0xfaff) ||
  (c >= 0x2f800 && c <= 0x2fa1f);

export class WordPieceTokenizer implements Tokenizer {
  readonly kind = 'wordpiece' as const;
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly maskId: number;
  private readonly vocab: Map<string, number>;
  private readonly idToToken: string[];
  private readonly lowercase: boolean;
  private readonly stripAccents: boolean;
  private readonly prefix: string;
  private readonly maxChars: number;

  constructor(private readonly json: HfTokenizerJson) {
    const model = json.model;
    if (model?.type !== 'WordPiece' || !model.vocab || typeof model.vocab !== 'object') {
      throw new DlkitError('UNSUPPORTED', `tokenizer.json model type ${JSON.stringify(model?.type)} is not supported; only WordPiece (BERT-style) is.`, {
        hint: 'Use a BERT/DistilBERT/MiniLM tokenizer.json, or the word-level WordTokenizer.',
      });
    }
    this.vocab = new Map(Object.entries(model.vocab));
    this.idToToken = [];
    for (const [t, id] of this.vocab) this.idToToken[id] = t;
    const need = (t: string) => {
      const id = this.vocab.get(t);
      if (id === undefined) throw new DlkitError('CORRUPT_DATA', `tokenizer.json vocabulary lacks the special token ${t}.`);
      return id;
    };
    this.unkId = need(model.unk_token ?? '[UNK]');
    this.padId = need('[PAD]');
    this.clsId = need('[CLS]');
    this.sepId = need('[SEP]');
    this.maskId = need('[MASK]');
    const n = json.normalizer ?? {};
    this.lowercase = n.lowercase ?? true;
    // HF BertNormalizer: strip_accents null means "follow lowercase".
    this.stripAccents = n.strip_accents ?? this.lowercase;
    this.prefix = model.continuing_subword_prefix ?? '##';
    this.maxChars = model.max_input_chars_per_word ?? 100;
  }

  /** Parses the text of a `tokenizer.json`. */
  static fromJSONText(text: string, source = 'tokenizer.json'): WordPieceTokenizer {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new DlkitError('CORRUPT_DATA', `${source} is not valid JSON: ${(e as Error).message}.`, { cause: e, details: { file: source } });
    }
    return new WordPieceTokenizer(json as HfTokenizerJson);
  }

  static fromJSON(json: TokenizerJSON): WordPieceTokenizer {
    return new WordPieceTokenizer((json as unknown as { hf: HfTokenizerJson }).hf);
  }

  get vocabSize(): number {
    return this.idToToken.length;
  }

  idToTokenString(id: number): string | undefined {
    return this.idToToken[id];
  }

  private normalize(text: string): string {
    let out = '';
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      if (c === 0 || c === 0xfffd || isControl(ch)) continue;
      if (isWhitespace(ch)) out += ' ';
      else if (isChinese(c)) out += ` ${ch} `;
      else out += ch;
    }
    if (this.lowercase) out = out.toLowerCase();
    if (this.stripAccents) out = out.normalize('NFD').replace(/\p{Mn}/gu, '');
    return out;
  }

  private preTokenize(text: string): string[] {
    const words: string[] = [];
    for (const chunk of text.split(' ')) {
      let cur = '';
      for (const ch of chunk) {
        if (isPunctuation(ch)) {
          if (cur) words.push(cur);
          words.push(ch);
          cur = '';
        } else cur += ch;
      }
      if (cur) words.push(cur);
    }
    return words;
  }

  private wordPiece(word: string): string[] {
    const chars = [...word];
    if (chars.length > this.maxChars) return ['[UNK]'];
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | undefined;
      // Greedy longest match first.
      while (start < end) {
        const sub = (start > 0 ? this.prefix : '') + chars.slice(start, end).join('');
        if (this.vocab.has(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (found === undefined) return ['[UNK]'];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }

  /** Sub-word tokens without the [CLS]/[SEP] template. */
  tokenize(text: string): string[] {
    return this.preTokenize(this.normalize(text)).flatMap((w) => this.wordPiece(w));
  }

  /** `[CLS] tokens [SEP]` ids, the sequence truncated so the total fits `maxLength`. */
  encode(text: string, options: EncodeOptions = {}): number[] {
    let ids = this.tokenize(text).map((t) => this.vocab.get(t) ?? this.unkId);
    if (options.maxLength !== undefined) ids = truncate(ids, Math.max(1, options.maxLength - 2), options.truncation ?? 'head');
    return [this.clsId, ...ids, this.sepId];
  }

  decode(ids: readonly number[], skipSpecial = true): string {
    const special = new Set([this.padId, this.clsId, this.sepId, this.maskId]);
    let out = '';
    for (const id of ids) {
      if (skipSpecial && special.has(id)) continue;
      const t = this.idToToken[id] ?? '[UNK]';
      out += t.startsWith(this.prefix) ? t.slice(this.prefix.length) : `${out ? ' ' : ''}${t}`;
    }
    return out;
  }

  toJSON(): TokenizerJSON {
    return { kind: 'wordpiece', hf: this.json };
  }
}

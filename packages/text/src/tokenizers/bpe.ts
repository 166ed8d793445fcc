/**
 * Byte-level BPE (GPT-2 / RoBERTa) from a Hugging Face `tokenizer.json`: ByteLevel
 * pre-tokenisation (GPT-2 split regex, bytes → printable unicode), BPE merges by rank, and the
 * RobertaProcessing / TemplateProcessing special tokens. Pure TS (browser-safe). Checked
 * against transformers.js in the tests.
 */
import { DlkitError } from '@dlkit/core';
import { truncate } from './truncate.js';
import type { EncodeOptions, Tokenizer, TokenizerJSON } from './types.js';

interface HfBpeJson {
  normalizer?: { type?: string } | null;
  pre_tokenizer?: { type?: string; add_prefix_space?: boolean; pretokenizers?: { type?: string; add_prefix_space?: boolean }[] } | null;
  post_processor?: {
    type?: string;
    cls?: [string, number];
    sep?: [string, number];
    single?: ({ SpecialToken?: { id: string } } | { Sequence?: { id: string } })[];
    special_tokens?: Record<string, { ids: number[] }>;
  } | null;
  added_tokens?: { id: number; content: string; special?: boolean }[];
  model?: { type?: string; vocab?: Record<string, number>; merges?: (string | [string, string])[]; unk_token?: string | null };
}

// GPT-2's pre-tokenisation pattern.
const SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's reversible byte → printable character table. */
function byteTable(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const table: string[] = [];
  bs.forEach((b, i) => {
    table[b] = String.fromCodePoint(cs[i]!);
  });
  return table;
}
const BYTES = byteTable();
const utf8 = new TextEncoder();

export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe' as const;
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly maskId: number;
  private readonly vocab: Map<string, number>;
  private readonly ranks = new Map<string, number>();
  private readonly addPrefixSpace: boolean;
  private readonly prefix: number[];
  private readonly suffix: number[];
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly json: HfBpeJson) {
    const model = json.model;
    if (!model || model.type !== 'BPE' || !model.vocab || !Array.isArray(model.merges)) {
      throw new DlkitError('UNSUPPORTED', `tokenizer.json model type ${JSON.stringify(model?.type)} is not a BPE model with vocab and merges.`);
    }
    const pre = json.pre_tokenizer;
    const byteLevel = pre?.type === 'ByteLevel' ? pre : pre?.pretokenizers?.find((p) => p.type === 'ByteLevel');
    if (!byteLevel) throw new DlkitError('UNSUPPORTED', 'Only byte-level BPE (GPT-2/RoBERTa, pre_tokenizer ByteLevel) is supported.', { hint: 'For BERT-style vocabularies use WordPieceTokenizer.' });
    this.addPrefixSpace = byteLevel.add_prefix_space ?? false;
    this.vocab = new Map(Object.entries(model.vocab));
    for (const t of json.added_tokens ?? []) this.vocab.set(t.content, t.id);
    model.merges.forEach((m, i) => {
      this.ranks.set(Array.isArray(m) ? `${m[0]} ${m[1]}` : m, i);
    });
    const id = (names: string[]) => names.map((n) => this.vocab.get(n)).find((v) => v !== undefined) ?? -1;
    this.unkId = id([model.unk_token ?? '<unk>', '<unk>', '<|endoftext|>']);
    this.padId = id(['<pad>', '<|endoftext|>']);
    this.clsId = id(['<s>', '<|endoftext|>']);
    this.sepId = id(['</s>', '<|endoftext|>']);
    this.maskId = id(['<mask>']);
    const pp = json.post_processor;
    if (pp?.type === 'RobertaProcessing' && pp.cls && pp.sep) {
      this.prefix = [pp.cls[1]];
      this.suffix = [pp.sep[1]];
    } else if (pp?.type === 'TemplateProcessing' && pp.single) {
      const at = pp.single.findIndex((p) => 'Sequence' in p);
      const ids = (ps: typeof pp.single) => ps.flatMap((p) => ('SpecialToken' in p && p.SpecialToken ? (pp.special_tokens?.[p.SpecialToken.id]?.ids ?? []) : []));
      this.prefix = ids(pp.single.slice(0, at));
      this.suffix = ids(pp.single.slice(at + 1));
    } else {
      this.prefix = [];
      this.suffix = [];
    }
  }

  static fromJSONText(text: string, source = 'tokenizer.json'): BpeTokenizer {
    try {
      return new BpeTokenizer(JSON.parse(text) as HfBpeJson);
    } catch (e) {
      if (e instanceof DlkitError) throw e;
      throw new DlkitError('CORRUPT_DATA', `${source} is not valid JSON: ${(e as Error).message}.`, { cause: e, details: { file: source } });
    }
  }

  static fromJSON(json: TokenizerJSON): BpeTokenizer {
    return new BpeTokenizer((json as unknown as { hf: HfBpeJson }).hf);
  }

  get vocabSize(): number {
    let max = -1;
    for (const v of this.vocab.values()) max = Math.max(max, v);
    return max + 1;
  }

  private bpe(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    let parts = [...word];
    while (parts.length > 1) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i < parts.length - 1; i++) {
        const r = this.ranks.get(`${parts[i]} ${parts[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      // Merge every occurrence of the best pair, left to right (as HF does).
      const [a, b] = [parts[best]!, parts[best + 1]!];
      const next: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (i < parts.length - 1 && parts[i] === a && parts[i + 1] === b) {
          next.push(a + b);
          i++;
        } else next.push(parts[i]!);
      }
      parts = next;
    }
    if (this.cache.size < 50_000) this.cache.set(word, parts);
    return parts;
  }

  /** Byte-level BPE tokens (no special tokens). */
  tokenize(text: string): string[] {
    const t = this.addPrefixSpace && !text.startsWith(' ') ? ` ${text}` : text;
    const out: string[] = [];
    for (const piece of t.match(SPLIT) ?? []) {
      const mapped = Array.from(utf8.encode(piece), (b) => BYTES[b]!).join('');
      out.push(...this.bpe(mapped));
    }
    return out;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    let ids = this.tokenize(text).map((t) => this.vocab.get(t) ?? this.unkId);
    const extra = this.prefix.length + this.suffix.length;
    if (options.maxLength !== undefined) ids = truncate(ids, Math.max(1, options.maxLength - extra), options.truncation ?? 'head');
    return [...this.prefix, ...ids, ...this.suffix];
  }

  toJSON(): TokenizerJSON {
    return { kind: 'bpe', hf: this.json };
  }
}

import { DlkitError } from '@dlkit/core';
import { BpeTokenizer } from './bpe.js';
import type { Tokenizer, TokenizerJSON } from './types.js';
import { WordTokenizer } from './word.js';
import { WordPieceTokenizer } from './wordpiece.js';

/** Rebuilds a tokenizer saved with `toJSON()` (stored in a model card's `extra.tokenizer`). */
export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  if (json?.kind === 'word') return WordTokenizer.fromJSON(json);
  if (json?.kind === 'wordpiece') return WordPieceTokenizer.fromJSON(json);
  if (json?.kind === 'bpe') return BpeTokenizer.fromJSON(json);
  throw new DlkitError('CORRUPT_DATA', `Unknown tokenizer kind ${JSON.stringify((json as { kind?: unknown })?.kind)}; expected "word", "wordpiece" or "bpe".`);
}

/** A Hugging Face `tokenizer.json` (WordPiece or byte-level BPE), by its model type. */
export function tokenizerFromHfJson(text: string, source = 'tokenizer.json'): Tokenizer {
  let type: unknown;
  try {
    type = (JSON.parse(text) as { model?: { type?: unknown } }).model?.type;
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `${source} is not valid JSON: ${(e as Error).message}.`, { cause: e, details: { file: source } });
  }
  if (type === 'BPE') return BpeTokenizer.fromJSONText(text, source);
  return WordPieceTokenizer.fromJSONText(text, source);
}

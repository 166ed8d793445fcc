import { DlkitError } from '@dlkit/core';
import type { Tokenizer, TokenizerJSON } from './types.js';
import { WordTokenizer } from './word.js';
import { WordPieceTokenizer } from './wordpiece.js';

/** Rebuilds a tokenizer saved with `toJSON()` (stored in a model card's `extra.tokenizer`). */
export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  if (json?.kind === 'word') return WordTokenizer.fromJSON(json);
  if (json?.kind === 'wordpiece') return WordPieceTokenizer.fromJSON(json);
  throw new DlkitError('CORRUPT_DATA', `Unknown tokenizer kind ${JSON.stringify((json as { kind?: unknown })?.kind)}; expected "word" or "wordpiece".`);
}

/** What every dlkit tokenizer offers the models and the classifier. */
export interface Tokenizer {
  readonly kind: 'word' | 'wordpiece' | 'bpe';
  /** Size of the id space (embedding rows). */
  readonly vocabSize: number;
  readonly padId: number;
  readonly unkId: number;
  /** Id of the classification token, prepended when `addCls` is asked for. */
  readonly clsId: number;
  readonly maskId: number;
  /** Ids of one text, truncated to at most `maxLength` ids (the classifier pads batches). */
  encode(text: string, options?: EncodeOptions): number[];
  /** JSON that `tokenizerFromJSON` turns back into an equal tokenizer. */
  toJSON(): TokenizerJSON;
}

export interface EncodeOptions {
  maxLength?: number;
  truncation?: import('./truncate.js').Truncation;
  /** Prepend the [CLS] id (Transformer [CLS] pooling). WordPiece always adds [CLS] … [SEP]. */
  addCls?: boolean;
}

export type TokenizerJSON = { kind: 'word' | 'wordpiece' | 'bpe'; [k: string]: unknown };

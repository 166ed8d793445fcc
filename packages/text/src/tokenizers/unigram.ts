/**
 * SentencePiece unigram-model tokenization: the most probable segmentation of the text into
 * vocabulary pieces (Viterbi over the piece log-probabilities), as in Kudo 2018 and SentencePiece's
 * `EncodeAsIds`. The Universal Sentence Encoder's vocabulary is such a model; this reproduces the
 * tokenizer of `@tensorflow-models/universal-sentence-encoder` id for id (that package's tokenizer
 * is not used because it pulls in a second, 3.x copy of tfjs-core).
 */
import { DlkitError } from '@dlkit/core';

/** SentencePiece's word-boundary marker (U+2581), prepended to the text and replacing spaces. */
export const WORD_BOUNDARY = '\u2581';

export interface UnigramOptions {
  /** Leading ids that are control symbols, never produced by segmentation (USE: 6). Id 0 is unknown. */
  reserved?: number;
}

export class UnigramTokenizer {
  private readonly pieces = new Map<string, { score: number; id: number }>();
  /** Longest piece, in code points: no match is looked for beyond it. */
  private readonly longest: number;
  readonly vocabSize: number;

  /**
   * `vocabulary[i]` = [piece, log-probability] of id i (the USE vocab.json format). A null score
   * (USE's export has 7, e.g. ':') counts as 0, as in the reference, where `null + x` is x.
   */
  constructor(vocabulary: readonly (readonly [string, number | null])[], options: UnigramOptions = {}) {
    if (!Array.isArray(vocabulary) || vocabulary.length === 0) throw new DlkitError('INVALID_INPUT', 'UnigramTokenizer: the vocabulary is empty.', { hint: 'Pass [piece, score] pairs (e.g. USE vocab.json).' });
    const reserved = options.reserved ?? 6;
    let longest = 1;
    vocabulary.forEach((entry, id) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || (typeof entry[1] !== 'number' && entry[1] !== null)) {
        throw new DlkitError('CORRUPT_DATA', `UnigramTokenizer: vocabulary[${id}] is not a [piece, score] pair.`, { hint: 'Pass the [piece, score] array of a SentencePiece unigram model.' });
      }
      if (id < reserved) return;
      this.pieces.set(entry[0], { score: entry[1] ?? 0, id });
      longest = Math.max(longest, [...entry[0]].length);
    });
    this.longest = longest;
    this.vocabSize = vocabulary.length;
  }

  /** Ids of `text` (NFKC-normalised; consecutive unknown characters become one id 0). */
  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    if (normalized.length === 0) return [];
    const symbols = [...(WORD_BOUNDARY + normalized.replace(/ /g, WORD_BOUNDARY))];
    const n = symbols.length;
    // best[e] = score of the best segmentation of symbols[0, e); its last piece has id[e], length len[e].
    // Scores are log-probabilities (< 0); 0 means "no segmentation yet", exactly as in the
    // reference implementation, whose ids this must reproduce.
    const best = new Float64Array(n + 1);
    const id = new Int32Array(n + 1);
    const len = new Int32Array(n + 1);
    const offer = (end: number, score: number, pieceId: number, length: number) => {
      // `>=`: on a tie the later start (the shorter last piece) wins, as in the reference.
      if (best[end] === 0 || score >= best[end]!) {
        best[end] = score;
        id[end] = pieceId;
        len[end] = length;
      }
    };
    for (let start = 0; start < n; start++) {
      let key = '';
      let matched = false;
      for (let length = 1; length <= this.longest && start + length <= n; length++) {
        key += symbols[start + length - 1];
        const piece = this.pieces.get(key);
        if (!piece) continue;
        matched = true;
        offer(start + length, best[start]! + piece.score, piece.id, length);
      }
      // A character no piece starts with is unknown (id 0) and, as in SentencePiece's reference, scores 0.
      if (!matched) offer(start + 1, best[start]!, 0, 1);
    }
    const ids: number[] = [];
    for (let end = n; end > 0; end -= len[end]!) ids.push(id[end]!);
    ids.reverse();
    return ids.filter((v, i) => !(v === 0 && ids[i - 1] === 0));
  }
}

/**
 * Truncation and padding. For long documents (IMDB reviews) keeping the head AND the tail beats
 * keeping the head: reviewers often state the verdict in the last sentences (Sun et al. 2019,
 * "How to Fine-Tune BERT for Text Classification", head+tail was best on IMDB).
 */
import { DlkitError, invalidOption } from '@dlkit/core';

export type Truncation = 'head' | 'tail' | 'head+tail';
export const TRUNCATIONS: readonly Truncation[] = ['head', 'tail', 'head+tail'];

/** Keeps at most `max` items: the first ones ('head'), the last ones ('tail'), or a quarter head + three quarters tail ('head+tail'). */
export function truncate<T>(items: readonly T[], max: number, how: Truncation = 'head'): T[] {
  if (!Number.isInteger(max) || max < 1) throw invalidOption('maxLength', max, 'a positive integer');
  if (items.length <= max) return items.slice();
  if (how === 'head') return items.slice(0, max);
  if (how === 'tail') return items.slice(items.length - max);
  if (how === 'head+tail') {
    const head = Math.floor(max / 4);
    return [...items.slice(0, head), ...items.slice(items.length - (max - head))];
  }
  throw invalidOption('truncation', how, TRUNCATIONS.join(' | '));
}

export interface PadOptions {
  /** Output length; default: the longest sequence. */
  maxLength?: number;
  /** Where padding goes (default 'post'). */
  padding?: 'post' | 'pre';
  truncation?: Truncation;
  /** Pad id (default 0). */
  value?: number;
}

/** Pads/truncates id sequences into one row-major Int32Array of shape [n, length]. */
export function padSequences(seqs: readonly (readonly number[])[], options: PadOptions = {}): { data: Int32Array; shape: [number, number] } {
  const longest = seqs.reduce((m, s) => Math.max(m, s.length), 0);
  const length = options.maxLength ?? Math.max(1, longest);
  if (!Number.isInteger(length) || length < 1) throw invalidOption('maxLength', options.maxLength, 'a positive integer');
  const pad = options.value ?? 0;
  const data = new Int32Array(seqs.length * length).fill(pad);
  seqs.forEach((s, i) => {
    const row = s.length > length ? truncate(s, length, options.truncation ?? 'head') : s;
    const offset = i * length + ((options.padding ?? 'post') === 'pre' ? length - row.length : 0);
    for (let j = 0; j < row.length; j++) {
      const v = row[j]!;
      if (!Number.isInteger(v)) throw new DlkitError('INVALID_INPUT', `padSequences: sequence ${i} holds ${v} at ${j}, not an integer id.`);
      data[offset + j] = v;
    }
  });
  return { data, shape: [seqs.length, length] };
}

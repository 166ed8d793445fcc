// Tiny seeded sentiment fixture: the label is decided by which cue words a sentence holds.
import { Rng } from '@dlkit/core';
import type { TextExample } from '@dlkit/data';

const POS = ['good', 'great', 'wonderful', 'witty', 'gorgeous'];
const NEG = ['bad', 'awful', 'tedious', 'boring', 'mess'];
const FILLER = ['the', 'film', 'plot', 'was', 'a', 'really', 'acting', 'movie', 'and', 'story'];

export function toyData(n: number, seed = 0): TextExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const label = rng.int(2);
    const cues = label ? POS : NEG;
    const words = Array.from({ length: 3 + rng.int(6) }, () => FILLER[rng.int(FILLER.length)]!);
    words.splice(rng.int(words.length + 1), 0, cues[rng.int(cues.length)]!);
    return { text: `${words.join(' ')}${rng.int(2) ? '!' : '.'}`, label };
  });
}

/** Cosine similarity of two vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return d / Math.sqrt(na * nb);
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

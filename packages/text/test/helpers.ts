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

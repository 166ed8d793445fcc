/**
 * CTC decoding of per-frame log-probabilities [T, K] (row-major): greedy (best path: argmax per
 * frame, merge repeats, drop blanks) and prefix beam search (Hannun et al. 2014, without a
 * language model), which sums over alignments and so can beat the single best path.
 */
import { checkInt } from '@dlkit/core';

export interface CtcDecoded {
  /** Token indices (no blanks). */
  tokens: number[];
  /** Frame where each token starts (greedy only; beam search leaves it empty). */
  frames: number[];
  /** log p of the path (greedy) or of the labelling (beam). */
  logProb: number;
}

export function ctcGreedyDecode(lp: ArrayLike<number>, k: number, t: number, blank = 0): CtcDecoded {
  const tokens: number[] = [];
  const frames: number[] = [];
  let prev = -1;
  let logProb = 0;
  for (let ti = 0; ti < t; ti++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (lp[ti * k + c]! > lp[ti * k + best]!) best = c;
    logProb += lp[ti * k + best]!;
    if (best !== blank && best !== prev) {
      tokens.push(best);
      frames.push(ti);
    }
    prev = best;
  }
  return { tokens, frames, logProb };
}

function lse(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

interface Beam {
  tokens: number[];
  /** log p(prefix, ending in blank) and log p(prefix, ending in its last token). */
  pb: number;
  pnb: number;
}

/** Prefix beam search keeping `beamWidth` prefixes per frame; returns the most probable labelling found. */
export function ctcBeamDecode(lp: ArrayLike<number>, k: number, t: number, o: { blank?: number; beamWidth?: number } = {}): CtcDecoded {
  const blank = o.blank ?? 0;
  const width = checkInt('beamWidth', o.beamWidth ?? 8, 1);
  let beams = new Map<string, Beam>([['', { tokens: [], pb: 0, pnb: -Infinity }]]);
  for (let ti = 0; ti < t; ti++) {
    const next = new Map<string, Beam>();
    const get = (tokens: number[]) => {
      const key = tokens.join(',');
      const b = next.get(key) ?? { tokens, pb: -Infinity, pnb: -Infinity };
      next.set(key, b);
      return b;
    };
    for (const beam of beams.values()) {
      const total = lse(beam.pb, beam.pnb);
      const last = beam.tokens.at(-1);
      for (let c = 0; c < k; c++) {
        const p = lp[ti * k + c]!;
        if (c === blank) {
          const b = get(beam.tokens);
          b.pb = lse(b.pb, total + p);
        } else if (c === last) {
          // Repeat without a blank in between merges into the same prefix; after a blank it extends it.
          const same = get(beam.tokens);
          same.pnb = lse(same.pnb, beam.pnb + p);
          const ext = get([...beam.tokens, c]);
          ext.pnb = lse(ext.pnb, beam.pb + p);
        } else {
          const ext = get([...beam.tokens, c]);
          ext.pnb = lse(ext.pnb, total + p);
        }
      }
    }
    const sorted = [...next.entries()].sort((a, b) => lse(b[1].pb, b[1].pnb) - lse(a[1].pb, a[1].pnb)).slice(0, width);
    beams = new Map(sorted);
  }
  const best = [...beams.values()].reduce((a, b) => (lse(b.pb, b.pnb) > lse(a.pb, a.pnb) ? b : a));
  return { tokens: best.tokens, frames: [], logProb: lse(best.pb, best.pnb) };
}

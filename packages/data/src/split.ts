import { DlkitError, Rng } from '@dlkit/core';

/** Validate split fractions: positive, summing to at most 1 (a remainder is left out). */
export function checkFractions(fractions: readonly number[]): void {
  if (fractions.length === 0 || fractions.some((f) => typeof f !== 'number' || !Number.isFinite(f) || f <= 0 || f > 1)) {
    throw new DlkitError('INVALID_OPTION', `Invalid split fractions ${JSON.stringify(fractions)}: each must be a number in (0, 1].`, {
      details: { option: 'fractions', value: fractions },
    });
  }
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (sum > 1 + 1e-9) {
    throw new DlkitError('INVALID_OPTION', `Split fractions ${JSON.stringify(fractions)} sum to ${sum}, more than 1.`, {
      hint: 'Use fractions that sum to 1 (e.g. [0.8, 0.2]); a sum below 1 leaves the rest out.',
      details: { option: 'fractions', value: fractions },
    });
  }
}

/** Largest-remainder allocation of n items to fractions, so counts sum exactly to round(sum·n). */
export function allocate(n: number, fractions: readonly number[]): number[] {
  const sum = fractions.reduce((a, b) => a + b, 0);
  const total = sum >= 1 - 1e-9 ? n : Math.round(sum * n);
  const exact = fractions.map((f) => (f / Math.max(sum, 1e-12)) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]![1]]!++;
  return counts;
}

/** Index lists for each part: shuffled, disjoint, deterministic for a seed; stratified when keys are given. */
export function splitIndices(n: number, fractions: readonly number[], seed: number, keys?: readonly unknown[]): Int32Array[] {
  const rng = new Rng(seed);
  if (!keys) {
    const perm = rng.permutation(n);
    const counts = allocate(n, fractions);
    const parts: Int32Array[] = [];
    let off = 0;
    for (const c of counts) {
      parts.push(perm.slice(off, off + c));
      off += c;
    }
    return parts;
  }
  // Stratified: split every class with the same fractions, then interleave each part.
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const key = String(k);
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
    }
    g.push(i);
  });
  const parts: number[][] = fractions.map(() => []);
  for (const key of [...groups.keys()].sort()) {
    const idx = rng.shuffle(groups.get(key)!);
    const counts = allocate(idx.length, fractions);
    let off = 0;
    counts.forEach((c, p) => {
      for (let j = off; j < off + c; j++) parts[p]!.push(idx[j]!);
      off += c;
    });
  }
  return parts.map((p) => Int32Array.from(rng.shuffle(p)));
}

// Test fixtures: small seeded rating data with real structure, generated here (no files).
import { Rng } from '@dlkit/core';
import { Interactions, type RatingRow } from '../src/index.js';

/**
 * Users and items in two taste groups (rank-2 preferences + biases); about `density` of the
 * pairs are rated (1–5, rounded). A model that learns the groups beats the bias-only baseline.
 */
export function syntheticRatings(nUsers = 60, nItems = 40, density = 0.5, seed = 1): Interactions {
  const rng = new Rng(seed);
  const ug = Array.from({ length: nUsers }, () => rng.int(2));
  const ig = Array.from({ length: nItems }, () => rng.int(2));
  const ub = Array.from({ length: nUsers }, () => rng.normal() * 0.3);
  const ib = Array.from({ length: nItems }, () => rng.normal() * 0.3);
  const rows: RatingRow[] = [];
  let t = 0;
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      if (rng.next() > density) continue;
      const r = 3 + ub[u]! + ib[i]! + (ug[u] === ig[i] ? 1.2 : -1.2) + rng.normal() * 0.3;
      rows.push({ user: `u${u}`, item: `i${i}`, rating: Math.min(5, Math.max(1, Math.round(r))), timestamp: t++ });
    }
  }
  // Side features that reveal the groups: gender ↔ user group, genre ↔ item group (for cold start).
  const groupOf = (id: string) => Number(id.slice(1));
  return Interactions.fromRows(rows, {}, (userIds, itemIds) => ({
    itemTitles: itemIds.map((id) => `Movie ${id}`),
    genres: ['Drama', 'Sci-Fi'],
    itemGenres: itemIds.map((id) => [ig[groupOf(id)]!]),
    itemYears: itemIds.map(() => 1990),
    userInfo: userIds.map((id) => ({ age: 30, gender: ug[groupOf(id)] ? 'F' : 'M', occupation: 'other' })),
  }));
}

/** Item group (0/1) of each synthetic item id, for assertions. */
export function itemGroup(data: Interactions, id: string): number {
  return data.side.itemGenres![data.itemIndex(id)]![0]!;
}

export const DATA_DIR = process.env.DLKIT_DATA_DIR ?? new URL('../../../../shared/datasets', import.meta.url).pathname;

/** Implicit feedback: only the ratings ≥ 4 (so who-watched-what carries the taste groups). */
export function likedOnly(data: Interactions): Interactions {
  const keep: number[] = [];
  data.ratings.forEach((r, j) => {
    if (r >= 4) keep.push(j);
  });
  return data.subset(keep);
}

import type { Rng } from '@dlkit/core';

/**
 * For each positive (u, i), one item u has not interacted with, uniformly (rejection sampling:
 * MovieLens users have seen a few percent of the catalogue, so it rarely retries).
 */
export function sampleNegatives(users: Int32Array, seen: Set<number>[], numItems: number, rng: Rng): Int32Array {
  const out = new Int32Array(users.length);
  for (let j = 0; j < users.length; j++) {
    const s = seen[users[j]!]!;
    let item = rng.int(numItems);
    for (let tries = 0; s.has(item) && tries < 100; tries++) item = rng.int(numItems);
    out[j] = item;
  }
  return out;
}

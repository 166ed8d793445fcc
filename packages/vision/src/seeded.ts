/**
 * Deterministic weight initialisation: tfjs initialisers draw their seeds from Math.random, so
 * building a model while Math.random is a seeded stream makes `create({ seed })` reproducible.
 */
import { Rng } from '@dlkit/core';

export function withSeededMathRandom<T>(seed: number | undefined, build: () => T): T {
  if (seed === undefined) return build();
  const rng = new Rng(seed);
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return build();
  } finally {
    Math.random = original;
  }
}

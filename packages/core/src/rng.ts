/**
 * Seeded pseudo-random numbers (mulberry32): fast, 32-bit state, good enough for shuffling,
 * splits, augmentation and ε-greedy. Every seeded dlkit API derives its stream from here so a
 * seed reproduces a run exactly.
 */
export class Rng {
  private state: number;

  constructor(seed: number = Date.now()) {
    this.state = hashSeed(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i]!;
      array[i] = array[j]!;
      array[j] = tmp;
    }
    return array;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = p[i]!;
      p[i] = p[j]!;
      p[j] = tmp;
    }
    return p;
  }

  /** An independent child stream (for workers, epochs...). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296));
  }

  /** A seed for tfjs ops that take one (tf.randomNormal(..., seed)). */
  seedForTf(): number {
    return Math.floor(this.next() * 2147483647);
  }
}

function hashSeed(seed: number): number {
  // splitmix32 so nearby seeds give unrelated streams.
  let z = (Math.floor(seed) + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

let globalRng = new Rng(42);

/** Seed dlkit's global stream (used where no explicit seed is passed). */
export function setSeed(seed: number): void {
  globalRng = new Rng(seed);
}

export function globalRandom(): Rng {
  return globalRng;
}

/**
 * Runs `build` with Math.random replaced by a seeded stream. tfjs initialisers draw their seeds
 * from Math.random, so building a model inside this makes `create({ seed })` reproducible.
 */
export function withSeededMathRandom<T>(seed: number | undefined, build: () => T): T {
  if (seed === undefined) return build();
  const random = seedMathRandom(seed);
  try {
    return build();
  } finally {
    random.restore();
  }
}

/**
 * Math.random replaced by a seeded stream until `restore()`; `reseed(k)` restarts it on the stream
 * of (seed, k). tfjs draws the seeds of unseeded random ops (dropout masks) from Math.random, so a
 * training loop that reseeds per epoch is repeatable, and a run resumed at epoch k repeats the rest.
 * Other code in the process drawing Math.random meanwhile gets (harmless) seeded numbers too.
 */
export function seedMathRandom(seed: number): { reseed(k: number): void; restore(): void } {
  const original = Math.random;
  let rng = new Rng(seed);
  Math.random = () => rng.next();
  return {
    reseed: (k) => {
      rng = new Rng(seed * 1_000_003 + k);
    },
    restore: () => {
      Math.random = original;
    },
  };
}

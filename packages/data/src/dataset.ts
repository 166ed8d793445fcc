/**
 * Dataset<T>: a lazy, immutable, async-iterable pipeline (tf.data / torchdata style).
 * Every operator returns a new Dataset; nothing runs until iteration. Internally elements move
 * in chunks (see chunks.ts) and array-backed datasets keep random access, so shuffle/split/take
 * on 60k in-memory examples cost an index permutation, not a copy or a promise per element.
 */
import { checkInt, DlkitError, globalRandom, Rng } from '@dlkit/core';
import { CHUNK, type Indexed, indexedChunks, isPromiseLike, type MaybePromise, settleChunk } from './chunks.js';
import { checkFractions, splitIndices } from './split.js';

type ChunkFn<T> = (epoch: number) => AsyncIterable<T[]>;

/** What `Dataset.from` accepts. A factory is called once per iteration (use it for generators). */
export type DatasetSource<T> = readonly T[] | Iterable<T> | AsyncIterable<T> | (() => Iterable<T> | AsyncIterable<T>);

export interface ShuffleOptions {
  /** Seed of the shuffle; default drawn from dlkit's global stream (see setSeed). */
  seed?: number;
  /**
   * Buffer for streaming shuffles. Random-access datasets (arrays, map/take/skip of arrays) are always
   * shuffled fully. Others: default is the full size when known and ≤ 100,000, else 10,000.
   */
  bufferSize?: number;
  /** New order on every iteration (epoch), derived from seed + epoch. Default true. */
  reshuffleEachIteration?: boolean;
}

export interface SplitOptions<T> {
  /** Seed of the split; the same seed gives the same parts. Default 0. */
  seed?: number;
  /** Keep class proportions: every class is split with the same fractions. */
  stratify?: (item: T) => string | number;
}

export class Dataset<T> implements AsyncIterable<T> {
  /** Number of elements when known (propagated through map, take, skip, batch, shuffle, concatenate). */
  readonly size: number | undefined;
  private readonly chunkFn: ChunkFn<T>;
  private readonly indexed: Indexed<T> | undefined;
  private iterations = 0;

  private constructor(chunkFn: ChunkFn<T>, size: number | undefined, indexed?: Indexed<T>) {
    this.chunkFn = chunkFn;
    this.size = size;
    this.indexed = indexed;
  }

  // ---- sources -------------------------------------------------------------------------------

  /**
   * Wrap an array (random access, no copy), an iterable, an async iterable, or a factory returning one.
   * `size` declares the length of non-array sources; a source that yields a different count is an error.
   */
  static from<T>(source: DatasetSource<T>, size?: number): Dataset<T> {
    if (Array.isArray(source)) return Dataset.fromIndexed({ length: source.length, get: (i) => source[i] as T });
    if (size !== undefined) checkInt('size', size, 0);
    let used = false;
    const open = (): Iterable<T> | AsyncIterable<T> => {
      if (typeof source === 'function') return (source as () => Iterable<T> | AsyncIterable<T>)();
      const s = source as Iterable<T> | AsyncIterable<T>;
      // A generator object can be walked once; a second epoch would silently be empty.
      const oneShot = isIteratorItself(s);
      if (oneShot && used) {
        throw new DlkitError('STATE', 'This Dataset wraps a one-shot iterator (e.g. a generator object) that was already consumed.', {
          hint: 'Pass a factory instead: Dataset.from(() => myGenerator()).',
        });
      }
      used = true;
      return s;
    };
    return new Dataset((epoch) => sourceChunks(open, size, epoch), size);
  }

  /** A random-access dataset of `length` elements computed on demand by `get(i)` (sync or async). */
  static fromIndex<T>(length: number, get: (i: number) => MaybePromise<T>): Dataset<T> {
    checkInt('length', length, 0);
    return Dataset.fromIndexed({ length, get });
  }

  private static fromIndexed<T>(src: Indexed<T>): Dataset<T> {
    return new Dataset((_epoch) => indexedChunks(src), src.length, src);
  }

  // ---- element-wise --------------------------------------------------------------------------

  /** Transform every element; `fn` may be sync or async (async ones run a chunk at a time, in parallel). */
  map<U>(fn: (item: T) => MaybePromise<U>): Dataset<U> {
    const src = this.indexed;
    if (src) {
      return Dataset.fromIndexed({
        length: src.length,
        get: (i) => {
          const v = src.get(i);
          return isPromiseLike(v) ? (v as Promise<T>).then(fn) : fn(v as T);
        },
      });
    }
    const up = this.chunkFn;
    return new Dataset(async function* (epoch) {
      for await (const chunk of up(epoch)) {
        const out = settleChunk(chunk.map(fn));
        yield isPromiseLike(out) ? await out : out;
      }
    }, this.size);
  }

  /** Keep elements for which `pred` is true (size becomes unknown). */
  filter(pred: (item: T) => MaybePromise<boolean>): Dataset<T> {
    const up = this.chunkFn;
    return new Dataset(async function* (epoch) {
      for await (const chunk of up(epoch)) {
        const flags = settleChunk(chunk.map(pred));
        const f = isPromiseLike(flags) ? await flags : flags;
        const kept = chunk.filter((_, i) => f[i]);
        if (kept.length) yield kept;
      }
    }, undefined);
  }

  /** Group consecutive elements into arrays of `n`; the last one is shorter unless dropRemainder. */
  batch(n: number, options: { dropRemainder?: boolean } = {}): Dataset<T[]> {
    checkInt('batchSize', n, 1);
    const drop = options.dropRemainder ?? false;
    const up = this.chunkFn;
    const size = this.size === undefined ? undefined : drop ? Math.floor(this.size / n) : Math.ceil(this.size / n);
    return new Dataset(async function* (epoch) {
      let cur: T[] = [];
      for await (const chunk of up(epoch)) {
        const out: T[][] = [];
        for (const x of chunk) {
          cur.push(x);
          if (cur.length === n) {
            out.push(cur);
            cur = [];
          }
        }
        if (out.length) yield out;
      }
      if (cur.length && !drop) yield [cur];
    }, size);
  }

  /**
   * Shuffle with a seeded RNG. Each iteration (epoch) gets a new order derived from seed + epoch, so
   * training reshuffles every epoch and a seed reproduces the whole run.
   */
  shuffle(options: ShuffleOptions = {}): Dataset<T> {
    const seed = options.seed ?? globalRandom().int(2 ** 31);
    const reshuffle = options.reshuffleEachIteration ?? true;
    const rngFor = (epoch: number) => new Rng(seed * 1000003 + (reshuffle ? epoch : 0));
    const src = this.indexed;
    if (src) return new Dataset((epoch) => indexedChunks(src, rngFor(epoch).permutation(src.length)), this.size);
    const bufferSize =
      options.bufferSize ?? (this.size !== undefined && this.size <= 100_000 ? Math.max(1, this.size) : 10_000);
    checkInt('bufferSize', bufferSize, 1);
    const up = this.chunkFn;
    return new Dataset(async function* (epoch) {
      const rng = rngFor(epoch);
      const buf: T[] = [];
      for await (const chunk of up(epoch)) {
        const out: T[] = [];
        for (const x of chunk) {
          if (buf.length < bufferSize) buf.push(x);
          else {
            const j = rng.int(bufferSize);
            out.push(buf[j]!);
            buf[j] = x;
          }
        }
        if (out.length) yield out;
      }
      rng.shuffle(buf);
      for (let i = 0; i < buf.length; i += CHUNK) yield buf.slice(i, i + CHUNK);
    }, this.size);
  }

  /** The first `n` elements. */
  take(n: number): Dataset<T> {
    checkInt('take', n, 0);
    const src = this.indexed;
    if (src) return Dataset.fromIndexed({ length: Math.min(n, src.length), get: src.get });
    const up = this.chunkFn;
    return new Dataset(
      async function* (epoch) {
        if (n === 0) return;
        let left = n;
        for await (const chunk of up(epoch)) {
          if (chunk.length >= left) {
            yield chunk.slice(0, left);
            return;
          }
          left -= chunk.length;
          yield chunk;
        }
      },
      this.size === undefined ? undefined : Math.min(n, this.size),
    );
  }

  /** All but the first `n` elements. */
  skip(n: number): Dataset<T> {
    checkInt('skip', n, 0);
    const src = this.indexed;
    if (src) return Dataset.fromIndexed({ length: Math.max(0, src.length - n), get: (i) => src.get(i + n) });
    const up = this.chunkFn;
    return new Dataset(
      async function* (epoch) {
        let left = n;
        for await (const chunk of up(epoch)) {
          if (left >= chunk.length) {
            left -= chunk.length;
            continue;
          }
          yield left > 0 ? chunk.slice(left) : chunk;
          left = 0;
        }
      },
      this.size === undefined ? undefined : Math.max(0, this.size - n),
    );
  }

  /** This dataset followed by `other`. */
  concatenate(other: Dataset<T>): Dataset<T> {
    const a = this.indexed;
    const b = other.indexed;
    if (a && b) return Dataset.fromIndexed({ length: a.length + b.length, get: (i) => (i < a.length ? a.get(i) : b.get(i - a.length)) });
    const upA = this.chunkFn;
    const upB = other.chunkFn;
    const size = this.size !== undefined && other.size !== undefined ? this.size + other.size : undefined;
    return new Dataset(async function* (epoch) {
      yield* upA(epoch);
      yield* upB(epoch);
    }, size);
  }

  /** Read ahead up to `n` elements (whole chunks; at least one) while the consumer works. */
  prefetch(n = CHUNK): Dataset<T> {
    checkInt('prefetch', n, 1);
    const up = this.chunkFn;
    return new Dataset((epoch) => prefetchChunks(up(epoch), n), this.size);
  }

  /**
   * Keep the elements of the first complete iteration in memory and replay them afterwards
   * (decode once, train many epochs). An iteration abandoned midway caches nothing.
   * Note: caching after shuffle() freezes that epoch's order; cache first, then shuffle.
   */
  cache(): Dataset<T> {
    let stored: T[] | undefined;
    const up = this.chunkFn;
    return new Dataset(async function* (epoch) {
      if (stored) {
        yield* indexedChunks({ length: stored.length, get: (i) => stored![i]! });
        return;
      }
      const all: T[] = [];
      for await (const chunk of up(epoch)) {
        for (const x of chunk) all.push(x);
        yield chunk;
      }
      stored = all;
    }, this.size);
  }

  /**
   * Disjoint, seeded, deterministic parts. Fractions must sum to ≤ 1 (a remainder is left out).
   * Random-access datasets split by index (lazily, sizes known); others are read once into memory.
   * `{ train: 0.9, validation: 0.1 }` returns an object with the same keys.
   */
  split(fractions: readonly number[], options?: SplitOptions<T>): Dataset<T>[];
  split<K extends string>(fractions: Record<K, number>, options?: SplitOptions<T>): Record<K, Dataset<T>>;
  split(fractions: readonly number[] | Record<string, number>, options: SplitOptions<T> = {}): Dataset<T>[] | Record<string, Dataset<T>> {
    if (!Array.isArray(fractions)) {
      const keys = Object.keys(fractions);
      const parts = this.split(
        keys.map((k) => (fractions as Record<string, number>)[k]!),
        options,
      );
      return Object.fromEntries(keys.map((k, i) => [k, parts[i]!]));
    }
    checkFractions(fractions);
    const seed = options.seed ?? 0;
    const src = this.indexed;
    if (src && !options.stratify) {
      return splitIndices(src.length, fractions, seed).map((idx) =>
        Dataset.fromIndexed({ length: idx.length, get: (i) => src.get(idx[i]!) }),
      );
    }
    // Needs every element (stratify keys, or no random access): materialise once, shared by all parts.
    let plan: Promise<{ items: T[]; parts: Int32Array[] }> | undefined;
    const getPlan = () => {
      plan ??= this.toArray().then((items) => ({
        items,
        parts: splitIndices(items.length, fractions, seed, options.stratify ? items.map(options.stratify) : undefined),
      }));
      return plan;
    };
    return fractions.map(
      (_, p) =>
        new Dataset(async function* () {
          const { items, parts } = await getPlan();
          yield* indexedChunks({ length: items.length, get: (i) => items[i]! }, parts[p]!);
        }, undefined),
    );
  }

  // ---- consumption ---------------------------------------------------------------------------

  /** Iterate in chunks (arrays of consecutive elements); the cheapest way to consume a dataset. */
  chunks(): AsyncIterable<T[]> {
    return this.chunkFn(this.iterations++);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const chunk of this.chunks()) yield* chunk;
  }

  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const chunk of this.chunks()) for (const x of chunk) out.push(x);
    return out;
  }

  /** Call `fn` on every element in order, awaiting it when it returns a promise. */
  async forEach(fn: (item: T, index: number) => MaybePromise<void>): Promise<void> {
    let i = 0;
    for await (const chunk of this.chunks()) {
      for (const x of chunk) {
        const r = fn(x, i++);
        if (isPromiseLike(r)) await r;
      }
    }
  }
}

function isIteratorItself(s: Iterable<unknown> | AsyncIterable<unknown>): boolean {
  const f = (s as Iterable<unknown>)[Symbol.iterator] ?? (s as AsyncIterable<unknown>)[Symbol.asyncIterator];
  return typeof f === 'function' && typeof (s as { next?: unknown }).next === 'function';
}

async function* sourceChunks<T>(
  open: () => Iterable<T> | AsyncIterable<T>,
  size: number | undefined,
  _epoch: number,
): AsyncGenerator<T[]> {
  const it = open();
  let count = 0;
  if (Symbol.iterator in it) {
    let chunk: T[] = [];
    for (const x of it as Iterable<T>) {
      chunk.push(x);
      if (chunk.length === CHUNK) {
        count += chunk.length;
        yield chunk;
        chunk = [];
      }
    }
    count += chunk.length;
    if (chunk.length) yield chunk;
  } else {
    for await (const x of it as AsyncIterable<T>) {
      count++;
      yield [x];
    }
  }
  if (size !== undefined && count !== size) {
    throw new DlkitError('INVALID_INPUT', `Dataset source declared size ${size} but yielded ${count} elements.`, {
      hint: 'Pass the true size to Dataset.from(source, size), or leave it out.',
      details: { declared: size, actual: count },
    });
  }
}

/** Keep up to `n` elements buffered ahead of the consumer (one upstream request in flight at a time). */
async function* prefetchChunks<T>(src: AsyncIterable<T[]>, n: number): AsyncGenerator<T[]> {
  const it = src[Symbol.asyncIterator]();
  const buf: T[][] = [];
  let buffered = 0;
  let done = false;
  let failed = false;
  let error: unknown;
  let pending: Promise<void> | undefined;
  const pump = (): void => {
    if (pending || done || buffered >= n) return;
    pending = it.next().then(
      (r) => {
        pending = undefined;
        if (r.done) done = true;
        else {
          buf.push(r.value);
          buffered += r.value.length;
          pump();
        }
      },
      (e) => {
        pending = undefined;
        failed = true;
        error = e;
        done = true;
      },
    );
  };
  try {
    for (;;) {
      pump();
      const c = buf.shift();
      if (c) {
        buffered -= c.length;
        yield c;
        continue;
      }
      if (failed) throw error;
      if (done) return;
      await pending;
    }
  } finally {
    if (!done) {
      await pending;
      await it.return?.();
    }
  }
}

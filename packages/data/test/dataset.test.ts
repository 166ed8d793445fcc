import { DlkitError } from '@dlkit/core';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/index.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Dataset basics', () => {
  it('maps, filters, batches, takes and skips lazily with sizes propagated', async () => {
    let calls = 0;
    const ds = Dataset.from(range(10)).map((x) => {
      calls++;
      return x * 2;
    });
    expect(calls).toBe(0);
    expect(ds.size).toBe(10);
    expect(await ds.toArray()).toEqual(range(10).map((x) => x * 2));
    expect(ds.take(3).size).toBe(3);
    expect(await ds.skip(8).toArray()).toEqual([16, 18]);
    expect(ds.skip(20).size).toBe(0);
    expect(ds.batch(4).size).toBe(3);
    expect(ds.batch(4, { dropRemainder: true }).size).toBe(2);
    expect(await ds.batch(4).toArray()).toEqual([[0, 2, 4, 6], [8, 10, 12, 14], [16, 18]]);
    expect(await ds.batch(4, { dropRemainder: true }).toArray()).toHaveLength(2);
    const f = ds.filter((x) => x % 4 === 0);
    expect(f.size).toBeUndefined();
    expect(await f.toArray()).toEqual([0, 4, 8, 12, 16]);
  });

  it('supports async map/filter, iterables, async iterables and factories', async () => {
    const asyncMapped = Dataset.from(range(300)).map(async (x) => x + 1);
    expect((await asyncMapped.toArray()).slice(-2)).toEqual([299, 300]);
    expect(await Dataset.from(new Set([1, 2, 3])).toArray()).toEqual([1, 2, 3]);
    async function* gen() {
      yield 'a';
      yield 'b';
    }
    const fromFactory = Dataset.from(() => gen(), 2);
    expect(await fromFactory.toArray()).toEqual(['a', 'b']);
    expect(await fromFactory.toArray()).toEqual(['a', 'b']); // re-iterable
    const filtered = await Dataset.from(range(10))
      .filter(async (x) => x > 6)
      .toArray();
    expect(filtered).toEqual([7, 8, 9]);
  });

  it('refuses to re-iterate a consumed generator object instead of yielding nothing', async () => {
    function* g() {
      yield 1;
    }
    const ds = Dataset.from(g());
    expect(await ds.toArray()).toEqual([1]);
    await expect(ds.toArray()).rejects.toMatchObject({ code: 'STATE' });
  });

  it('checks a declared size against what the source yields', async () => {
    await expect(Dataset.from(() => [1, 2, 3][Symbol.iterator](), 5).toArray()).rejects.toBeInstanceOf(DlkitError);
  });

  it('concatenates, prefetches, forEach and async-iterates in order', async () => {
    const a = Dataset.from(range(3));
    const b = Dataset.from(() => new Set([3, 4]), 2);
    const c = a.concatenate(b);
    expect(c.size).toBe(5);
    expect(await c.prefetch(2).toArray()).toEqual(range(5));
    const seen: number[] = [];
    await c.forEach(async (x, i) => {
      expect(i).toBe(x);
      seen.push(x);
    });
    expect(seen).toEqual(range(5));
    const out: number[] = [];
    for await (const x of a.concatenate(a)) out.push(x);
    expect(out).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('prefetch reads ahead of the consumer, bounded, and propagates errors', async () => {
    let produced = 0;
    async function* src() {
      for (let i = 0; i < 20; i++) {
        produced++;
        yield i;
      }
    }
    const it = Dataset.from(() => src(), 20).prefetch(5)[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(produced).toBeGreaterThanOrEqual(5);
    expect(produced).toBeLessThanOrEqual(7);
    await it.return?.();
    async function* boom() {
      yield 1;
      throw new Error('boom');
    }
    await expect(Dataset.from(() => boom()).prefetch(4).toArray()).rejects.toThrow('boom');
  });

  it('cache() runs the pipeline once', async () => {
    let calls = 0;
    const ds = Dataset.from(range(50))
      .filter((x) => x % 2 === 0)
      .map((x) => {
        calls++;
        return x;
      })
      .cache();
    expect(await ds.toArray()).toHaveLength(25);
    expect(await ds.toArray()).toHaveLength(25);
    expect(calls).toBe(25);
  });

  it('rejects bad options with INVALID_OPTION', () => {
    const ds = Dataset.from(range(3));
    expect(() => ds.batch(0)).toThrow(/batchSize/);
    expect(() => ds.take(-1)).toThrow(DlkitError);
    expect(() => ds.split([0.8, 0.5])).toThrow(/sum to/);
    expect(() => ds.split([0, 1])).toThrow(/fractions/);
  });
});

describe('shuffle', () => {
  it('is a seeded permutation, new each epoch, reproducible across runs', async () => {
    const ds = Dataset.from(range(100)).shuffle({ seed: 7 });
    const e0 = await ds.toArray();
    const e1 = await ds.toArray();
    expect([...e0].sort((a, b) => a - b)).toEqual(range(100));
    expect(e0).not.toEqual(range(100));
    expect(e1).not.toEqual(e0);
    const again = Dataset.from(range(100)).shuffle({ seed: 7 });
    expect(await again.toArray()).toEqual(e0);
    expect(await again.toArray()).toEqual(e1);
    const fixed = Dataset.from(range(100)).shuffle({ seed: 7, reshuffleEachIteration: false });
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
  });

  it('streams through a buffer for non-random-access sources (full when size is known)', async () => {
    const src = Dataset.from(() => range(1000)[Symbol.iterator](), 1000);
    const full = await src.shuffle({ seed: 1 }).toArray();
    expect([...full].sort((a, b) => a - b)).toEqual(range(1000));
    expect(full.slice(0, 10)).not.toEqual(range(10));
    const windowed = await Dataset.from(() => range(1000)[Symbol.iterator]())
      .shuffle({ seed: 1, bufferSize: 10 })
      .toArray();
    expect([...windowed].sort((a, b) => a - b)).toEqual(range(1000));
    // With a 10-element buffer nothing moves more than ~bufferSize earlier.
    windowed.forEach((x, i) => {
      expect(x).toBeLessThanOrEqual(i + 10);
    });
  });
});

describe('split', () => {
  it('is disjoint, covering, deterministic for a seed', async () => {
    const ds = Dataset.from(range(1000)).map((x) => x);
    const [a, b] = ds.split([0.8, 0.2], { seed: 3 });
    expect(a!.size).toBe(800);
    expect(b!.size).toBe(200);
    const A = await a!.toArray();
    const B = await b!.toArray();
    expect(new Set([...A, ...B]).size).toBe(1000);
    const [a2] = ds.split([0.8, 0.2], { seed: 3 });
    expect(await a2!.toArray()).toEqual(A);
    const [a3] = ds.split([0.8, 0.2], { seed: 4 });
    expect(await a3!.toArray()).not.toEqual(A);
    const named = ds.split({ train: 0.9, validation: 0.1 }, { seed: 1 });
    expect(named.train.size).toBe(900);
    expect(named.validation.size).toBe(100);
  });

  it('stratifies by a key and works on streaming sources', async () => {
    // 900 of class 0, 100 of class 1.
    const items = range(1000).map((i) => ({ i, label: i < 900 ? 0 : 1 }));
    const streaming = Dataset.from(() => items[Symbol.iterator]());
    const [tr, te] = streaming.split([0.9, 0.1], { seed: 5, stratify: (x) => x.label });
    const TR = await tr!.toArray();
    const TE = await te!.toArray();
    expect(TE.filter((x) => x.label === 1)).toHaveLength(10);
    expect(TE.filter((x) => x.label === 0)).toHaveLength(90);
    expect(TR).toHaveLength(900);
    expect(new Set([...TR, ...TE].map((x) => x.i)).size).toBe(1000);
  });
});

describe('speed', () => {
  it('iterates and batches 60k in-memory examples fast', async () => {
    const xs = range(60_000).map((i) => ({ x: i, label: i % 10 }));
    const ds = Dataset.from(xs)
      .shuffle({ seed: 1 })
      .map((e) => e.label)
      .batch(32);
    await ds.toArray(); // warm-up
    const t = performance.now();
    let n = 0;
    for await (const chunk of ds.chunks()) for (const b of chunk) n += b.length;
    const ms = performance.now() - t;
    expect(n).toBe(60_000);
    // ~0.1 µs/element here; the bound leaves room for a slow CI machine (< 2 µs/element).
    expect(ms).toBeLessThan(120);
  });
});

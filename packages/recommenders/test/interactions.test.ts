import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdoutPerUser, Interactions, kFold, leaveLastOut } from '../src/index.js';
import { loadInteractionsCsv } from '../src/node.js';
import { syntheticRatings } from './helpers.js';

describe('Interactions.fromRows', () => {
  it('maps string ids to dense indices and back', () => {
    const d = Interactions.fromRows([
      { user: 'alice', item: 'x', rating: 4 },
      { user: 'bob', item: 'y', rating: 2 },
      { user: 'alice', item: 'y', rating: 5 },
    ]);
    expect(d.userIds).toEqual(['alice', 'bob']);
    expect(d.itemIds).toEqual(['x', 'y']);
    expect([...d.users]).toEqual([0, 1, 0]);
    expect([...d.items]).toEqual([0, 1, 1]);
    expect(d.userIndex('bob')).toBe(1);
    expect(() => d.userIndex('carol')).toThrow(/Unknown user id "carol"/);
  });

  it('rejects duplicates by default; keeps the last or the mean when asked', () => {
    const rows = [
      { user: 1, item: 1, rating: 2, timestamp: 10 },
      { user: 1, item: 1, rating: 4, timestamp: 20 },
    ];
    expect(() => Interactions.fromRows(rows)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/Row 2: user 1 already rated item 1.*duplicates/) }));
    expect([...Interactions.fromRows(rows, { duplicates: 'last' }).ratings]).toEqual([4]);
    expect([...Interactions.fromRows([...rows].reverse(), { duplicates: 'last' }).ratings]).toEqual([4]);
    expect([...Interactions.fromRows(rows, { duplicates: 'mean' }).ratings]).toEqual([3]);
  });

  it('rejects out-of-range and missing ratings, bad ids, empty input', () => {
    expect(() => Interactions.fromRows([{ user: 1, item: 1, rating: 6 }])).toThrow(/rating 6 .* outside the rating range \[1, 5\]/);
    expect(() => Interactions.fromRows([{ user: 1, item: 1, rating: 0.5 }], { ratingRange: [0.5, 5] })).not.toThrow();
    expect(() => Interactions.fromRows([{ user: 1, item: 1 }])).toThrow(/rating undefined/);
    expect([...Interactions.fromRows([{ user: 1, item: 1 }], { implicit: true }).ratings]).toEqual([1]);
    expect(() => Interactions.fromRows([{ user: '', item: 1, rating: 3 }])).toThrow(/bad user id/);
    expect(() => Interactions.fromRows([])).toThrow(/no rows/);
    expect(() => Interactions.fromRows([{ user: 1, item: 1, rating: 3 }], { ratingRange: [5, 1] })).toThrow(/ratingRange/);
  });
});

describe('CSV loader', () => {
  it('reads user,item,rating,timestamp with string ids, and names malformed rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rec-csv-'));
    const good = join(dir, 'r.csv');
    await writeFile(good, 'userId,movieId,rating,timestamp\nu1,m1,4,100\nu2,m1,3.5,101\nu1,m2,5,102\n');
    const d = await loadInteractionsCsv(good, { ratingRange: [0.5, 5] });
    expect(d.size).toBe(3);
    expect(d.userIds).toEqual(['u1', 'u2']);
    expect(d.ratings[1]).toBe(3.5);
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'user,item,rating\nu1,m1,4\nu2,m1\n');
    await expect(loadInteractionsCsv(bad)).rejects.toMatchObject({ code: 'CORRUPT_DATA', message: expect.stringContaining('bad.csv') });
    const nonNumeric = join(dir, 'nn.csv');
    await writeFile(nonNumeric, 'user,item,rating\nu1,m1,four\n');
    await expect(loadInteractionsCsv(nonNumeric)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Row 1') });
    const noItem = join(dir, 'ni.csv');
    await writeFile(noItem, 'who,what\na,b\n');
    await expect(loadInteractionsCsv(noItem)).rejects.toThrow(/No user column/);
  });
});

describe('splits', () => {
  const data = syntheticRatings(30, 20, 0.5, 3);

  it('k-fold puts every interaction in exactly one test fold, reproducibly', () => {
    const folds = kFold(data, 5, 7);
    const counts = new Map<string, number>();
    for (const f of folds) {
      expect(f.train.size + f.test.size).toBe(data.size);
      for (let j = 0; j < f.test.size; j++) {
        const key = `${f.test.users[j]}:${f.test.items[j]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(data.size);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect([...kFold(data, 5, 7)[2]!.test.items]).toEqual([...folds[2]!.test.items]);
    expect([...kFold(data, 5, 8)[2]!.test.items]).not.toEqual([...folds[2]!.test.items]);
  });

  it('per-user hold-out takes about the fraction of each user', () => {
    const s = holdoutPerUser(data, 0.25, 0);
    const per = new Map<number, [number, number]>();
    for (const u of s.train.users) per.set(u, [(per.get(u)?.[0] ?? 0) + 1, per.get(u)?.[1] ?? 0]);
    for (const u of s.test.users) per.set(u, [per.get(u)?.[0] ?? 0, (per.get(u)?.[1] ?? 0) + 1]);
    for (const [tr, te] of per.values()) if (tr + te >= 2) expect(te).toBe(Math.max(1, Math.round((tr + te) * 0.25)));
    expect(() => holdoutPerUser(data, 1)).toThrow(/fraction/);
  });

  it('leave-last-out holds out each user’s latest interaction', () => {
    const s = leaveLastOut(data);
    const latest = new Map<number, number>();
    for (let j = 0; j < data.size; j++) latest.set(data.users[j]!, Math.max(latest.get(data.users[j]!) ?? -1, data.timestamps[j]!));
    expect(s.test.size).toBe(data.numUsers);
    for (let j = 0; j < s.test.size; j++) expect(s.test.timestamps[j]).toBe(latest.get(s.test.users[j]!));
  });
});

// The MovieLens loaders on the real files (skipped with a reason when ../shared is absent).
import { existsSync } from 'node:fs';
import { reloadEnv } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadInteractions, loadMovieLens } from '../src/node.js';
import { DATA_DIR } from './helpers.js';

const have = existsSync(`${DATA_DIR}/movielens/ml-100k/u.data`) && existsSync(`${DATA_DIR}/movielens/ml-latest-small/ratings.csv`);
if (!have) console.warn(`MovieLens tests skipped: no MovieLens files under ${DATA_DIR} (set DLKIT_DATA_DIR)`);

describe.skipIf(!have)('MovieLens loaders', () => {
  beforeAll(() => {
    process.env.DLKIT_DATA_DIR ??= DATA_DIR;
    reloadEnv(); // core reads DLKIT_* once at import
  });

  it('ml-100k: 100,000 ratings with titles, genres, years and demographics', async () => {
    const d = await loadMovieLens('ml-100k');
    expect([d.size, d.numUsers, d.numItems]).toEqual([100_000, 943, 1682]);
    expect(d.ratingRange).toEqual([1, 5]);
    const sw = d.itemIndex('50');
    expect(d.side.itemTitles![sw]).toBe('Star Wars (1977)');
    expect(d.side.itemYears![sw]).toBe(1977);
    expect(d.side.itemGenres![sw]!.map((g) => d.side.genres![g])).toEqual(['Action', 'Adventure', 'Romance', 'Sci-Fi', 'War']);
    expect(d.side.userInfo![d.userIndex('1')]).toEqual({ age: 24, gender: 'M', occupation: 'technician' });
  });

  it('ml-latest-small: 100,836 half-star ratings with genres parsed from movies.csv', async () => {
    const d = await loadInteractions('ml-latest-small');
    expect([d.size, d.numUsers, d.numItems]).toEqual([100_836, 610, 9724]);
    expect(d.ratingRange).toEqual([0.5, 5]);
    expect(Math.min(...d.ratings)).toBe(0.5);
    const toy = d.itemIndex('1');
    expect(d.side.itemTitles![toy]).toBe('Toy Story (1995)');
    expect(d.side.itemGenres![toy]!.map((g) => d.side.genres![g])).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy']);
  });

  it('names unknown datasets', async () => {
    await expect(loadInteractions('ml-1m')).rejects.toThrow(/--data|data/);
  });
});

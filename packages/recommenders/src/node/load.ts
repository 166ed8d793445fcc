/**
 * Loading interactions: registered MovieLens datasets through @dlkit/data (ratings, titles,
 * genres, years, demographics), or any CSV/TSV file with user, item[, rating, timestamp] columns.
 */
import { DlkitError, invalidOption } from '@dlkit/core';
import type { RatingExample } from '@dlkit/data';
import { loadDataset, readCsv } from '@dlkit/data/node';
import { type FromRowsOptions, Interactions, type RatingRow } from '../interactions.js';

/** Short names the CLI accepts for the registered datasets. */
export const DATASET_ALIASES: Record<string, string> = {
  'ml-100k': 'movielens-100k',
  'movielens-100k': 'movielens-100k',
  'ml-latest-small': 'movielens-latest-small',
  'movielens-latest-small': 'movielens-latest-small',
};

/** A registered MovieLens dataset (`ml-100k`, `ml-latest-small`) as Interactions with side info. */
export async function loadMovieLens(name: string): Promise<Interactions> {
  const id = DATASET_ALIASES[name];
  if (!id) throw invalidOption('data', name, `one of ${Object.keys(DATASET_ALIASES).join(', ')}, or a path to a CSV/TSV file`);
  const ds = await loadDataset<RatingExample>(id);
  const n = ds.size ?? 0;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  const timestamps = new Float64Array(n);
  let j = 0;
  for await (const e of ds) {
    users[j] = e.user;
    items[j] = e.item;
    ratings[j] = e.rating;
    timestamps[j] = e.timestamp ?? j;
    j++;
  }
  const m = ds.idMaps!;
  const range: [number, number] = id === 'movielens-100k' ? [1, 5] : [0.5, 5];
  return new Interactions(
    users.subarray(0, j),
    items.subarray(0, j),
    ratings.subarray(0, j),
    timestamps.subarray(0, j),
    m.userIds.map(String),
    m.itemIds.map(String),
    { itemTitles: m.itemTitles, genres: m.genres, itemGenres: m.itemGenres, itemYears: m.itemYears, userInfo: m.userInfo },
    range,
  );
}

export interface CsvInteractionsOptions extends FromRowsOptions {
  /** Column names (header) or 0-based indices (no header). Defaults: user/userId, item/movieId/itemId, rating, timestamp. */
  userColumn?: string;
  itemColumn?: string;
  ratingColumn?: string;
  timestampColumn?: string;
  delimiter?: string;
  /** Titles by original item id, e.g. from a movies file. */
  titles?: Map<string, string>;
}

function pickColumn(header: string[], wanted: string | undefined, candidates: string[], what: string, required: boolean): string | undefined {
  if (wanted !== undefined) {
    if (!header.includes(wanted)) throw invalidOption(`${what}Column`, wanted, `a column of the file: ${header.join(', ')}`);
    return wanted;
  }
  const hit = candidates.find((c) => header.includes(c));
  if (!hit && required) throw new DlkitError('INVALID_INPUT', `No ${what} column: the header is ${header.join(', ')}.`, { hint: `Name it with the ${what}Column option (CLI: --${what}-column NAME).` });
  return hit;
}

/**
 * Interactions from a CSV/TSV file with a header. Malformed rows (wrong field count) are a
 * CORRUPT_DATA error naming the file and line; bad ratings/ids an INVALID_INPUT naming the row.
 */
export async function loadInteractionsCsv(path: string, options: CsvInteractionsOptions = {}): Promise<Interactions> {
  const rows = (await readCsv(path, { header: true, ...(options.delimiter ? { delimiter: options.delimiter } : {}) })) as Record<string, string>[];
  if (rows.length === 0) throw new DlkitError('INVALID_INPUT', `${path} has no data rows.`);
  const header = Object.keys(rows[0]!);
  const uc = pickColumn(header, options.userColumn, ['user', 'userId', 'user_id', 'userid'], 'user', true)!;
  const ic = pickColumn(header, options.itemColumn, ['item', 'itemId', 'item_id', 'movieId', 'movie_id', 'itemid'], 'item', true)!;
  const rc = pickColumn(header, options.ratingColumn, ['rating', 'score', 'value'], 'rating', !options.implicit);
  const tc = pickColumn(header, options.timestampColumn, ['timestamp', 'time', 'ts'], 'timestamp', false);
  function* toRows(): Generator<RatingRow> {
    for (const r of rows) {
      yield {
        user: r[uc]!,
        item: r[ic]!,
        rating: rc === undefined ? undefined : r[rc] === '' ? Number.NaN : Number(r[rc]),
        timestamp: tc === undefined ? undefined : Number(r[tc]),
      };
    }
  }
  const titles = options.titles;
  return Interactions.fromRows(toRows(), options, titles ? (_u, itemIds) => ({ itemTitles: itemIds.map((id) => titles.get(id) ?? '') }) : undefined);
}

/** `--data`: a registered dataset name or a CSV/TSV path. */
export async function loadInteractions(data: string, options: CsvInteractionsOptions = {}): Promise<Interactions> {
  if (DATASET_ALIASES[data]) return loadMovieLens(data);
  if (/\.(csv|tsv|txt|data)$/i.test(data)) return loadInteractionsCsv(data, options);
  throw invalidOption('data', data, `one of ${Object.keys(DATASET_ALIASES).join(', ')}, or a path to a .csv/.tsv file`);
}

import { Dataset } from '../../dataset.js';
import { corrupt } from '../../errors.js';
import type { RatingExample, RatingIdMaps } from '../../examples.js';
import { parseCsv } from '../csv.js';
import { readFileBytes } from '../read.js';
import type { Loader, LoaderContext } from './types.js';

interface Parsed {
  examples: RatingExample[];
  idMaps: RatingIdMaps;
}

/** Side features by original id, attached to idMaps in dense order. */
interface Side {
  genres?: string[];
  itemGenres?: Map<number, number[]>;
  itemYears?: Map<number, number>;
  userInfo?: Map<number, { age: number; gender: string; occupation: string }>;
}

/** The last (yyyy) in a title, e.g. "Star Wars (1977)"; 0 when absent. */
function yearOf(title: string): number {
  const m = /\((\d{4})\)\s*$/.exec(title.trim());
  return m ? Number(m[1]) : 0;
}

/** Original ids → dense indices in order of first appearance. */
function densify(rows: { user: number; item: number; rating: number; timestamp: number }[], titles: Map<number, string>, side: Side = {}): Parsed {
  const users = new Map<number, number>();
  const items = new Map<number, number>();
  const examples = rows.map((r) => {
    if (!users.has(r.user)) users.set(r.user, users.size);
    if (!items.has(r.item)) items.set(r.item, items.size);
    const u = users.get(r.user)!;
    const it = items.get(r.item)!;
    return { user: u, item: it, rating: r.rating, timestamp: r.timestamp };
  });
  const itemIds = [...items.keys()];
  const userIds = [...users.keys()];
  const idMaps: RatingIdMaps = { userIds, itemIds, itemTitles: itemIds.map((id) => titles.get(id) ?? '') };
  if (side.genres && side.itemGenres) {
    idMaps.genres = side.genres;
    idMaps.itemGenres = itemIds.map((id) => side.itemGenres!.get(id) ?? []);
  }
  if (side.itemYears) idMaps.itemYears = itemIds.map((id) => side.itemYears!.get(id) ?? 0);
  if (side.userInfo) idMaps.userInfo = userIds.map((id) => side.userInfo!.get(id) ?? { age: 0, gender: '', occupation: '' });
  return { examples, idMaps };
}

function num(raw: string | undefined, file: string, line: number, what: string, check: (v: number) => boolean): number {
  const v = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isFinite(v) || !check(v)) throw corrupt(file, `line ${line}`, `bad ${what} ${JSON.stringify(raw)}.`, { line });
  return v;
}

// ml-100k: u.data `user<TAB>item<TAB>rating<TAB>timestamp`; u.item `id|title|...` (latin-1).
async function read100k(ctx: LoaderContext): Promise<Parsed> {
  const dataPath = ctx.file('ratings').path;
  const rows = new TextDecoder().decode(await readFileBytes(dataPath)).split('\n');
  const out: { user: number; item: number; rating: number; timestamp: number }[] = [];
  rows.forEach((line, i) => {
    if (line.trim() === '') return;
    const f = line.split('\t');
    if (f.length !== 4) throw corrupt(dataPath, `line ${i + 1}`, `expected 4 tab-separated fields, found ${f.length}.`, { line: i + 1 });
    const pos = (v: number) => Number.isInteger(v) && v >= 1;
    out.push({
      user: num(f[0], dataPath, i + 1, 'user id', pos),
      item: num(f[1], dataPath, i + 1, 'item id', pos),
      rating: num(f[2], dataPath, i + 1, 'rating', (v) => v >= 1 && v <= 5),
      timestamp: num(f[3], dataPath, i + 1, 'timestamp', Number.isInteger),
    });
  });
  // u.item: id|title|release date|video date|url|19 genre flags (u.genre order).
  const titles = new Map<number, string>();
  const itemGenres = new Map<number, number[]>();
  const itemYears = new Map<number, number>();
  const itemPath = ctx.file('items').path;
  new TextDecoder('latin1')
    .decode(await readFileBytes(itemPath))
    .split('\n')
    .forEach((line) => {
      const f = line.split('|');
      if (f.length <= 1) return;
      const id = Number(f[0]);
      titles.set(id, f[1]!);
      itemGenres.set(id, f.slice(5).flatMap((flag, g) => (flag.trim() === '1' ? [g] : [])));
      itemYears.set(id, yearOf(f[1]!) || Number(/(\d{4})$/.exec(f[2] ?? '')?.[1] ?? 0));
    });
  const side: Side = { genres: ML100K_GENRES, itemGenres, itemYears };
  // u.user: id|age|gender|occupation|zip.
  const users = ctx.manifest.files.some((f) => f.role === 'users') ? ctx.file('users').path : undefined;
  if (users) {
    side.userInfo = new Map();
    for (const line of new TextDecoder('latin1').decode(await readFileBytes(users)).split('\n')) {
      const f = line.split('|');
      if (f.length >= 4) side.userInfo.set(Number(f[0]), { age: Number(f[1]) || 0, gender: f[2]!, occupation: f[3]! });
    }
  }
  return densify(out, titles, side);
}

// ml-latest-small: ratings.csv `userId,movieId,rating,timestamp`; movies.csv `movieId,title,genres`.
async function readCsvRatings(ctx: LoaderContext): Promise<Parsed> {
  const path = ctx.file('ratings').path;
  const rows = parseCsv(new TextDecoder().decode(await readFileBytes(path)), path) as Record<string, string>[];
  const out = rows.map((r, i) => ({
    user: num(r.userId, path, i + 2, 'userId', (v) => Number.isInteger(v) && v >= 1),
    item: num(r.movieId, path, i + 2, 'movieId', (v) => Number.isInteger(v) && v >= 1),
    rating: num(r.rating, path, i + 2, 'rating', (v) => v >= 0.5 && v <= 5),
    timestamp: num(r.timestamp, path, i + 2, 'timestamp', Number.isInteger),
  }));
  const moviesPath = ctx.file('items').path;
  const movies = parseCsv(new TextDecoder().decode(await readFileBytes(moviesPath)), moviesPath) as Record<string, string>[];
  // movies.csv genres are 'A|B|C' ('(no genres listed)' = none).
  const genres: string[] = [];
  const itemGenres = new Map<number, number[]>();
  for (const m of movies) {
    const gs = (m.genres ?? '').split('|').filter((g) => g !== '' && g !== '(no genres listed)');
    itemGenres.set(
      Number(m.movieId),
      gs.map((g) => (genres.includes(g) ? genres.indexOf(g) : genres.push(g) - 1)),
    );
  }
  const itemYears = new Map(movies.map((m) => [Number(m.movieId), yearOf(m.title ?? '')]));
  return densify(out, new Map(movies.map((m) => [Number(m.movieId), m.title!])), { genres, itemGenres, itemYears });
}

const ML100K_GENRES = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];

function ratingsLoader(read: (ctx: LoaderContext) => Promise<Parsed>): Loader {
  return {
    async count(ctx) {
      const { examples, idMaps } = await read(ctx);
      const split = Object.keys(ctx.manifest.splits)[0]!;
      return {
        splits: { [split]: { examples: examples.length } },
        stats: { ratings: examples.length, users: idMaps.userIds.length, items: idMaps.itemIds.length },
      };
    },
    async load(ctx) {
      const { examples, idMaps } = await read(ctx);
      return Object.assign(Dataset.from(examples), { idMaps });
    },
  };
}

export const movielens100kLoader = ratingsLoader(read100k);
export const movielensCsvLoader = ratingsLoader(readCsvRatings);

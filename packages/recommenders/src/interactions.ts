/**
 * Interactions: parallel typed arrays of (user, item, rating, timestamp) with dense 0-based
 * indices, the id maps back to the original ids, and optional side information. Every model,
 * split and metric in this package works on this one shape.
 */
import { DlkitError, invalidOption } from '@dlkit/core';

export interface UserInfo {
  age: number;
  gender: string;
  occupation: string;
}

/** Side information by dense index; all optional (cold start needs it). */
export interface SideInfo {
  itemTitles?: string[];
  genres?: string[];
  itemGenres?: number[][];
  itemYears?: number[];
  userInfo?: UserInfo[];
}

export interface RatingRow {
  user: string | number;
  item: string | number;
  rating?: number;
  timestamp?: number;
}

export type DuplicatePolicy = 'error' | 'last' | 'mean';

export interface FromRowsOptions {
  /** Allowed rating range, inclusive (default [1, 5]); outside it is an INVALID_INPUT error. */
  ratingRange?: [number, number];
  /** Same (user, item) twice: 'error' (default), keep the 'last' by timestamp, or the 'mean'. */
  duplicates?: DuplicatePolicy;
  /** Implicit feedback: rows without a rating count as 1. */
  implicit?: boolean;
}

export class Interactions {
  constructor(
    readonly users: Int32Array,
    readonly items: Int32Array,
    readonly ratings: Float32Array,
    readonly timestamps: Float64Array,
    /** userIds[u] = original id of dense user u. */
    readonly userIds: string[],
    readonly itemIds: string[],
    readonly side: SideInfo = {},
    readonly ratingRange: [number, number] = [1, 5],
  ) {
    const n = users.length;
    if (items.length !== n || ratings.length !== n || timestamps.length !== n) {
      throw new DlkitError('SHAPE_MISMATCH', `Interactions: users/items/ratings/timestamps must have one entry per interaction (got ${n}, ${items.length}, ${ratings.length}, ${timestamps.length}).`);
    }
  }

  get size(): number {
    return this.users.length;
  }
  get numUsers(): number {
    return this.userIds.length;
  }
  get numItems(): number {
    return this.itemIds.length;
  }

  /** The interactions at these positions, sharing id maps and side info (a split's train/test part). */
  subset(index: ArrayLike<number>): Interactions {
    const pick = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const out = make(index.length);
      for (let j = 0; j < index.length; j++) out[j] = a[index[j]!]!;
      return out;
    };
    return new Interactions(
      pick(this.users, (n) => new Int32Array(n)),
      pick(this.items, (n) => new Int32Array(n)),
      pick(this.ratings, (n) => new Float32Array(n)),
      pick(this.timestamps, (n) => new Float64Array(n)),
      this.userIds,
      this.itemIds,
      this.side,
      this.ratingRange,
    );
  }

  /** Mean rating. */
  mean(): number {
    let s = 0;
    for (const r of this.ratings) s += r;
    return this.size ? s / this.size : 0;
  }

  /** For each user, the set of items they interacted with. */
  itemsByUser(): Set<number>[] {
    const out = Array.from({ length: this.numUsers }, () => new Set<number>());
    for (let j = 0; j < this.size; j++) out[this.users[j]!]!.add(this.items[j]!);
    return out;
  }

  /** Dense index of an original user id, or a NOT_FOUND error naming it. */
  userIndex(id: string | number): number {
    return indexOf(this.userIds, id, 'user');
  }
  itemIndex(id: string | number): number {
    return indexOf(this.itemIds, id, 'item');
  }

  /** Build from rows with original (string or number) ids; validates every row. */
  static fromRows(rows: Iterable<RatingRow>, options: FromRowsOptions = {}, side?: (userIds: string[], itemIds: string[]) => SideInfo): Interactions {
    const range = options.ratingRange ?? [1, 5];
    if (!(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) throw invalidOption('ratingRange', range, 'two finite numbers [min, max] with min < max');
    const policy = options.duplicates ?? 'error';
    if (!['error', 'last', 'mean'].includes(policy)) throw invalidOption('duplicates', policy, "'error', 'last' or 'mean'");
    const users = new Map<string, number>();
    const items = new Map<string, number>();
    const seen = new Map<number, number>(); // user * 2^21 + item → position
    const u: number[] = [];
    const it: number[] = [];
    const r: number[] = [];
    const ts: number[] = [];
    const counts: number[] = [];
    let line = 0;
    for (const row of rows) {
      line++;
      const uid = idString(row.user, 'user', line);
      const iid = idString(row.item, 'item', line);
      const rating = row.rating ?? (options.implicit ? 1 : Number.NaN);
      if (!Number.isFinite(rating) || rating < range[0] || rating > range[1]) {
        throw new DlkitError('INVALID_INPUT', `Row ${line}: rating ${JSON.stringify(row.rating)} for user ${uid}, item ${iid} is outside the rating range [${range[0]}, ${range[1]}].`, {
          hint: 'Fix the row, or pass ratingRange: [min, max] (CLI: --rating-range MIN,MAX) matching your scale.',
          details: { row: line, rating: row.rating },
        });
      }
      const timestamp = row.timestamp ?? line;
      if (!Number.isFinite(timestamp)) throw new DlkitError('INVALID_INPUT', `Row ${line}: timestamp ${JSON.stringify(row.timestamp)} is not a number.`, { details: { row: line } });
      if (!users.has(uid)) users.set(uid, users.size);
      if (!items.has(iid)) items.set(iid, items.size);
      const du = users.get(uid)!;
      const di = items.get(iid)!;
      const key = du * 2_097_152 + di;
      const at = seen.get(key);
      if (at !== undefined) {
        if (policy === 'error') {
          throw new DlkitError('INVALID_INPUT', `Row ${line}: user ${uid} already rated item ${iid} (duplicate rating).`, {
            hint: "Pass duplicates: 'last' (keep the latest by timestamp) or 'mean' (CLI: --duplicates last|mean).",
            details: { row: line, user: uid, item: iid },
          });
        }
        if (policy === 'last') {
          if (timestamp >= ts[at]!) {
            r[at] = rating;
            ts[at] = timestamp;
          }
        } else {
          counts[at]!++;
          r[at] = r[at]! + (rating - r[at]!) / counts[at]!;
          ts[at] = Math.max(ts[at]!, timestamp);
        }
        continue;
      }
      seen.set(key, u.length);
      u.push(du);
      it.push(di);
      r.push(rating);
      ts.push(timestamp);
      counts.push(1);
    }
    if (u.length === 0) throw new DlkitError('INVALID_INPUT', 'No interactions: the input has no rows.');
    const userIds = [...users.keys()];
    const itemIds = [...items.keys()];
    return new Interactions(Int32Array.from(u), Int32Array.from(it), Float32Array.from(r), Float64Array.from(ts), userIds, itemIds, side?.(userIds, itemIds) ?? {}, range);
  }
}

function idString(v: unknown, what: string, line: number): string {
  if ((typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '')) return String(v).trim();
  throw new DlkitError('INVALID_INPUT', `Row ${line}: missing or bad ${what} id ${JSON.stringify(v)}.`, { details: { row: line } });
}

function indexOf(ids: string[], id: string | number, what: 'user' | 'item'): number {
  const j = ids.indexOf(String(id));
  if (j < 0) {
    throw new DlkitError('NOT_FOUND', `Unknown ${what} id ${JSON.stringify(id)}: it is not in the training data (${ids.length} ${what}s, e.g. ${ids.slice(0, 3).join(', ')}).`, {
      hint: what === 'user' ? 'Use an id from the training data, or a model with side features (two-tower) for cold-start users.' : 'Use an item id from the training data.',
      details: { [what]: id },
    });
  }
  return j;
}

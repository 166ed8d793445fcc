/**
 * Internal plumbing for Dataset: elements travel in chunks (plain arrays) so a 60k-element
 * in-memory pipeline pays one promise per chunk, not one per element. A stage whose function
 * returns promises is awaited per chunk (Promise.all), which also gives bounded concurrency
 * for async decoders (sharp, fs) equal to the chunk size.
 */

/** Default chunk length for array-backed sources. */
export const CHUNK = 128;

export type MaybePromise<T> = T | Promise<T>;

export function isPromiseLike<T>(v: unknown): v is PromiseLike<T> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<T>).then === 'function';
}

/** Resolve an array whose items may be promises; stays synchronous when none are. */
export function settleChunk<T>(items: MaybePromise<T>[]): MaybePromise<T[]> {
  for (let i = 0; i < items.length; i++) {
    if (isPromiseLike(items[i])) return Promise.all(items);
  }
  return items as T[];
}

/** Random access source: array-backed and map-of-array datasets keep this so shuffle/split/take are O(1) per element. */
export interface Indexed<T> {
  length: number;
  get(i: number): MaybePromise<T>;
}

export async function* indexedChunks<T>(src: Indexed<T>, order?: ArrayLike<number>, chunk = CHUNK): AsyncGenerator<T[]> {
  const n = order ? order.length : src.length;
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const items: MaybePromise<T>[] = new Array(end - start);
    for (let i = start; i < end; i++) items[i - start] = src.get(order ? order[i]! : i);
    const settled = settleChunk(items);
    yield isPromiseLike(settled) ? await settled : settled;
  }
}

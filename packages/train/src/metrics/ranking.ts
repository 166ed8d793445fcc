/**
 * Ranking metrics for recommenders and retrieval. One query: `ranked` is the recommended item
 * list (best first), `relevant` the set of relevant items (or a Map item → graded gain for
 * NDCG). Several queries: pass arrays of both; the result is the mean over queries.
 */
import { checkInt, DlkitError } from '@dlkit/core';

export type Relevant<T> = Iterable<T> | Map<T, number>;

function gains<T>(relevant: Relevant<T>): Map<T, number> {
  if (relevant instanceof Map) return relevant;
  const m = new Map<T, number>();
  for (const r of relevant) m.set(r, 1);
  return m;
}

function multi<T>(
  ranked: readonly T[] | readonly (readonly T[])[],
  relevant: Relevant<T> | readonly Relevant<T>[],
  k: number,
  one: (r: readonly T[], g: Map<T, number>, k: number) => number,
  name: string,
): number {
  checkInt('k', k, 1);
  const isMulti = ranked.length > 0 && Array.isArray(ranked[0]);
  if (!isMulti) return one(ranked as readonly T[], gains(relevant as Relevant<T>), k);
  const rel = relevant as readonly Relevant<T>[];
  if (!Array.isArray(rel) || rel.length !== ranked.length) {
    throw new DlkitError('SHAPE_MISMATCH', `${name}: ${ranked.length} ranked lists need as many relevant sets; got ${Array.isArray(rel) ? rel.length : 'one'}.`);
  }
  let s = 0;
  ranked.forEach((r, i) => {
    s += one(r as readonly T[], gains(rel[i]!), k);
  });
  return s / ranked.length;
}

function hits<T>(r: readonly T[], g: Map<T, number>, k: number): number {
  let h = 0;
  for (const item of r.slice(0, k)) if ((g.get(item) ?? 0) > 0) h++;
  return h;
}

/** |top-k ∩ relevant| / k. */
export function precisionAtK<T>(ranked: readonly T[] | readonly (readonly T[])[], relevant: Relevant<T> | readonly Relevant<T>[], k: number): number {
  return multi(ranked, relevant, k, (r, g, kk) => hits(r, g, kk) / kk, 'precisionAtK');
}

/** |top-k ∩ relevant| / |relevant| (0 when nothing is relevant). */
export function recallAtK<T>(ranked: readonly T[] | readonly (readonly T[])[], relevant: Relevant<T> | readonly Relevant<T>[], k: number): number {
  return multi(
    ranked,
    relevant,
    k,
    (r, g, kk) => {
      const n = [...g.values()].filter((v) => v > 0).length;
      return n === 0 ? 0 : hits(r, g, kk) / n;
    },
    'recallAtK',
  );
}

/** NDCG@k with linear gains: DCG = Σ gain_i / log2(i + 2), normalised by the ideal ordering. */
export function ndcgAtK<T>(ranked: readonly T[] | readonly (readonly T[])[], relevant: Relevant<T> | readonly Relevant<T>[], k: number): number {
  return multi(
    ranked,
    relevant,
    k,
    (r, g, kk) => {
      let dcg = 0;
      r.slice(0, kk).forEach((item, i) => {
        dcg += (g.get(item) ?? 0) / Math.log2(i + 2);
      });
      const ideal = [...g.values()].sort((a, b) => b - a).slice(0, kk);
      let idcg = 0;
      ideal.forEach((v, i) => {
        idcg += v / Math.log2(i + 2);
      });
      return idcg === 0 ? 0 : dcg / idcg;
    },
    'ndcgAtK',
  );
}

/**
 * Evaluation of a fitted model on held-out interactions: rating error (RMSE, MAE) for explicit
 * models and top-k ranking (precision, recall, HR, NDCG, MAP) with the user's training items
 * excluded from the candidates, plus catalogue coverage. Ranking metrics reuse @dlkit/train's.
 */
import { checkInt } from '@dlkit/core';
import { mae, ndcgAtK, precisionAtK, recallAtK, rmse } from '@dlkit/train';
import type { Interactions } from './interactions.js';
import type { RecModel } from './models/types.js';
import { topK } from './topk.js';

export interface RatingMetrics {
  rmse: number;
  mae: number;
}

export interface RankingMetrics {
  k: number;
  precision: number;
  recall: number;
  /** Hit rate: fraction of users with at least one relevant item in their top k. */
  hr: number;
  ndcg: number;
  map: number;
  /** Distinct items recommended to anyone / catalogue size. */
  coverage: number;
  users: number;
}

export interface EvaluateOptions {
  /** Cut-off for ranking metrics (default 10). */
  k?: number;
  /** Test items with rating ≥ this are relevant (default: all test items, i.e. implicit). */
  relevantThreshold?: number;
  /** Users scored per batch (default 256). */
  batchUsers?: number;
}

export async function ratingMetrics(model: RecModel, test: Interactions): Promise<RatingMetrics> {
  const pred = await model.predict(test.users, test.items);
  return { rmse: rmse(test.ratings, pred), mae: mae(test.ratings, pred) };
}

/** Average precision@k of one ranked list. */
function averagePrecision(ranked: number[], relevant: Set<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranked.slice(0, k).forEach((item, j) => {
    if (relevant.has(item)) {
      hits++;
      sum += hits / (j + 1);
    }
  });
  return sum / Math.min(relevant.size, k);
}

export async function rankingMetrics(model: RecModel, train: Interactions, test: Interactions, options: EvaluateOptions = {}): Promise<RankingMetrics> {
  const k = checkInt('k', options.k ?? 10, 1);
  const batch = checkInt('batchUsers', options.batchUsers ?? 256, 1);
  const seen = train.itemsByUser();
  const relevant = Array.from({ length: test.numUsers }, () => new Set<number>());
  for (let j = 0; j < test.size; j++) {
    if (options.relevantThreshold === undefined || test.ratings[j]! >= options.relevantThreshold) relevant[test.users[j]!]!.add(test.items[j]!);
  }
  const users = relevant.flatMap((s, u) => (s.size ? [u] : []));
  const ranked: number[][] = [];
  const rel: Set<number>[] = [];
  const recommended = new Set<number>();
  const nI = train.numItems;
  for (let b = 0; b < users.length; b += batch) {
    const chunk = Int32Array.from(users.slice(b, b + batch));
    const scores = await model.scoreUsers(chunk);
    chunk.forEach((u, r) => {
      const top = topK(scores.subarray(r * nI, (r + 1) * nI), k, seen[u]);
      for (const i of top) recommended.add(i);
      ranked.push(top);
      rel.push(relevant[u]!);
    });
  }
  if (users.length === 0) return { k, precision: 0, recall: 0, hr: 0, ndcg: 0, map: 0, coverage: 0, users: 0 };
  return {
    k,
    precision: precisionAtK<number>(ranked, rel, k),
    recall: recallAtK<number>(ranked, rel, k),
    hr: ranked.filter((r, j) => r.some((i) => rel[j]!.has(i))).length / ranked.length,
    ndcg: ndcgAtK<number>(ranked, rel, k),
    map: ranked.reduce((s, r, j) => s + averagePrecision(r, rel[j]!, k), 0) / ranked.length,
    coverage: recommended.size / nI,
    users: users.length,
  };
}

/** Mean and (sample) standard deviation, as k-fold reports give them. */
export function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std };
}

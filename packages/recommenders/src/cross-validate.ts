/**
 * k-fold cross-validation (explicit models: RMSE/MAE mean ± std over folds, Surprise's protocol)
 * and the leave-last-out ranking protocol for implicit models.
 */
import { checkInt } from '@dlkit/core';
import { meanStd, type RankingMetrics } from './evaluate.js';
import type { Interactions } from './interactions.js';
import { EXPLICIT_TYPES, type ModelType } from './models/types.js';
import { Recommender } from './recommender.js';
import { kFold, leaveLastOut } from './splits.js';

export interface CrossValidateOptions {
  modelType?: ModelType;
  model?: Record<string, unknown>;
  folds?: number;
  seed?: number;
  /** Called after each fold. */
  onFold?: (fold: number, metrics: Record<string, number>) => void;
}

export interface CrossValidateResult {
  modelType: ModelType;
  rmse: number;
  rmseStd: number;
  mae: number;
  maeStd: number;
  folds: number;
  perFold: { rmse: number; mae: number; trainSeconds: number }[];
  wallTimeS: number;
}

export async function crossValidate(data: Interactions, options: CrossValidateOptions = {}): Promise<CrossValidateResult> {
  const modelType = options.modelType ?? 'svdpp';
  if (!EXPLICIT_TYPES.includes(modelType)) throw new Error(`crossValidate reports rating error; ${modelType} is an implicit model (use leaveLastOutEval).`);
  const folds = checkInt('folds', options.folds ?? 5, 2);
  const seed = options.seed ?? 0;
  const t0 = performance.now();
  const perFold: CrossValidateResult['perFold'] = [];
  for (const [f, split] of kFold(data, folds, seed).entries()) {
    const rec = new Recommender({ modelType, model: options.model, seed: seed + f });
    try {
      await rec.fit(split.train);
      const r = await rec.evaluate(split);
      const m = { rmse: r.rmse!, mae: r.mae!, trainSeconds: +rec.wallTime.toFixed(2) };
      perFold.push(m);
      options.onFold?.(f + 1, m);
    } finally {
      rec.dispose();
    }
  }
  const rmse = meanStd(perFold.map((p) => p.rmse));
  const mae = meanStd(perFold.map((p) => p.mae));
  return { modelType, rmse: rmse.mean, rmseStd: rmse.std, mae: mae.mean, maeStd: mae.std, folds, perFold, wallTimeS: +((performance.now() - t0) / 1000).toFixed(2) };
}

export interface ImplicitEvalOptions {
  modelTypes?: ModelType[];
  model?: Record<string, unknown>;
  k?: number;
  seed?: number;
  onModel?: (type: ModelType, metrics: RankingMetrics & { trainSeconds: number }) => void;
}

/**
 * Leave-last-out: each user's latest interaction is held out; every model ranks the whole
 * catalogue minus the user's training items; HR@k / NDCG@k against that one item.
 */
export async function leaveLastOutEval(data: Interactions, options: ImplicitEvalOptions = {}): Promise<Record<string, RankingMetrics & { trainSeconds: number }>> {
  const types = options.modelTypes ?? ['popularity', 'bpr', 'two-tower'];
  const split = leaveLastOut(data);
  const out: Record<string, RankingMetrics & { trainSeconds: number }> = {};
  for (const modelType of types) {
    const rec = new Recommender({ modelType, model: options.model, seed: options.seed ?? 0 });
    try {
      await rec.fit(split.train);
      const r = await rec.evaluate(split, { k: options.k ?? 10, ranking: true });
      out[modelType] = { ...r.ranking!, trainSeconds: +rec.wallTime.toFixed(2) };
      options.onModel?.(modelType, out[modelType]!);
    } finally {
      rec.dispose();
    }
  }
  return out;
}

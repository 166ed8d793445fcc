/**
 * Recommender: one model plus everything that turns indices into answers — original ids,
 * titles, the items each user already rated (excluded from recommendations), evaluation and
 * save/load. `Recommender.create({ modelType })` → `fit(interactions)` → `recommend(userId)`.
 */
import { checkInt, DlkitError, invalidOption } from '@dlkit/core';
import { type EvaluateOptions, type RankingMetrics, type RatingMetrics, rankingMetrics, ratingMetrics } from './evaluate.js';
import type { Interactions, SideInfo } from './interactions.js';
import { createModel } from './models/create.js';
import { EXPLICIT_TYPES, type FitOptions, type ModelType, type RecModel } from './models/types.js';
import type { SaveExtra } from './node/save.js';
import type { Split } from './splits.js';
import { topK } from './topk.js';

export interface RecommenderOptions {
  /** Default 'svdpp' (the best explicit model here); see MODEL_TYPES. */
  modelType?: ModelType;
  /** Options of the model (factors, l2, steps, learningRate, ...). */
  model?: Record<string, unknown>;
  seed?: number;
}

export interface Recommendation {
  item: string;
  title?: string;
  score: number;
}

export interface RecommendOptions {
  k?: number;
  /** Items to leave out (original ids); the user's training items are always left out unless includeSeen. */
  exclude?: Iterable<string | number>;
  includeSeen?: boolean;
}

export type EvaluationReport = Partial<RatingMetrics> & { ranking?: RankingMetrics };

/** What a fitted Recommender remembers about the training data (saved in the model card). */
export interface RecommenderState {
  userIds: string[];
  itemIds: string[];
  side: SideInfo;
  ratingRange: [number, number];
  /** Items each user interacted with in training, by dense index. */
  seen: number[][];
}

export class Recommender {
  readonly modelType: ModelType;
  readonly model: RecModel;
  state?: RecommenderState;
  private userIndexMap?: Map<string, number>;
  private itemIndexMap?: Map<string, number>;
  private seenSets?: Set<number>[];
  wallTime = 0;

  constructor(options: RecommenderOptions = {}, model?: RecModel) {
    this.modelType = options.modelType ?? 'svdpp';
    this.model = model ?? createModel(this.modelType, { ...options.model, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  }

  static async create(options: RecommenderOptions = {}): Promise<Recommender> {
    return new Recommender(options);
  }

  get explicit(): boolean {
    return EXPLICIT_TYPES.includes(this.modelType);
  }

  async fit(interactions: Interactions, options: FitOptions = {}): Promise<this> {
    const t0 = performance.now();
    await this.model.fit(interactions, options);
    this.wallTime = (performance.now() - t0) / 1000;
    const seen = interactions.itemsByUser();
    this.setState({
      userIds: interactions.userIds,
      itemIds: interactions.itemIds,
      side: interactions.side,
      ratingRange: interactions.ratingRange,
      seen: seen.map((s) => [...s].sort((a, b) => a - b)),
    });
    return this;
  }

  /** @internal used by fit and load. */
  setState(state: RecommenderState): void {
    this.state = state;
    this.userIndexMap = new Map(state.userIds.map((id, j) => [id, j]));
    this.itemIndexMap = new Map(state.itemIds.map((id, j) => [id, j]));
    this.seenSets = state.seen.map((s) => new Set(s));
  }

  private require(): RecommenderState {
    if (!this.state) throw new DlkitError('STATE', 'This Recommender is not fitted.', { hint: 'Call fit(interactions) or Recommender.load(dir) first.' });
    return this.state;
  }

  userIndex(id: string | number): number {
    const s = this.require();
    const j = this.userIndexMap!.get(String(id));
    if (j === undefined) {
      throw new DlkitError('NOT_FOUND', `Unknown user id ${JSON.stringify(id)}: not in the training data (${s.userIds.length} users, ids like ${s.userIds.slice(0, 3).join(', ')}).`, {
        hint: 'Use a user id from the training data.',
        details: { user: id },
      });
    }
    return j;
  }

  itemIndex(id: string | number): number {
    const s = this.require();
    const j = this.itemIndexMap!.get(String(id));
    if (j === undefined) {
      throw new DlkitError('NOT_FOUND', `Unknown item id ${JSON.stringify(id)}: not in the training data (${s.itemIds.length} items, ids like ${s.itemIds.slice(0, 3).join(', ')}).`, {
        hint: 'Use an item id from the training data (findItems(title) looks ids up by title).',
        details: { item: id },
      });
    }
    return j;
  }

  /** Items whose title contains `query` (case-insensitive), as original ids. */
  findItems(query: string): { item: string; title: string }[] {
    const s = this.require();
    const q = query.toLowerCase();
    const titles = s.side.itemTitles ?? [];
    return titles.flatMap((t, j) => (t.toLowerCase().includes(q) ? [{ item: s.itemIds[j]!, title: t }] : []));
  }

  private describe(j: number, score: number): Recommendation {
    const s = this.require();
    const title = s.side.itemTitles?.[j];
    return { item: s.itemIds[j]!, ...(title ? { title } : {}), score };
  }

  /** Top-k items for a user, excluding what they rated in training (and `exclude`). */
  async recommend(userId: string | number, options: RecommendOptions = {}): Promise<Recommendation[]> {
    const k = checkInt('k', options.k ?? 10, 1);
    const u = this.userIndex(userId);
    const exclude = new Set(options.includeSeen ? [] : this.seenSets![u]);
    for (const id of options.exclude ?? []) exclude.add(this.itemIndex(id));
    const scores = await this.model.scoreUsers(Int32Array.of(u));
    return topK(scores, k, exclude).map((j) => this.describe(j, scores[j]!));
  }

  /**
   * The k items closest to `itemId` by cosine similarity of the model's item vectors. Items with
   * fewer than `minRatings` training interactions (default 20) are left out: their vectors are
   * mostly regularisation noise, and cosine ignores how little evidence is behind them.
   */
  async similarItems(itemId: string | number, k = 10, options: { minRatings?: number } = {}): Promise<Recommendation[]> {
    checkInt('k', k, 1);
    const minRatings = checkInt('minRatings', options.minRatings ?? 20, 0);
    const i = this.itemIndex(itemId);
    const vec = await this.model.itemVectors();
    if (!vec) throw new DlkitError('UNSUPPORTED', `Model type ${this.modelType} has no item vectors, so it cannot find similar items.`, { hint: 'Use svdpp, mf, bpr, neumf or two-tower.' });
    const { data, dim } = vec;
    const n = data.length / dim;
    const norms = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[j * dim + d]! ** 2;
      norms[j] = Math.sqrt(s) || 1;
    }
    const sims = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[j * dim + d]! * data[i * dim + d]!;
      sims[j] = s / (norms[j]! * norms[i]!);
    }
    const counts = new Int32Array(n);
    for (const items of this.state!.seen) for (const j of items) counts[j]!++;
    const exclude = new Set([i]);
    for (let j = 0; j < n; j++) if (counts[j]! < minRatings) exclude.add(j);
    return topK(sims, k, exclude).map((j) => this.describe(j, sims[j]!));
  }

  /** Predicted rating (explicit models) or score of one (user, item) pair. */
  async predictRating(userId: string | number, itemId: string | number): Promise<number> {
    const out = await this.model.predict(Int32Array.of(this.userIndex(userId)), Int32Array.of(this.itemIndex(itemId)));
    return out[0]!;
  }

  /**
   * Metrics on a split's test part (or any interactions sharing this model's id maps): RMSE/MAE
   * for explicit models, and ranking metrics @k with training items excluded.
   */
  async evaluate(split: Split | Interactions, options: EvaluateOptions & { ranking?: boolean } = {}): Promise<EvaluationReport> {
    this.require();
    const test = 'test' in split ? split.test : split;
    const train = 'train' in split ? split.train : undefined;
    if (test.userIds !== this.state!.userIds && test.userIds.join() !== this.state!.userIds.join()) {
      throw invalidOption('split', 'interactions with other id maps', 'a split of the same Interactions the model was fitted on');
    }
    const report: EvaluationReport = {};
    if (this.explicit) Object.assign(report, await ratingMetrics(this.model, test));
    if (options.ranking ?? !this.explicit) {
      const seenTrain = train ?? this.seenAsInteractions(test);
      report.ranking = await rankingMetrics(this.model, seenTrain, test, options);
    }
    return report;
  }

  /** Training items as Interactions (only users/items matter for exclusion). */
  private seenAsInteractions(like: Interactions): Interactions {
    const users: number[] = [];
    const items: number[] = [];
    this.state!.seen.forEach((s, u) => {
      for (const i of s) {
        users.push(u);
        items.push(i);
      }
    });
    const n = users.length;
    return new (like.constructor as typeof Interactions)(Int32Array.from(users), Int32Array.from(items), new Float32Array(n), new Float64Array(n), like.userIds, like.itemIds, like.side, like.ratingRange);
  }

  /** Saves weights + model card (id maps, titles, seen items, hyperparameters). Node only. */
  async save(dir: string, extra: SaveExtra = {}): Promise<void> {
    const { saveRecommender } = await import('./node/save.js');
    await saveRecommender(this, dir, extra);
  }

  static async load(dir: string): Promise<Recommender> {
    const { loadRecommender } = await import('./node/save.js');
    return loadRecommender(dir);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * What the `dlkit recommend` verbs do, as plain functions (scripts and tests call the same ones,
 * so a model card's command is re-runnable either way).
 */
import { checkInt, DlkitError, invalidOption, ready } from '@dlkit/core';
import { crossValidate, leaveLastOutEval } from '../cross-validate.js';
import type { DuplicatePolicy, Interactions } from '../interactions.js';
import { EXPLICIT_TYPES, type ModelType } from '../models/types.js';
import { Recommender } from '../recommender.js';
import { kFold } from '../splits.js';
import { type CsvInteractionsOptions, loadInteractions } from './load.js';

type Opts = Record<string, unknown>;
type Log = ((msg: string) => void) | undefined;

/** CLI hyperparameter flags → model options (only the ones given). */
export function modelOptionsFrom(opts: Opts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (opts.factors !== undefined) out.factors = opts.factors;
  if (opts.steps !== undefined) out.steps = opts.steps;
  if (opts.l2 !== undefined) out.l2 = opts.l2;
  if (opts.lr !== undefined) out.learningRate = opts.lr;
  return out;
}

function csvOptionsFrom(opts: Opts): CsvInteractionsOptions {
  const out: CsvInteractionsOptions = {};
  if (opts.duplicates !== undefined) out.duplicates = opts.duplicates as DuplicatePolicy;
  if (opts.ratingRange !== undefined) {
    const r = (opts.ratingRange as string[]).map(Number);
    if (r.length !== 2 || r.some((x) => !Number.isFinite(x))) throw invalidOption('--rating-range', (opts.ratingRange as string[]).join(','), 'two numbers MIN,MAX, e.g. 1,5');
    out.ratingRange = r as [number, number];
  }
  return out;
}

/** The held-out fold a trained model is scored on (recorded in its card so eval --model can redo it). */
export interface HeldOut {
  data: string;
  folds: number;
  fold: number;
  seed: number;
}

function heldOutSplit(data: Interactions, h: HeldOut) {
  checkInt('folds', h.folds, 2);
  checkInt('fold', h.fold, 1, h.folds);
  return kFold(data, h.folds, h.seed)[h.fold - 1]!;
}

export async function trainCommand(opts: Opts, log: Log, command?: string): Promise<Record<string, unknown>> {
  const backend = await ready();
  const dataName = (opts.data as string | undefined) ?? 'ml-100k';
  const modelType = ((opts.modelType as string | undefined) ?? 'svdpp') as ModelType;
  const seed = checkInt('seed', (opts.seed as number | undefined) ?? 0);
  const folds = checkInt('folds', (opts.folds as number | undefined) ?? 5, 0);
  const fold = checkInt('fold', (opts.fold as number | undefined) ?? 1, 1);
  const out = (opts.out as string | undefined) ?? 'recommender';
  const data = await loadInteractions(dataName, csvOptionsFrom(opts));
  const heldOut: HeldOut | undefined = folds >= 2 ? { data: dataName, folds, fold, seed } : undefined;
  const split = heldOut ? heldOutSplit(data, heldOut) : undefined;
  const train = split?.train ?? data;
  log?.(`Training ${modelType} on ${train.size} interactions (${data.numUsers} users, ${data.numItems} items; backend ${backend.selected})${heldOut ? `, holding out fold ${fold}/${folds}` : ''}.`);
  const rec = new Recommender({ modelType, model: modelOptionsFrom(opts), seed });
  try {
    await rec.fit(train, { seed });
    const metrics: Record<string, number> = {};
    if (split) {
      const r = await rec.evaluate(split, { k: 10, ranking: true, ...(rec.explicit ? { relevantThreshold: 4 } : {}) });
      if (r.rmse !== undefined) Object.assign(metrics, { rmse: r.rmse, mae: r.mae! });
      for (const [k, v] of Object.entries(r.ranking ?? {})) if (k !== 'k' && k !== 'users') metrics[`${k}@10`] = v as number;
    }
    await rec.save(out, {
      command: command ?? `pnpm dlkit recommend train --data ${dataName} --model-type ${modelType} --folds ${folds} --fold ${fold} --seed ${seed} --out ${out}${hyperFlags(opts)}`,
      metrics,
      backend: backend.selected,
      dataset: { name: dataName, split: heldOut ? `kfold ${fold}/${folds} (seed ${seed}) train part` : 'all', examples: train.size },
      extra: { heldOut, relevantThreshold: rec.explicit ? 4 : undefined },
    });
    log?.(`Saved to ${out}${metrics.rmse !== undefined ? `: held-out RMSE ${metrics.rmse.toFixed(4)}, MAE ${metrics.mae!.toFixed(4)}` : ''} (${rec.wallTime.toFixed(1)} s).`);
    return { modelType, data: dataName, out, backend: backend.selected, trainSeconds: +rec.wallTime.toFixed(2), interactions: train.size, ...metrics };
  } finally {
    rec.dispose();
  }
}

function hyperFlags(opts: Opts): string {
  const flags: [string, string][] = [
    ['factors', '--factors'],
    ['steps', '--steps'],
    ['l2', '--l2'],
    ['lr', '--lr'],
  ];
  return flags.map(([k, f]) => (opts[k] !== undefined ? ` ${f} ${opts[k]}` : '')).join('');
}

export async function evalCommand(opts: Opts, log: Log): Promise<Record<string, unknown>> {
  const backend = await ready();
  if (typeof opts.model === 'string') return evalSaved(opts.model, log);
  const dataName = (opts.data as string | undefined) ?? 'ml-100k';
  const modelType = ((opts.modelType as string | undefined) ?? 'svdpp') as ModelType;
  const seed = checkInt('seed', (opts.seed as number | undefined) ?? 0);
  const data = await loadInteractions(dataName, csvOptionsFrom(opts));
  const t0 = performance.now();
  if (EXPLICIT_TYPES.includes(modelType)) {
    const folds = checkInt('folds', (opts.folds as number | undefined) ?? 5, 2);
    log?.(`${folds}-fold cross-validation of ${modelType} on ${dataName} (${data.size} ratings, backend ${backend.selected}).`);
    const r = await crossValidate(data, {
      modelType,
      model: modelOptionsFrom(opts),
      folds,
      seed,
      onFold: (f, m) => log?.(`  fold ${f}/${folds}: RMSE ${m.rmse!.toFixed(4)}  MAE ${m.mae!.toFixed(4)}  (${m.trainSeconds} s)`),
    });
    log?.(`RMSE ${r.rmse.toFixed(4)} ± ${r.rmseStd.toFixed(4)}, MAE ${r.mae.toFixed(4)} ± ${r.maeStd.toFixed(4)} in ${r.wallTimeS} s.`);
    return { data: dataName, backend: backend.selected, ...r };
  }
  const k = checkInt('k', (opts.k as number | undefined) ?? 10, 1);
  const types: ModelType[] = modelType === 'popularity' ? ['popularity'] : ['popularity', modelType];
  log?.(`Leave-last-out on ${dataName}: ${types.join(' vs ')}, HR@${k} / NDCG@${k} over the full catalogue (seen items excluded).`);
  const r = await leaveLastOutEval(data, {
    modelTypes: types,
    model: modelOptionsFrom(opts),
    k,
    seed,
    onModel: (t, m) => log?.(`  ${t.padEnd(10)} HR@${k} ${m.hr.toFixed(4)}  NDCG@${k} ${m.ndcg.toFixed(4)}  coverage ${m.coverage.toFixed(3)}  (${m.trainSeconds} s)`),
  });
  const main = r[modelType]!;
  return {
    data: dataName,
    backend: backend.selected,
    modelType,
    protocol: 'leave-last-out',
    k,
    hr: main.hr,
    ndcg: main.ndcg,
    baseline: { popularity: { hr: r.popularity!.hr, ndcg: r.popularity!.ndcg } },
    beatsPopularity: modelType === 'popularity' ? false : main.hr > r.popularity!.hr && main.ndcg > r.popularity!.ndcg,
    models: r,
    wallTimeS: +((performance.now() - t0) / 1000).toFixed(2),
  };
}

/** Re-score a saved model on the fold it held out (recorded in its card). */
async function evalSaved(dir: string, log: Log): Promise<Record<string, unknown>> {
  const { readModelCard } = await import('@dlkit/core/node');
  const card = await readModelCard(dir);
  const heldOut = (card.extra as { heldOut?: HeldOut } | undefined)?.heldOut;
  if (!heldOut) throw new DlkitError('INVALID_INPUT', `${dir} was trained on all its data (no held-out fold in model-card.json), so there is nothing to evaluate it on.`, { hint: 'Train with --folds K --fold I to keep a fold out.' });
  const rec = await Recommender.load(dir);
  try {
    const data = await loadInteractions(heldOut.data);
    const split = heldOutSplit(data, heldOut);
    const threshold = (card.extra as { relevantThreshold?: number }).relevantThreshold;
    const r = await rec.evaluate(split, { k: 10, ranking: true, ...(threshold !== undefined ? { relevantThreshold: threshold } : {}) });
    log?.(`${dir} on fold ${heldOut.fold}/${heldOut.folds} of ${heldOut.data}: ${r.rmse !== undefined ? `RMSE ${r.rmse.toFixed(4)}, MAE ${r.mae!.toFixed(4)}, ` : ''}NDCG@10 ${r.ranking!.ndcg.toFixed(4)}`);
    return { model: dir, modelType: rec.modelType, heldOut, ...r };
  } finally {
    rec.dispose();
  }
}

export async function recommendCommand(dir: string, user: string, k: number, log: Log): Promise<Record<string, unknown>> {
  await ready();
  const rec = await Recommender.load(dir);
  try {
    const items = await rec.recommend(user, { k });
    log?.(`Top ${k} for user ${user} (excluding the ${rec.state!.seen[rec.userIndex(user)]!.length} items they rated):`);
    items.forEach((r, j) => {
      log?.(`${String(j + 1).padStart(3)}. ${r.title ?? r.item}  (${r.score.toFixed(3)})`);
    });
    return { user, k, recommendations: items };
  } finally {
    rec.dispose();
  }
}

export async function similarCommand(dir: string, item: string | undefined, title: string | undefined, k: number, log: Log): Promise<Record<string, unknown>> {
  await ready();
  const rec = await Recommender.load(dir);
  try {
    let id = item;
    if (id === undefined) {
      if (!title) throw invalidOption('--item', item, 'an item id, or pass --title TEXT');
      const hits = rec.findItems(title);
      if (hits.length === 0) throw new DlkitError('NOT_FOUND', `No item title contains ${JSON.stringify(title)}.`, { hint: 'Try a shorter part of the title, or pass --item ID.' });
      id = hits[0]!.item;
    }
    const j = rec.itemIndex(id);
    const query = rec.state!.side.itemTitles?.[j] ?? id;
    const items = await rec.similarItems(id, k);
    log?.(`Items most similar to ${query}:`);
    items.forEach((r, n) => {
      log?.(`${String(n + 1).padStart(3)}. ${r.title ?? r.item}  (${r.score.toFixed(3)})`);
    });
    return { item: id, title: query, k, similar: items };
  } finally {
    rec.dispose();
  }
}

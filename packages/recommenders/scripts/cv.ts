/** Quick k-fold check of one model type with option overrides from env (for tuning). */
import { selectBackend } from '@dlkit/core';
import { ratingMetrics } from '../src/evaluate.js';
import { createModel } from '../src/models/create.js';
import { loadMovieLens } from '../src/node/load.js';
import { kFold } from '../src/splits.js';

await selectBackend('wasm');
const data = await loadMovieLens('ml-100k');
const type = process.env.T ?? 'svdpp';
const opts = JSON.parse(process.env.O ?? '{}');
const folds = kFold(data, 5, 0).slice(Number(process.env.F0 ?? 0), Number(process.env.F0 ?? 0) + Number(process.env.NF ?? 1));
for (const f of folds) {
  const t0 = performance.now();
  const m = createModel(type, opts);
  await m.fit(f.train, { seed: 0 });
  console.log(JSON.stringify({ type, opts, fold: f.name, ...(await ratingMetrics(m, f.test)), s: (performance.now() - t0) / 1000 }));
  m.dispose();
}

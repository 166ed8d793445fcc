/** Quick leave-last-out ranking check of implicit models (for tuning). */
import { selectBackend } from '@dlkit/core';
import { rankingMetrics } from '../src/evaluate.js';
import { createModel } from '../src/models/create.js';
import { loadMovieLens } from '../src/node/load.js';
import { leaveLastOut } from '../src/splits.js';

await selectBackend('wasm');
const data = await loadMovieLens('ml-100k');
const split = leaveLastOut(data);
for (const type of (process.env.T ?? 'popularity,bpr').split(',')) {
  const t0 = performance.now();
  const m = createModel(type, JSON.parse(process.env.O ?? '{}'));
  await m.fit(split.train, { seed: 0, onEpoch: (e, l) => e % 50 === 0 && console.error(type, e, l) });
  console.log(JSON.stringify({ type, ...(await rankingMetrics(m, split.train, split.test, { k: 10 })), s: (performance.now() - t0) / 1000 }));
  m.dispose();
}

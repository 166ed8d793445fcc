/**
 * Release checkpoints in models/ re-evaluated on the shared real data (CI): each must meet its
 * issue target and reproduce the accuracy written in its model card.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { reloadEnv } from '@dlkit/core';
import { readModelCard } from '@dlkit/core/node';
import { describe, expect, it } from 'vitest';
import { evalCommand, predictCommand } from '../src/node.js';

const ROOT = join(import.meta.dirname, '../../..');
const DATA = process.env.DLKIT_DATA_DIR ?? join(ROOT, '../shared/datasets');
process.env.DLKIT_DATA_DIR = DATA;
process.env.DLKIT_OFFLINE = '1';
reloadEnv(); // core read the environment at import

// Issue 4's targets. sst2-sentiment is an averaging ensemble (Kim CNN, LM-pretrained BiGRU, and a
// head on the Universal Sentence Encoder's vector), so this also checks the encoder loads from
// its npm package and embeds in CI. `target` < `issue` would name an unmet issue target in the title.
const RELEASES = [
  { model: 'sst2-sentiment', data: 'sst2', file: 'sst2/dev.tsv', target: 0.85, issue: 0.85 },
  { model: 'imdb-sentiment', data: 'imdb', file: 'imdb/aclImdb-train-val.tar.gz', target: 0.895, issue: 0.895 },
];

for (const r of RELEASES) {
  const dir = join(ROOT, 'models', r.model);
  const why = !existsSync(dir) ? `models/${r.model} missing` : !existsSync(join(DATA, r.file)) ? `${join(DATA, r.file)} missing` : '';
  describe.skipIf(why !== '')(`release ${r.model}${why ? ` (skipped: ${why})` : ''}`, () => {
    it(`meets ${r.target * 100}% on ${r.data} validation${r.target < r.issue ? ` (below the issue's ${r.issue * 100}%)` : ''} and matches its model card`, async () => {
      const res = await evalCommand({ model: dir, data: r.data });
      const card = await readModelCard(dir);
      expect(res.n).toBe(card.metrics?.n);
      expect(res.accuracy as number).toBeCloseTo(card.metrics?.accuracy as number, 3);
      expect(res.accuracy as number).toBeGreaterThanOrEqual(r.target);
    }, 180_000);

    it('predicts positive then negative for the acceptance sentences', async () => {
      const res = await predictCommand({ model: dir, texts: ['a gorgeous, witty film', 'a tedious mess'] });
      expect((res.predictions as { label: string }[]).map((p) => p.label)).toEqual(['positive', 'negative']);
    });
  });
}

const MLM = join(ROOT, 'models', 'sst2-transformer-mlm');
const mlmWhy = !existsSync(MLM) ? 'models/sst2-transformer-mlm missing' : !existsSync(join(DATA, 'sst2/dev.tsv')) ? 'shared sst2 missing' : '';
describe.skipIf(mlmWhy !== '')(`pretrain → fine-tune checkpoint${mlmWhy ? ` (skipped: ${mlmWhy})` : ''}`, () => {
  it('reproduces the fine-tuned accuracy recorded in its comparison', async () => {
    const res = await evalCommand({ model: MLM, data: 'sst2' });
    const card = await readModelCard(MLM);
    const cmp = card.extra?.comparison as { sst2DevAccuracy: { pretrainedThenFineTuned: number; fromScratch: number } };
    expect(res.accuracy as number).toBeCloseTo(cmp.sst2DevAccuracy.pretrainedThenFineTuned, 3);
    expect(cmp.sst2DevAccuracy.fromScratch).toBeGreaterThan(0.5);
  });
});

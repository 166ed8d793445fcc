// The committed checkpoint models/ml100k-recommender, evaluated on real MovieLens 100k data.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reloadEnv, selectBackend, tf } from '@dlkit/core';
import { readModelCard } from '@dlkit/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { Recommender } from '../src/index.js';
import { evalCommand, recommendCommand, similarCommand } from '../src/node.js';
import { DATA_DIR } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MODEL = `${ROOT}models/ml100k-recommender`;

/** `dlkit <args>` in a child process, as a user runs it. */
function dlkit(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(`${ROOT}node_modules/.bin/tsx`, [`${ROOT}apps/cli/src/bin.ts`, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DLKIT_PROGRESS: 'none' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const haveData = existsSync(`${DATA_DIR}/movielens/ml-100k/u.data`);
const haveModel = existsSync(`${MODEL}/model-card.json`);
if (!haveData) console.warn(`release tests skipped: MovieLens 100k not found under ${DATA_DIR} (set DLKIT_DATA_DIR)`);
if (!haveModel) console.warn(`release tests skipped: no checkpoint at ${MODEL}`);

describe.skipIf(!haveData || !haveModel)('models/ml100k-recommender', () => {
  beforeAll(async () => {
    process.env.DLKIT_DATA_DIR ??= DATA_DIR;
    reloadEnv(); // core reads DLKIT_* once at import
    await selectBackend('cpu');
  });

  it('re-evaluates to the RMSE in its card on the held-out fold, beating Surprise SVD++ (0.919)', async () => {
    const card = await readModelCard(MODEL);
    const before = tf.memory().numTensors;
    const r = (await evalCommand({ model: MODEL }, undefined)) as { rmse: number; mae: number };
    expect(r.rmse).toBeCloseTo(card.metrics!.rmse as number, 4);
    expect(r.mae).toBeCloseTo(card.metrics!.mae as number, 4);
    expect(r.rmse).toBeLessThan(0.919);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('recommends titles for user 42, none of which they rated', async () => {
    const rec = await Recommender.load(MODEL);
    const rated = new Set(rec.state!.seen[rec.userIndex('42')]!.map((j) => rec.state!.itemIds[j]));
    rec.dispose();
    const r = (await recommendCommand(MODEL, '42', 10, undefined)) as { recommendations: { item: string; title: string }[] };
    expect(r.recommendations).toHaveLength(10);
    for (const x of r.recommendations) {
      expect(rated.has(x.item)).toBe(false);
      expect(x.title).toMatch(/\(\d{4}\)$/);
    }
  });

  it('finds 1977–1983 sci-fi/adventure/action neighbours for Star Wars (1977)', async () => {
    const r = (await similarCommand(MODEL, undefined, 'Star Wars (1977)', 10, undefined)) as { item: string; similar: { item: string; title: string }[] };
    expect(r.item).toBe('50');
    const rec = await Recommender.load(MODEL);
    const s = rec.state!;
    const genres = s.side.genres!;
    const fits = r.similar.filter((x) => {
      const j = rec.itemIndex(x.item);
      const year = s.side.itemYears![j]!;
      const g = s.side.itemGenres![j]!.map((k) => genres[k]);
      return year >= 1977 && year <= 1983 && g.some((name) => name === 'Sci-Fi' || name === 'Adventure' || name === 'Action');
    });
    rec.dispose();
    expect(fits.length, r.similar.map((x) => x.title).join('; ')).toBeGreaterThanOrEqual(3);
  });

  it('is served by `dlkit recommend recommend` (JSON) and names an unknown user', () => {
    const ok = dlkit(['recommend', 'recommend', '--model', MODEL, '--user', '42', '--k', '5', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const out = JSON.parse(ok.stdout.trim().split('\n').at(-1)!) as { recommendations: { title: string }[] };
    expect(out.recommendations).toHaveLength(5);
    expect(out.recommendations[0]!.title).toMatch(/\(\d{4}\)$/);
    const bad = dlkit(['recommend', 'recommend', '--model', MODEL, '--user', 'nobody', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/Unknown user id "nobody"/);
  });
});

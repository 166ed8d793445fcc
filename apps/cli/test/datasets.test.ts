import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, encodeWav, listDatasets } from '@dlkit/data';
import sharp from 'sharp';
import tar from 'tar-stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasSharedDatasets, runCli, sharedDatasets } from './run-cli.js';

interface SplitJson {
  examples: number;
  expected: number;
  ok: boolean;
  classCounts?: Record<string, number>;
}

describe.skipIf(!hasSharedDatasets)(`datasets info on the real data (${hasSharedDatasets ? sharedDatasets : 'skipped: ../shared/datasets not found'})`, () => {
  const env = { DLKIT_DATA_DIR: sharedDatasets, DLKIT_OFFLINE: '1' };

  it('fashion-mnist --json: 60000/10000 examples, 10 classes of 6000/1000', async () => {
    const r = await runCli(['datasets', 'info', 'fashion-mnist', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const splits = r.json?.splits as Record<string, SplitJson>;
    expect(splits.train!.examples).toBe(60000);
    expect(splits.test!.examples).toBe(10000);
    expect(Object.values(splits.train!.classCounts!)).toEqual(Array(10).fill(6000));
    expect(Object.values(splits.test!.classCounts!)).toEqual(Array(10).fill(1000));
    expect(r.json?.classes).toHaveLength(10);
  });

  it.each(listDatasets().map((m) => m.name))('%s --json: every split counted and matching the manifest', async (name) => {
    const r = await runCli(['datasets', 'info', name, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json?.ok, String(r.json?.problems)).toBe(true);
    const splits = Object.values(r.json?.splits as Record<string, SplitJson>);
    expect(splits.length).toBeGreaterThan(0);
    for (const s of splits) {
      expect(s.examples).toBe(s.expected);
      expect(s.ok).toBe(true);
    }
  });

  it('datasets list --json names every registry dataset', async () => {
    const r = await runCli(['datasets', 'list', '--json']);
    expect(r.code).toBe(0);
    const names = ((r.json?.datasets ?? []) as { name: string }[]).map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['fashion-mnist', 'mnist', 'cifar10', 'sst2', 'imdb', 'sentiment-sentences', 'mr', 'fsdd', 'speech-commands', 'movielens-100k', 'movielens-latest-small']));
  });
});

/** A corrupt file gives exactly one `error:` line naming the file, and exit code 1. */
function expectOneLineError(r: { code: number; stderr: string }, file: RegExp): void {
  expect(r.code).toBe(1);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors, r.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(file);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

function tarBytes(files: { name: string; data: Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const f of files) pack.entry({ name: f.name }, f.data);
  pack.finalize();
  const chunks: Buffer[] = [];
  return new Promise((done, fail) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => done(Buffer.concat(chunks)));
    pack.on('error', fail);
  });
}

describe('corrupt dataset files: one-line error naming the file, non-zero exit', () => {
  let root: string;
  let jpeg: Buffer;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dlkit-cli-corrupt-'));
    jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 200, g: 10, b: 10 } } }).jpeg().toBuffer();
  });
  const env = () => ({ DLKIT_DATA_DIR: root, DLKIT_OFFLINE: '1', DLKIT_CACHE_DIR: join(root, 'cache') });

  it('IDX: a truncated labels file', async () => {
    const dir = join(root, 'fashion-mnist');
    mkdirSync(dir, { recursive: true });
    const labels = encodeIdx(new Uint8Array(20), [20]);
    const images = encodeIdx(new Uint8Array(20 * 28 * 28), [20, 28, 28]);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(labels.subarray(0, labels.length - 5)));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(images));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(images));
    const r = await runCli(['datasets', 'info', 'fashion-mnist'], env());
    expectOneLineError(r, /train-labels-idx1-ubyte\.gz/);
  });

  it('WAV: a truncated recording', async () => {
    const dir = join(root, 'fsdd', 'recordings');
    mkdirSync(dir, { recursive: true });
    const wav = encodeWav(new Float32Array(800).map((_, i) => Math.sin(i / 5)), 8000, { bits: 16 });
    writeFileSync(join(dir, '0_alice_0.wav'), wav);
    writeFileSync(join(dir, '1_alice_0.wav'), wav.subarray(0, 100));
    const r = await runCli(['datasets', 'info', 'fsdd', '--verify'], env());
    expectOneLineError(r, /1_alice_0\.wav/);
  });

  it('JPEG: a truncated image inside the CIFAR-10 tar', async () => {
    const dir = join(root, 'cifar-10');
    mkdirSync(dir, { recursive: true });
    const archive = await tarBytes([
      { name: 'train/airplane/0001.jpg', data: jpeg },
      { name: 'train/cat/0001.jpg', data: jpeg.subarray(0, Math.floor(jpeg.length / 2)) },
    ]);
    writeFileSync(join(dir, 'train-1000-per-class.tar'), archive);
    const r = await runCli(['datasets', 'info', 'cifar10', '--verify'], env());
    expectOneLineError(r, /cat\/0001\.jpg/);
  });

  it('tar: a truncated archive', async () => {
    const dir = join(root, 'cifar-10');
    mkdirSync(dir, { recursive: true });
    const archive = await tarBytes([
      { name: 'train/airplane/0001.jpg', data: jpeg },
      { name: 'train/airplane/0002.jpg', data: jpeg },
    ]);
    writeFileSync(join(dir, 'train-1000-per-class.tar'), archive.subarray(0, 700));
    const r = await runCli(['datasets', 'info', 'cifar10'], env());
    expectOneLineError(r, /train-1000-per-class\.tar/);
  });

  it('an unknown dataset name: error listing the known names', async () => {
    const r = await runCli(['datasets', 'info', 'no-such-dataset'], env());
    expectOneLineError(r, /fashion-mnist/);
  });
});

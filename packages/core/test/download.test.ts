/**
 * download / resolveAsset / http loadModel against a local HTTP server (127.0.0.1, port 0):
 * checksum, resume with Range, servers ignoring Range, dropped connections, 404, offline mode,
 * lookup order dataDir → cache → download.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DlkitError, env, type ProgressEvent, Rng, selectBackend, tf } from '../src/index.js';
import { type AssetSpec, download, loadModel, locateAsset, resolveAsset, saveModel, sha256Bytes, sha256File } from '../src/node.js';
import { startServer, type TestServer } from './fixtures/http-server.js';
import { predictBytes, rejection, seededInput, smallSequential, tempDir } from './fixtures/io-helpers.js';

function randomBytes(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}


const DATA = randomBytes(300_000, 42);
const SHA = sha256Bytes(DATA);
let server: TestServer;
let root: string;
let saved: typeof env;

beforeAll(async () => {
  server = await startServer();
  server.files.set('/data.bin', { body: DATA });
  server.files.set('/norange.bin', { body: DATA, range: false });
  root = tempDir('dlkit-dl-');
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  saved = { ...env };
  env.offline = false;
  env.allowRemoteModels = true;
  server.requests.length = 0;
});
afterEach(() => {
  Object.assign(env, saved);
});

describe('download', () => {
  it('downloads, verifies sha256 and size, reports progress, leaves no .part', async () => {
    const dest = join(root, 'ok', 'data.bin');
    const events: ProgressEvent[] = [];
    const out = await download(server.url('/data.bin'), dest, { sha256: SHA, size: DATA.length, progress: { label: 'dl', mode: (e) => events.push(e) } });
    expect(out).toBe(dest);
    expect(Buffer.from(readFileSync(dest)).equals(Buffer.from(DATA))).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(events.at(-1)).toMatchObject({ current: DATA.length, total: DATA.length, done: true });
    expect(server.requests).toEqual([{ path: '/data.bin', range: undefined }]);
  });

  it('resumes an existing .part with a Range request', async () => {
    const dest = join(root, 'resume', 'data.bin');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(`${dest}.part`, DATA.subarray(0, 123_456));
    await download(server.url('/data.bin'), dest, { sha256: SHA, progress: false });
    expect(server.requests).toEqual([{ path: '/data.bin', range: 'bytes=123456-' }]);
    expect(await sha256File(dest)).toBe(SHA);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('restarts from zero when the server ignores Range (200), discarding a bad .part prefix', async () => {
    const dest = join(root, 'norange', 'data.bin');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(`${dest}.part`, new Uint8Array(5000).fill(7)); // garbage: appending to it would corrupt the file
    await download(server.url('/norange.bin'), dest, { sha256: SHA, progress: false });
    expect(server.requests[0]).toEqual({ path: '/norange.bin', range: 'bytes=5000-' });
    expect(await sha256File(dest)).toBe(SHA);
  });

  it('a resumed .part whose prefix is stale fails verification once, then re-downloads from scratch', async () => {
    const dest = join(root, 'stale', 'data.bin');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(`${dest}.part`, new Uint8Array(5000).fill(7));
    await download(server.url('/data.bin'), dest, { sha256: SHA, progress: false });
    expect(server.requests.map((r) => r.range)).toEqual(['bytes=5000-', undefined]);
    expect(await sha256File(dest)).toBe(SHA);
  });

  it('resumes after the connection drops mid-body', async () => {
    server.files.set('/flaky.bin', { body: DATA, dropAfter: 100_000, dropTimes: 1 });
    const dest = join(root, 'flaky', 'data.bin');
    await download(server.url('/flaky.bin'), dest, { sha256: SHA, progress: false });
    expect(server.requests.map((r) => r.range)).toEqual([undefined, 'bytes=100000-']);
    expect(await sha256File(dest)).toBe(SHA);
  });

  it('checksum mismatch → CHECKSUM_MISMATCH naming url, expected and actual; no dest, no .part', async () => {
    const dest = join(root, 'bad', 'data.bin');
    const wrong = createHash('sha256').update('something else').digest('hex');
    const err = await rejection(download(server.url('/data.bin'), dest, { sha256: wrong, progress: false }));
    expect(err.code).toBe('CHECKSUM_MISMATCH');
    expect(err.message).toContain(server.url('/data.bin'));
    expect(err.message).toContain(wrong);
    expect(err.message).toContain(SHA);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);

    const err2 = await rejection(download(server.url('/data.bin'), dest, { size: DATA.length + 1, progress: false }));
    expect(err2.code).toBe('CHECKSUM_MISMATCH');
    expect(err2.message).toContain(String(DATA.length + 1));
    expect(existsSync(dest) || existsSync(`${dest}.part`)).toBe(false);
  });

  it('404 → DOWNLOAD_FAILED with the status, nothing left behind, no retries', async () => {
    const dest = join(root, 'missing', 'x.bin');
    const err = await rejection(download(server.url('/nope.bin'), dest, { progress: false }));
    expect(err.code).toBe('DOWNLOAD_FAILED');
    expect(err.message).toContain('404');
    expect(err.message).toContain(server.url('/nope.bin'));
    expect(err.details?.status).toBe(404);
    expect(server.requests).toHaveLength(1);
    expect(existsSync(dest) || existsSync(`${dest}.part`)).toBe(false);
  });

  it('env.offline → OFFLINE naming URL and file, and no request is made', async () => {
    env.offline = true;
    const dest = join(root, 'offline', 'data.bin');
    const err = await rejection(download(server.url('/data.bin'), dest));
    expect(err.code).toBe('OFFLINE');
    expect(err.message).toContain(server.url('/data.bin'));
    expect(err.message).toContain(dest);
    expect(err.message).toMatch(/DLKIT_OFFLINE/);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a malformed sha256 option', async () => {
    const err = await rejection(download(server.url('/data.bin'), join(root, 'opt', 'x'), { sha256: 'abc' }));
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.message).toContain('sha256');
  });
});

describe('resolveAsset', () => {
  const spec = (): AssetSpec => ({ kind: 'dataset', name: 'toy', path: 'sub/data.bin', urls: [server.url('/nope.bin'), server.url('/data.bin')], sha256: SHA, size: DATA.length });

  it('looks in dataDir, then the cache, then downloads (trying each URL) into the cache', async () => {
    env.dataDir = join(root, 'assets-data');
    env.cacheDir = join(root, 'assets-cache');
    const inData = join(env.dataDir, 'toy', 'sub', 'data.bin');
    const inCache = join(env.cacheDir, 'datasets', 'toy', 'sub', 'data.bin');

    expect(locateAsset(spec())).toBeUndefined();
    const first = await resolveAsset(spec(), { progress: false });
    expect(first).toEqual({ path: inCache, source: 'download' });
    expect(server.requests.map((r) => r.path)).toEqual(['/nope.bin', '/data.bin']);
    expect(await sha256File(inCache)).toBe(SHA);

    server.requests.length = 0;
    expect(await resolveAsset(spec())).toEqual({ path: inCache, source: 'cache' });

    mkdirSync(dirname(inData), { recursive: true });
    writeFileSync(inData, DATA);
    expect(await resolveAsset(spec())).toEqual({ path: inData, source: 'dataDir' });
    expect(locateAsset(spec())).toEqual({ path: inData, source: 'dataDir' });
    expect(server.requests).toHaveLength(0);

    // Pre-placed files are trusted unless verify:true.
    writeFileSync(inData, 'corrupt');
    expect((await resolveAsset(spec())).source).toBe('dataDir');
    const err = await rejection(resolveAsset(spec(), { verify: true }));
    expect(err.code).toBe('CHECKSUM_MISMATCH');
    expect(err.message).toContain(inData);
    rmSync(inData);

    // A corrupt cache entry is replaced under verify:true.
    writeFileSync(inCache, 'corrupt');
    expect(await resolveAsset(spec(), { verify: true, progress: false })).toEqual({ path: inCache, source: 'download' });
    expect(await sha256File(inCache)).toBe(SHA);
  });

  it('models use env.modelDir; offline names the URL and every place the file could go', async () => {
    env.modelDir = join(root, 'assets-models');
    env.cacheDir = join(root, 'assets-cache2');
    const m: AssetSpec = { kind: 'model', name: 'net', path: 'model.json', urls: [server.url('/data.bin')] };
    env.offline = true;
    const err = await rejection(resolveAsset(m));
    expect(err.code).toBe('OFFLINE');
    expect(err.message).toContain(server.url('/data.bin'));
    expect(err.message).toContain(join(env.modelDir, 'net', 'model.json'));
    expect(err.message).toContain(join(env.cacheDir, 'models', 'net', 'model.json'));
    expect(server.requests).toHaveLength(0);
    mkdirSync(join(env.modelDir, 'net'), { recursive: true });
    writeFileSync(join(env.modelDir, 'net', 'model.json'), '{}');
    expect(await resolveAsset(m)).toEqual({ path: join(env.modelDir, 'net', 'model.json'), source: 'modelDir' });
  });

  it('rejects paths escaping the asset folder', () => {
    expect(() => locateAsset({ kind: 'dataset', name: 'toy', path: '../../etc/passwd', urls: [] })).toThrow(/path/);
  });
});

describe('loadModel over http', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('loads a saved model from http://127.0.0.1/.../model.json with its card; predictions equal', async () => {
    const staticDir = join(root, 'www');
    server.staticDir = staticDir;
    const model = smallSequential(4);
    const card = await saveModel(model, join(staticDir, 'm'), { task: 'image-classification', labels: 'abcdefghij'.split('') });
    const x = seededInput([2, 8, 8, 1]);
    const before = tf.memory().numTensors;
    const { model: loaded, card: loadedCard } = await loadModel(server.url('/static/m/model.json'));
    expect(loadedCard).toEqual(card);
    expect(predictBytes(loaded, x).equals(predictBytes(model, x))).toBe(true);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);

    // Tampered weights on the server → CHECKSUM_MISMATCH naming the weights URL.
    const weights = join(staticDir, 'm', 'weights.bin');
    const bytes = readFileSync(weights);
    bytes[3] ^= 1;
    writeFileSync(weights, bytes);
    const err = await rejection(loadModel(server.url('/static/m/model.json')));
    expect(err.code).toBe('CHECKSUM_MISMATCH');
    expect(err.message).toContain(server.url('/static/m/weights.bin'));

    // No card beside model.json: loads, card undefined. Missing model → NOT_FOUND naming the URL.
    rmSync(join(staticDir, 'm', 'model-card.json'));
    const { model: noCard, card: none } = await loadModel(server.url('/static/m/model.json'));
    expect(none).toBeUndefined();
    noCard.dispose();
    const err404 = await rejection(loadModel(server.url('/static/zzz/model.json')));
    expect(err404.code).toBe('NOT_FOUND');
    expect(err404.message).toContain(server.url('/static/zzz/model.json'));
    x.dispose();
    model.dispose();
  });
});

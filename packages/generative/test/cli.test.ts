// The `dlkit generate` verbs as registered in core's task registry (what the CLI runs), on tiny models.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask, selectBackend, tf } from '@dlkit/core';
import { encodeIdx } from '@dlkit/data';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { saveVae } from '../src/node.js';
import { Vae } from '../src/vae.js';
import { patterns } from './helpers.js';

const io = { log: () => {}, json: true };
const verb = (name: string) => getTask('generate').cli!.verbs.find((v) => v.name === name)!;
let root: string;
let model: string;

beforeAll(async () => {
  await selectBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'gen-cli-'));
  model = join(root, 'cvae');
  const vae = Vae.create({ latentDim: 4, hidden: [16], classes: 10 });
  await saveVae(vae, model, { labels: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] });
  vae.dispose();
});

describe('dlkit generate', () => {
  it('registers the task and its verbs', () => {
    expect(getTask('vae').id).toBe('image-generation');
    expect(getTask('generate').cli!.verbs.map((v) => v.name)).toEqual(['train', 'sample', 'interpolate', 'eval']);
  });

  it('sample writes a PNG grid; labels by index or name; bad labels name the option', async () => {
    const out = join(root, 'grid.png');
    const r = await verb('sample').run([], { model, label: 'seven', n: 6, seed: 0, out, cols: 3 }, io);
    expect(r).toMatchObject({ n: 6, label: 7, kind: 'vae' });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([3 * 56 + 4 * 2, 2 * 56 + 3 * 2]);
    await expect(verb('sample').run([], { model, label: 'eleven', n: 2, seed: 0, out }, io)).rejects.toThrow(/--label.*class index in \[0, 10\)/);
    await expect(verb('sample').run([], { n: 2, seed: 0, out }, io)).rejects.toThrow(/--model/);
  });

  it('interpolate writes a strip or a GIF', async () => {
    const gif = join(root, 'path.gif');
    await verb('interpolate').run([], { model, steps: 5, mode: 'linear', label: '1', labelB: '2', seed: 0, out: gif }, io);
    const meta = await sharp(gif, { animated: true }).metadata();
    expect(meta.format).toBe('gif');
    expect(meta.pages).toBe(5);
    await expect(verb('interpolate').run([], { model, steps: 5, mode: 'cubic', seed: 0, out: gif }, io)).rejects.toThrow(/--mode/);
  });

  it('eval reads MNIST-layout IDX files from --data and prints {negElbo, iwNll, n}', async () => {
    const dir = join(root, 'idx');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(dir);
    const n = 12;
    // 8×8 patterns upscaled to 28×28 so the 28×28 model can read them.
    const small = patterns(n).images;
    const px = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[i * 784 + y * 28 + x] = Math.round(255 * small[i * 64 + Math.floor(y / 3.5) * 8 + Math.floor(x / 3.5)]!);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx(px, [n, 28, 28]));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx(Uint8Array.from({ length: n }, (_, i) => i % 10), [n]));
    const before = tf.memory().numTensors;
    const r = await verb('eval').run([], { model, data: dir, k: 4, seed: 0, dataset: 'mnist' }, io);
    expect(r.n).toBe(n);
    expect(r.negElbo).toBeGreaterThan(0);
    expect(r.iwNll).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    await expect(verb('eval').run([], { model, data: join(root, 'nowhere'), k: 4, seed: 0 }, io)).rejects.toThrow(/No IDX image file/);
  });

  it('train --out is required', async () => {
    await expect(verb('train').run([], { modelType: 'vae', dataset: 'mnist', seed: 0 }, io)).rejects.toThrow(/--out/);
    expect(existsSync(join(root, 'grid.png'))).toBe(true);
    expect(readFileSync(join(model, 'model-card.json'), 'utf8')).toContain('"kind": "vae"');
  });
});

describe('dlkit generate eval for GANs (sample metrics with a passed-in classifier)', () => {
  const labels = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  let gan: string;
  let clf: string;
  let data: string;

  beforeAll(async () => {
    // 40 test "images": 8×8 patterns upscaled to 28×28, as MNIST-layout IDX files.
    const { mkdirSync, writeFileSync } = await import('node:fs');
    data = join(root, 'idx-gan');
    mkdirSync(data);
    const n = 40;
    const small = patterns(n, 3).images;
    const px = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[i * 784 + y * 28 + x] = Math.round(255 * small[i * 64 + Math.floor(y / 3.5) * 8 + Math.floor(x / 3.5)]!);
    writeFileSync(join(data, 't10k-images-idx3-ubyte'), encodeIdx(px, [n, 28, 28]));
    const { Gan } = await import('../src/gan.js');
    const { saveGan } = await import('../src/node.js');
    const { saveModel } = await import('@dlkit/core/node');
    gan = join(root, 'cgan');
    const g = Gan.create({ latentDim: 4, classes: 10, gFilters: [4, 4], dFilters: [4, 4] });
    await saveGan(g, gan, { labels, dataset: { name: 'mnist', split: 'train' } });
    g.dispose();
    // A tiny "classifier": flatten → dense 6 (the penultimate features) → softmax over 10 classes.
    clf = join(root, 'clf');
    const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 6, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    await saveModel(m, clf, { task: 'image-classification', labels, preprocessing: { mean: [0], std: [1] } });
    m.dispose();
  });

  it('prints Fréchet / real-vs-real / coverage / class accuracy, reproducibly, and --save-metrics writes them with the command into the card', async () => {
    const before = tf.memory().numTensors;
    const r = await verb('eval').run([], { model: gan, data, classifier: clf, n: 20, seed: 0, saveMetrics: true }, io);
    const s = r.samples as Record<string, unknown>;
    expect(s).toMatchObject({ n: 20, dataset: data, classifier: clf });
    expect(s.frechet).toBeGreaterThan(0);
    expect(s.frechetRealVsReal).toBeGreaterThan(0);
    expect(Object.keys(s.classHistogram as object)).toEqual(labels);
    expect(Object.values(s.classHistogram as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(s.classAccuracy).toBeGreaterThanOrEqual(0);
    expect(Object.keys(s.perClassAccuracy as object)).toEqual(labels);
    expect(tf.memory().numTensors).toBe(before);
    const card = JSON.parse(readFileSync(join(gan, 'model-card.json'), 'utf8'));
    expect(card.metrics.samples).toEqual(s);
    expect(card.extra.sampleMetricsCommand).toBe(`pnpm dlkit generate eval --model ${gan} --data ${data} --classifier ${clf} --n 20 --seed 0 --json`);
    // The same command gives the same numbers.
    const again = await verb('eval').run([], { model: gan, data, classifier: clf, n: 20, seed: 0 }, io);
    expect(again.samples).toEqual(s);
  });

  it('a GAN needs --classifier; a classifier with other labels is refused', async () => {
    await expect(verb('eval').run([], { model: gan, data, n: 20, seed: 0 }, io)).rejects.toThrow(/--classifier/);
    const { saveModel } = await import('@dlkit/core/node');
    const other = join(root, 'clf-other');
    const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    await saveModel(m, other, { task: 'image-classification', labels: labels.map((l) => `c${l}`) });
    m.dispose();
    await expect(verb('eval').run([], { model: gan, data, classifier: other, n: 20, seed: 0 }, io)).rejects.toThrow(/labels start with/);
  });
});

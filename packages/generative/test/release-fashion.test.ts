// The Fashion-MNIST release checkpoints (conv VAE, DCGAN, conditional GAN) re-scored with the committed
// classifier models/fashion-mnist-cnn on the shared test split: each card's sample metrics are reproduced
// by the command recorded in it, the GANs' Fréchet distances are below the conv VAE's, the conditional
// GAN's samples are ≥ 80% their intended class, and `generate sample --label 7` writes a grid the
// classifier reads as mostly class 7. Skips with a reason when a checkpoint or ../shared is absent.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, getTask, selectBackend, tf } from '@dlkit/core';
import { loadModel } from '@dlkit/core/node';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const models = (name: string) => join(root, 'models', name);
const classifier = models('fashion-mnist-cnn');
const hasCard = (dir: string) => existsSync(join(dir, 'model-card.json'));
// A release has been scored by `generate eval --save-metrics` (which records the command); an in-progress
// training output has not (its --eval-every selection metrics carry no sampleMetricsCommand).
const isRelease = (dir: string) => hasCard(dir) && JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8')).extra?.sampleMetricsCommand !== undefined;
const hasData = !!env.dataDir && existsSync(join(env.dataDir, 'fashion-mnist'));
const io = { log: () => {}, json: true };
const verb = (name: string) => getTask('generate').cli!.verbs.find((v) => v.name === name)!;
const card = (dir: string) => JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8'));

function why(...dirs: string[]): string | undefined {
  if (!hasData) return 'DLKIT_DATA_DIR has no fashion-mnist';
  if (!hasCard(classifier)) return 'models/fashion-mnist-cnn is not committed';
  for (const d of dirs) if (!isRelease(d)) return `${d.slice(root.length + 1)} is not a scored release (no card with extra.sampleMetricsCommand from generate eval --save-metrics)`;
  return undefined;
}

/** Re-runs the card's `generate eval` (same classifier, n and seed) and checks it reproduces metrics.samples. */
async function rescore(dir: string): Promise<Record<string, number>> {
  const c = card(dir);
  const saved = c.metrics.samples;
  expect(c.extra.sampleMetricsCommand).toContain(`--classifier models/fashion-mnist-cnn --n ${saved.n} --seed 0`);
  // limit: the VAE's test ELBO over 100 images only (the card's ELBO is the training command's); sample metrics are unaffected.
  const r = await verb('eval').run([], { model: dir, classifier, dataset: 'fashion-mnist', n: saved.n, seed: 0, k: 0, limit: 100 }, io);
  const s = r.samples as Record<string, number>;
  expect(s.frechet).toBeCloseTo(saved.frechet, 1);
  expect(s.frechetRealVsReal).toBeCloseTo(saved.frechetRealVsReal, 1);
  if (saved.classAccuracy !== undefined) expect(s.classAccuracy).toBeCloseTo(saved.classAccuracy, 2);
  return s;
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('fashion-mnist generative release checkpoints', () => {
  const skipBars = why(models('fashion-mnist-convvae'), models('fashion-mnist-dcgan'), models('fashion-mnist-cgan'));
  it.skipIf(!!skipBars)(skipBars ? `SKIPPED — ${skipBars}` : 'cards reproduce; DCGAN and conditional GAN Fréchet < conv VAE; conditional class accuracy ≥ 80%', async () => {
    const vae = await rescore(models('fashion-mnist-convvae'));
    const dcgan = await rescore(models('fashion-mnist-dcgan'));
    const cgan = await rescore(models('fashion-mnist-cgan'));
    expect(dcgan.frechet).toBeLessThan(vae.frechet);
    expect(cgan.frechet).toBeLessThan(vae.frechet);
    expect(cgan.classAccuracy).toBeGreaterThanOrEqual(0.8);
    // The scale: every model is further from the real test set than other real test images are.
    for (const m of [vae, dcgan, cgan]) expect(m.frechet).toBeGreaterThan(m.frechetRealVsReal);
  }, 180_000);

  const skipSample = why(models('fashion-mnist-cgan'));
  it.skipIf(!!skipSample)(skipSample ? `SKIPPED — ${skipSample}` : '`generate sample --model models/fashion-mnist-cgan --label 7 --n 16 --out grid.png`: the classifier reads the grid as mostly class 7', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gen-cgan-')), 'grid.png');
    await verb('sample').run([], { model: models('fashion-mnist-cgan'), label: '7', n: 16, seed: 0, out }, io);
    // Cut the written PNG back into 16 images (4 columns, 2-px padding, 2× upscaled, drawn dark on light).
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    const images = new Float32Array(16 * 784);
    for (let i = 0; i < 16; i++) {
      const ox = 2 + (i % 4) * 58;
      const oy = 2 + Math.floor(i / 4) * 58;
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) images[i * 784 + y * 28 + x] = 1 - data[((oy + 2 * y) * info.width + ox + 2 * x) * info.channels]! / 255;
    }
    const { model } = await loadModel(classifier);
    const pred = tf.tidy(() => (model.predict(tf.tensor4d(images, [16, 28, 28, 1])) as tf.Tensor).argMax(-1).dataSync());
    model.dispose();
    const sevens = Array.from(pred).filter((p) => p === 7).length;
    expect(sevens).toBeGreaterThanOrEqual(12);
  }, 60_000);
});

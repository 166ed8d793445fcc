// trainVae (what `dlkit generate train` runs): checkpoint + resume, and divergence handling.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend, tf } from '@dlkit/core';
import { loadModel } from '@dlkit/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVae, trainVae } from '../src/node.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const small = { dataset: 'mnist', hidden: [16], latentDim: 4, batchSize: 50, maxExamples: 200, maxTest: 100, iwSamples: 5, backend: 'wasm' };

describe('trainVae', () => {
  it('a NaN loss stops training with a clear error and leaves the last good checkpoint intact', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gen-nan-'));
    const out = join(root, 'vae');
    const err = await trainVae({
      ...small,
      epochs: 3,
      out,
      // After the first epoch's checkpoint, poison one weight: the next batch loss is NaN.
      onEpochEndForTests(epoch, vae) {
        if (epoch === 1) {
          const w = vae.graph.trainableWeights[0]!.read() as tf.Variable;
          w.assign(tf.fill(w.shape, Number.NaN));
        }
      },
    }).catch((e) => e);
    expect(err.code).toBe('NUMERIC');
    expect(err.message).toMatch(/diverged.*epoch 2.*last good checkpoint \(2 epochs\)/);
    expect(existsSync(join(out, 'model-card.json'))).toBe(false);
    const state = JSON.parse(readFileSync(join(`${out}.ckpt`, 'train-state.json'), 'utf8'));
    expect(state.nextEpoch).toBe(2);
    const { model } = await loadModel(join(`${out}.ckpt`, 'model'));
    for (const w of model.getWeights()) expect(w.dataSync().every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  it('resumes from its checkpoint and records the command, wall time and metrics in the card', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gen-resume-'));
    const out = join(root, 'vae');
    await trainVae({ ...small, epochs: 1, out });
    const logs: string[] = [];
    const r = await trainVae({ ...small, epochs: 2, out, log: (m) => logs.push(m) });
    expect(logs[0]).toMatch(/Resuming .* at epoch 1/);
    const state = JSON.parse(readFileSync(join(`${out}.ckpt`, 'train-state.json'), 'utf8'));
    expect(state.history.epoch).toEqual([0, 1]);
    const { vae } = await loadVae(out);
    expect(vae.options.latentDim).toBe(4);
    vae.dispose();
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card.training.command).toContain('pnpm dlkit generate train --dataset mnist --arch mlp --latent 4 --hidden 16');
    expect(card.metrics.testNegElbo).toBe(r.testNegElbo);
    expect(card.metrics.testIwNll).toBeLessThan(card.metrics.testNegElbo + 1);
    expect(card.metrics.testExamples).toBe(100);
  });
});

describe('trainGan', () => {
  it('chunks of --steps-per-epoch steps: a grid and the model after each, resumed by rerunning; the card has the command', async () => {
    const { trainGan, loadGan } = await import('../src/node.js');
    const root = mkdtempSync(join(tmpdir(), 'gen-gan-'));
    const out = join(root, 'gan');
    const opts = { dataset: 'mnist', conditional: true, latentDim: 4, gFilters: [4, 4] as [number, number], dFilters: [4, 4] as [number, number], batchSize: 8, maxExamples: 40, stepsPerEpoch: 2, spectralNorm: true, backend: 'wasm', out };
    await trainGan({ ...opts, epochs: 1 });
    const logs: string[] = [];
    const r = await trainGan({ ...opts, epochs: 3, log: (m) => logs.push(m) });
    expect(logs[0]).toMatch(/Resuming .* after epoch 1/);
    expect(r.epochs).toBe(3);
    for (const e of [1, 2, 3]) expect(existsSync(join(`${out}.samples`, `epoch${e}.png`))).toBe(true);
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card.training.epochs).toBe(3);
    expect(card.extra.resumedAfterEpochs).toEqual([1]);
    expect(card.training.command).toContain('--conditional --latent 4 --filters 4,4 --d-filters 4,4 --upsample nearest --steps-per-epoch 2 --epochs 3 --batch-size 8');
    const { gan } = await loadGan(out);
    expect(gan.options.classes).toBe(10);
    gan.dispose();
    await expect(trainGan({ ...opts, epochs: 2 })).rejects.toThrow(/--epochs.*at least the 3 epochs/);
  });

  it('--eval-every keeps the lowest-Fréchet weights in --out and the latest in <out>.ckpt (resumable); needs --classifier', async () => {
    const { trainGan, loadGan, ganSource, sampleMetrics } = await import('../src/node.js');
    const root = mkdtempSync(join(tmpdir(), 'gen-gan-sel-'));
    const out = join(root, 'gan');
    const classifier = resolve(dirname(fileURLToPath(import.meta.url)), '../../../models/mnist-cnn');
    const opts = { dataset: 'mnist', latentDim: 4, gFilters: [4, 4] as [number, number], dFilters: [4, 4] as [number, number], batchSize: 8, maxExamples: 40, stepsPerEpoch: 2, backend: 'wasm', out };
    await expect(trainGan({ ...opts, epochs: 1, evalEvery: 1 })).rejects.toThrow(/--classifier/);
    const sel = { ...opts, classifier, evalEvery: 1, evalSamples: 20, learningRate: 0.01, learningRateD: 0.01 };
    await trainGan({ ...sel, epochs: 2 });
    const r = await trainGan({ ...sel, epochs: 3 });
    const latest = JSON.parse(readFileSync(join(`${out}.ckpt`, 'model-card.json'), 'utf8'));
    expect(latest.training.epochs).toBe(3);
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    const evals = card.extra.selection.evaluations as { epoch: number; frechet: number }[];
    expect(evals.map((e) => e.epoch)).toEqual([1, 2, 3]);
    const best = evals.reduce((b, e) => (e.frechet < b.frechet ? e : b));
    expect(card.extra.selection.bestEpoch).toBe(best.epoch);
    expect(card.training.selectedEpoch).toBe(best.epoch);
    expect((r.selection as { bestEpoch: number }).bestEpoch).toBe(best.epoch);
    expect(card.training.command).toContain(`--eval-every 1 --eval-samples 20 --backend wasm --out ${out}`);
    // The weights in --out are the selected epoch's: re-scoring them reproduces its Fréchet distance.
    expect(card.metrics.samples.frechet).toBe(best.frechet);
    const { gan } = await loadGan(out);
    const again = await sampleMetrics(ganSource(gan), { classifier, dataset: 'mnist', n: 20, seed: 0 });
    gan.dispose();
    expect(again.frechet).toBeCloseTo(best.frechet, 2);
  });
});

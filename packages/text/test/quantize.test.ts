import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend, tf } from '@dlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantizeCommand, SentimentClassifier } from '../src/node.js';
import { toyData } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dlkit-quantize-'));
beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sentiment quantize', () => {
  it('stores the embedding as uint8, re-evaluates the saved model and keeps the float numbers', async () => {
    const before = tf.memory().numTensors;
    const clf = await SentimentClassifier.create({ arch: 'cnn', embeddingDim: 32, filters: 4, maxLength: 20, tokenizer: { minFrequency: 1 } });
    await clf.fit(toyData(96, 6), { epochs: 2, batchSize: 16, learningRate: 0.02 });
    const val = join(dir, 'val.tsv');
    const data = toyData(40, 8);
    writeFileSync(val, `label\tcontent\n${data.map((e) => `${e.label}\t${e.text}`).join('\n')}\n`);
    const floatReport = await clf.evaluate(data);
    await clf.save(join(dir, 'float'), { metrics: { accuracy: floatReport.accuracy, n: floatReport.n }, extra: { validation: { data: val } } });
    const texts = data.map((e) => e.text);
    const floatScores = await clf.scores(texts);
    clf.dispose();
    const r = (await quantizeCommand({ model: join(dir, 'float'), out: join(dir, 'q8'), dtype: 'uint8', command: 'quantize test' })) as { validation: { accuracy: number } };
    const card = JSON.parse(readFileSync(join(dir, 'q8', 'model-card.json'), 'utf8'));
    expect(card.metrics.accuracy).toBe(r.validation.accuracy);
    expect(card.extra.unquantizedMetrics.accuracy).toBe(floatReport.accuracy);
    expect(card.extra.embeddingsDtype).toBe('uint8');
    expect(card.extra.recipe.at(-1).command).toBe('quantize test');
    const model = JSON.parse(readFileSync(join(dir, 'q8', 'model.json'), 'utf8'));
    const emb = model.weightsManifest[0].weights.find((w: { name: string }) => w.name.startsWith('embedding/'));
    expect(emb.quantization.dtype).toBe('uint8');
    // 1 byte instead of 4 per embedding value; every other weight unchanged.
    const n = emb.shape[0] * emb.shape[1];
    expect(statSync(join(dir, 'float', 'weights.bin')).size - statSync(join(dir, 'q8', 'weights.bin')).size).toBe(3 * n);
    const q = await SentimentClassifier.load(join(dir, 'q8'));
    const qs = await q.scores(texts);
    qs.forEach((v, i) => { expect(Math.abs(v - floatScores[i]!)).toBeLessThan(0.05); });
    q.dispose();
    await expect(quantizeCommand({ model: join(dir, 'float'), out: join(dir, 'x'), dtype: 'int4' as never })).rejects.toThrow(/dtype/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

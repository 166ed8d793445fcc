import { selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBiLmBody, pretrainBiLm, SentimentClassifier, WordTokenizer } from '../src/index.js';
import { toyData } from './helpers.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('bidirectional language-model pretraining (bigru / bilstm body)', () => {
  // Sentences walking a 12-word cycle: each word's successor and predecessor are determined.
  const CYCLE = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima'.split(' ');
  const walk = (start: number, n: number) => Array.from({ length: n }, (_, i) => CYCLE[(start + i) % CYCLE.length]).join(' ');
  const texts = Array.from({ length: 120 }, (_, i) => walk(i % CYCLE.length, 5 + (i % 7)));

  for (const arch of ['bigru', 'bilstm'] as const) {
    it(`${arch}: learns both directions of a predictable text, then a classifier starts from the body; no leaks`, async () => {
      const before = tf.memory().numTensors;
      const tok = WordTokenizer.fit(texts, { minFrequency: 1 });
      const seqs = texts.map((t) => tok.encode(t));
      const body = buildBiLmBody({ arch, vocabSize: tok.vocabSize, embeddingDim: 8, units: 8, seed: 1 });
      const log = await pretrainBiLm(body, seqs, { steps: 120, batchSize: 16, negatives: 8, learningRate: 0.02, logEvery: 20, seed: 1 });
      // Chance is ln(1 + 8) ≈ 2.2 nats; a learnt successor/predecessor is far below it.
      expect(log[0]!.loss).toBeGreaterThan(1.5);
      expect(log.at(-1)!.loss).toBeLessThan(0.5);
      const clf = await SentimentClassifier.create({ arch, pooling: 'max', units: 8, embeddingDim: 8, maxLength: 16, tokenizer: tok, encoder: body });
      await clf.fit(toyData(32), { epochs: 1, learningRate: 0 });
      // With lr 0 the classifier's embedding and RNN equal the pretrained body's.
      for (const name of ['embedding', arch]) {
        const want = body.getLayer(name).getWeights().map((w) => Array.from(w.dataSync()));
        const got = clf.model.getLayer(name).getWeights().map((w) => Array.from(w.dataSync()));
        expect(got).toEqual(want);
      }
      clf.dispose();
      body.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('the first half of the body output never sees later tokens, the second half never earlier ones', () => {
    const body = buildBiLmBody({ arch: 'bigru', vocabSize: 20, embeddingDim: 4, units: 3, seed: 2 });
    const a = [5, 6, 7, 8, 9, 10];
    const b = [5, 6, 7, 15, 9, 10]; // differs at t = 3 only
    const [ya, yb] = [a, b].map((s) => tf.tidy(() => (body.apply(tf.tensor2d([s], [1, 6], 'int32')) as tf.Tensor).arraySync() as number[][][]));
    for (let t = 0; t < 6; t++) {
      const fwdSame = ya![0]![t]!.slice(0, 3).every((v, j) => v === yb![0]![t]![j]);
      const bwdSame = ya![0]![t]!.slice(3).every((v, j) => v === yb![0]![t]![3 + j]);
      expect(fwdSame).toBe(t < 3);
      expect(bwdSame).toBe(t > 3);
    }
    body.dispose();
  });

  it('refuses texts without words and bodies of the wrong shape', async () => {
    const body = buildBiLmBody({ arch: 'bigru', vocabSize: 10, embeddingDim: 4, units: 2 });
    await expect(pretrainBiLm(body, [[5]])).rejects.toThrow(/two or more ids/);
    await expect(pretrainBiLm(body, [[1, 1, 1]])).rejects.toThrow(/no vocabulary words/);
    body.dispose();
    expect(() => buildBiLmBody({ arch: 'bigru', vocabSize: 10, embeddingDim: 4, units: 2, embedding: new Float32Array(3) })).toThrow(/10 × 4/);
  });
});

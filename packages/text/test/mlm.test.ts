import { Rng, selectBackend, tf, withSeededMathRandom } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTextEncoder, maskBatch, pretrainMlm, SentimentClassifier, WordTokenizer } from '../src/index.js';
import { toyData } from './helpers.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('masked-language-model pretraining', () => {
  it('masks ~15% of word ids (80/10/10), never specials', () => {
    const tok = WordTokenizer.fit(toyData(50).map((e) => e.text), { minFrequency: 1 });
    const seqs = toyData(200, 1).map((e) => tok.encode(e.text, { addCls: true }));
    const m = maskBatch(seqs, tok, new Rng(0));
    const words = seqs.flat().filter((id) => id >= 4).length;
    expect(m.positions.length / words).toBeGreaterThan(0.1);
    expect(m.positions.length / words).toBeLessThan(0.2);
    const masked = [...m.positions].filter((p) => m.input[p] === tok.maskId).length / m.positions.length;
    expect(masked).toBeGreaterThan(0.65);
    for (const t of m.targets) expect(t).toBeGreaterThanOrEqual(4);
    const T = m.shape[1];
    for (let i = 0; i < seqs.length; i++) expect(m.input[i * T]).toBe(tok.clsId);
  });

  it('is reproducible: the same seed gives the same losses (head init and dropout masks are seeded)', async () => {
    const texts = toyData(100, 4).map((e) => e.text);
    const tok = WordTokenizer.fit(texts, { minFrequency: 1 });
    const run = async () => {
      const encoder = withSeededMathRandom(0, () => buildTextEncoder({ vocabSize: tok.vocabSize, embeddingDim: 8, layers: 1, heads: 2, maxLength: 16, dropout: 0.3 }));
      const log = await pretrainMlm(encoder, tok, texts.map((t) => tok.encode(t, { addCls: true, maxLength: 16 })), { steps: 6, batchSize: 8, logEvery: 2, seed: 5 });
      encoder.dispose();
      return log;
    };
    expect(await run()).toEqual(await run());
  });

  it('lowers the MLM loss, then fine-tunes from the encoder without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const texts = toyData(300, 2).map((e) => e.text);
    const tok = WordTokenizer.fit(texts, { minFrequency: 1 });
    const spec = { vocabSize: tok.vocabSize, embeddingDim: 16, layers: 1, heads: 2, maxLength: 16 };
    const encoder = buildTextEncoder(spec);
    const log = await pretrainMlm(
      encoder,
      tok,
      texts.map((t) => tok.encode(t, { addCls: true, maxLength: 16 })),
      { steps: 60, batchSize: 32, learningRate: 0.01, logEvery: 20 },
    );
    expect(log.at(-1)!.loss).toBeLessThan(log[0]!.loss);
    const clf = await SentimentClassifier.create({ arch: 'transformer', tokenizer: tok, encoder, ...spec });
    await clf.fit(toyData(64, 3), { epochs: 1, learningRate: 0 });
    // With lr 0 the classifier's encoder layers must equal the pretrained ones.
    const a = await clf.model.getLayer('block_0').getWeights()[0]!.data();
    const b = await encoder.getLayer('block_0').getWeights()[0]!.data();
    expect(Array.from(a)).toEqual(Array.from(b));
    clf.dispose();
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

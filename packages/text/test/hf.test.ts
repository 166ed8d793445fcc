import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDlkitError, selectBackend, tf } from '@dlkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddingClassifier, HfFeatureExtractor, HfTextClassifier, WordPieceTokenizer } from '../src/index.js';
import { TINY_DIM, writeTinyHfModel } from './tiny-hf-model.js';

const root = mkdtempSync(join(tmpdir(), 'dlkit-hf-'));
writeTinyHfModel(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('transformers.js wrappers on a tiny local ONNX model', () => {
  it('sentiment-analysis returns {label, score} per text', async () => {
    const clf = await HfTextClassifier.create({ model: 'tiny-sentiment', localModelPath: root, device: 'cpu', dtype: 'fp32' });
    expect(clf.labels).toEqual(['NEGATIVE', 'POSITIVE']);
    const one = await clf.predict('a witty film');
    expect(one.label).toBe('POSITIVE');
    expect(one.score).toBeGreaterThan(0.5);
    const many = await clf.predict(['a good, great movie!', 'a tedious mess.']);
    expect(many.map((p) => p.label)).toEqual(['POSITIVE', 'NEGATIVE']);
    await expect(clf.predict('')).rejects.toThrow(/empty/);
    await clf.dispose();
  });

  it('feature-extraction returns pooled, normalised vectors', async () => {
    const fx = await HfFeatureExtractor.create({ model: 'tiny-sentiment', localModelPath: root, device: 'cpu' });
    const [a, b] = await fx.embed(['good film', 'bad film']);
    expect(a).toHaveLength(TINY_DIM);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(a![0]! > 0 && b![0]! < 0).toBe(true);
    await fx.dispose();
  });

  it('frozen encoder → cached embeddings → trainable tfjs head', async () => {
    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const fx = await HfFeatureExtractor.create({ model: 'tiny-sentiment', localModelPath: root });
    let calls = 0;
    const counting = {
      embed: (t: readonly string[], o?: object) => {
        calls += t.length;
        return fx.embed(t, o);
      },
    };
    const clf = new EmbeddingClassifier(counting);
    const train = ['good film', 'great movie', 'a witty film', 'bad film', 'tedious movie', 'a mess'].map((text, i) => ({ text, label: i < 3 ? 1 : 0 }));
    await clf.fit(train, { epochs: 60, learningRate: 0.1 });
    await clf.fit(train, { epochs: 1 });
    expect(calls).toBe(6); // the second fit reuses the cache
    const r = await clf.evaluate([
      { text: 'a good movie', label: 1 },
      { text: 'the tedious film', label: 0 },
    ]);
    expect(r.accuracy).toBe(1);
    clf.dispose();
    await fx.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('offline by default: a missing model is a DlkitError naming where to put the files', async () => {
    const err = await HfTextClassifier.create({ model: 'no/such-model', localModelPath: root }).catch((e) => e);
    expect(isDlkitError(err, 'NOT_FOUND')).toBe(true);
    expect(String(err)).toMatch(/Remote models are off/);
    await expect(HfTextClassifier.create({ model: 'x', device: 'tpu' as never })).rejects.toThrow(/device/);
  });

  const BERT = join(process.env.DLKIT_MODEL_DIR ?? join(import.meta.dirname, '../../../../shared/models'), 'bert-base-uncased-tokenizer');
  it.skipIf(!existsSync(BERT))(`dlkit's WordPiece matches transformers.js on the real BERT tokenizer${existsSync(BERT) ? '' : ' (skipped: shared models missing)'}`, async () => {
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = join(BERT, '..') + '/';
    const theirs = await AutoTokenizer.from_pretrained('bert-base-uncased-tokenizer');
    const ours = WordPieceTokenizer.fromJSONText(readFileSync(join(BERT, 'tokenizer.json'), 'utf8'));
    for (const s of ["Hello, world! It's a gorgeous, witty film.", 'Unaffable naïve café — 日本語 tokenization!!', 'a\tb\nc  <br />d']) {
      expect(ours.encode(s)).toEqual(Array.from(theirs.encode(s)));
    }
  });
});

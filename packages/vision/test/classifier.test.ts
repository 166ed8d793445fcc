import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDlkitError, tf } from '@dlkit/core';
import { cosineDecay } from '@dlkit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageBatches, ImageClassifier, splitImageSet } from '../src/node.js';
import { halvesSet, wasm } from './helpers.js';

beforeAll(wasm);

describe('ImageClassifier', () => {
  it('builds every architecture with the right output shape', async () => {
    const before = tf.memory().numTensors;
    for (const [arch, inputShape] of [
      ['cnn-small', [28, 28, 1]],
      ['resnet-small', [32, 32, 3]],
      ['resnet-20', [28, 28, 1]],
      ['mobilenet-v1', [32, 32, 3]],
    ] as const) {
      const clf = await ImageClassifier.create({ arch, classes: 7, inputShape: [...inputShape] });
      expect(clf.model.outputs[0]!.shape).toEqual([null, 7]);
      clf.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(ImageClassifier.create({ arch: 'vgg99' })).rejects.toThrow(/arch.*cnn-small/);
    await expect(ImageClassifier.create({ classes: 1 })).rejects.toThrow(/classes/);
    await expect(ImageClassifier.create({ inputShape: [28, 28, 2] })).rejects.toThrow(/inputShape/);
  });

  it('fit takes a named schedule or a @dlkit/train Schedule (a function with `per`)', async () => {
    const data = halvesSet(32, 12, 12);
    const clf = await ImageClassifier.create({ classes: 2, inputShape: [12, 12, 1], filters: [2, 2, 2], seed: 1 });
    const h = await clf.fit(data, { epochs: 2, batchSize: 8, schedule: cosineDecay({ initialLr: 4e-3, decaySteps: 8, per: 'step' }), progress: false });
    expect(h.history.lr![1]!).toBeLessThan(h.history.lr![0]!);
    await expect(clf.fit(data, { epochs: 1, schedule: 'linear' as 'cosine', progress: false })).rejects.toThrow(/schedule/);
    clf.dispose();
  });

  it('fits, evaluates, predicts, saves and reloads with identical predictions, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const data = halvesSet(96, 16, 16);
    const clf = await ImageClassifier.create({ arch: 'cnn-small', classes: ['top', 'bottom'], inputShape: [16, 16, 1], filters: [4, 8, 8], seed: 3 });
    const history = await clf.fit(data, { epochs: 4, batchSize: 16, lr: 5e-3, validationSplit: 0.25, seed: 1, augment: { shift: 0.1 }, labelSmoothing: 0.1, progress: false });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(history.history.val_acc ?? history.history.val_accuracy).toBeDefined();
    const report = await clf.evaluate(halvesSet(40, 16, 16, 1, 7));
    expect(report.accuracy).toBeGreaterThan(0.9);
    expect(report.n).toBe(40);
    expect(Object.keys(report.perClass)).toEqual(['top', 'bottom']);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(40);
    // A [h, w, c] tensor of 0–255 pixels goes through the same preprocessing.
    const img = tf.tidy(() => tf.tensor3d(halvesSet(2, 16, 16).images.subarray(256, 512), [16, 16, 1]).mul(255)) as tf.Tensor3D;
    const top = await clf.predict(img, { topK: 2 });
    expect(top[0]!.label).toBe('bottom');
    expect(top[0]!.score + top[1]!.score).toBeCloseTo(1, 5);
    const dir = join(await mkdtemp(join(tmpdir(), 'vision-clf-')), 'model');
    const card = await clf.save(dir, { metrics: { accuracy: report.accuracy } });
    expect(card.task).toBe('image-classification');
    expect(card.preprocessing).toMatchObject({ size: [16, 16], channels: 1 });
    const again = await ImageClassifier.load(dir);
    expect(again.labels).toEqual(['top', 'bottom']);
    const [a, b] = [await clf.predict([img, img]), await again.predict([img, img])];
    expect(b[0]![0]!.score).toBeCloseTo(a[0]![0]!.score, 6);
    img.dispose();
    clf.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("tta 'flip' averages the probabilities of each image and its mirror image (evaluate, predict), leaking nothing", async () => {
    const clf = await ImageClassifier.create({ arch: 'cnn-small', classes: ['top', 'bottom'], inputShape: [16, 15, 1], filters: [2, 2, 2], seed: 4 });
    const set = halvesSet(3, 16, 15, 1, 9);
    // Mirror by hand: column x ← column w-1-x.
    const mirrored = { ...set, images: set.images.map((_, i) => set.images[Math.floor(i / 15) * 15 + (14 - (i % 15))]!) };
    const before = tf.memory().numTensors;
    const [plain, mirror, tta] = [await clf.probabilities(set), await clf.probabilities(mirrored), await clf.probabilities(set, 128, 'flip')];
    expect(plain).not.toEqual(mirror); // an untrained net is not mirror-symmetric, so the test can fail
    for (let i = 0; i < tta.length; i++) expect(tta[i]!).toBeCloseTo((plain[i]! + mirror[i]!) / 2, 6);
    const report = await clf.evaluate(set, { tta: 'flip' });
    expect(report.tta).toBe('flip');
    const img = tf.tidy(() => tf.tensor3d(set.images.subarray(0, 240), [16, 15, 1]).mul(255)) as tf.Tensor3D;
    const top = await clf.predict(img, { topK: 2, tta: 'flip' });
    expect(top.find((t) => t.label === 'top')!.score).toBeCloseTo(tta[0]!, 5);
    img.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(clf.evaluate(set, { tta: 'rotate' as 'flip' })).rejects.toSatisfy((e) => isDlkitError(e) && /tta/.test((e as Error).message));
    clf.dispose();
  });

  it('rejects a single class, mismatched labels and a disposed model', async () => {
    await expect(ImageClassifier.create({ classes: 2, inputShape: [8, 8, 1] })).rejects.toThrow(/at least 12×12/);
    const clf = await ImageClassifier.create({ classes: 2, inputShape: [16, 16, 1], filters: [2, 2, 2] });
    const one = halvesSet(8, 16, 16);
    one.labels.fill(0);
    await expect(clf.fit(one, { epochs: 1, progress: false })).rejects.toThrow(/1 class/);
    const bad = halvesSet(8, 16, 16);
    bad.labels[0] = 5;
    await expect(clf.evaluate(bad)).rejects.toSatisfy((e) => isDlkitError(e, 'SHAPE_MISMATCH'));
    await expect(clf.evaluate(halvesSet(4, 6, 6))).rejects.toThrow(/takes \[16,16,1\]/);
    clf.dispose();
    await expect(clf.predict(tf.zeros([16, 16, 1]) as tf.Tensor3D)).rejects.toThrow(/disposed/);
  });
});

describe('batches and splits', () => {
  it('smooths labels, shuffles by (seed, epoch) and splits stratified and reproducibly', () => {
    const set = halvesSet(20);
    const b = new ImageBatches(set, { batchSize: 8, labelSmoothing: 0.2, seed: 4 });
    expect(b.size).toBe(3);
    const first = [...b];
    const ys = first[0]!.ys as tf.Tensor;
    const row = ys.arraySync() as number[][];
    expect(row[0]!.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
    expect(Math.max(...row[0]!)).toBeCloseTo(0.9, 6);
    const again = new ImageBatches(set, { batchSize: 8, labelSmoothing: 0.2, seed: 4 });
    const second = [...again];
    expect(Array.from((first[0]!.xs as tf.Tensor).dataSync())).toEqual(Array.from((second[0]!.xs as tf.Tensor).dataSync()));
    tf.dispose([...first, ...second].flatMap((x) => [x.xs as tf.Tensor, x.ys as tf.Tensor]));
    const s1 = splitImageSet(set, 0.3, 9);
    const s2 = splitImageSet(set, 0.3, 9);
    expect(s1.validation.length).toBe(6);
    expect(Array.from(s1.validation.labels).filter((l) => l === 0).length).toBe(3);
    expect(Array.from(s1.validation.images)).toEqual(Array.from(s2.validation.images));
    expect(() => splitImageSet(set, 1.5, 0)).toThrow(/validationSplit/);
  });
});

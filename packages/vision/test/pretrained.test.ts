import { join } from 'node:path';
import { isDlkitError, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { HEAD_DENSE, ImageClassifier, parseLabels } from '../src/node.js';
import { halvesSet, haveModels, MODEL_DIR, SAMPLES, wasm } from './helpers.js';

beforeAll(wasm);

describe('labels files', () => {
  it('parses JSON arrays, line lists and JS objects in key order', () => {
    expect(parseLabels('["a","b"]', 'json', 'x')).toEqual(['a', 'b']);
    expect(parseLabels('cat\n\ndog\r\n', 'lines', 'x')).toEqual(['cat', 'dog']);
    expect(parseLabels(`export const C = {\n 1: "goldfish",\n 0: 'tench, Tinca tinca',\n 2: 'it\\'s'};`, 'js-object', 'x')).toEqual(['tench, Tinca tinca', 'goldfish', "it's"]);
    expect(() => parseLabels('nothing here', 'js-object', 'f.js')).toThrow(/f\.js/);
  });
});

describe.skipIf(!haveModels)(`pretrained models (${haveModels ? MODEL_DIR : 'skipped: ../shared/models absent'})`, () => {
  const china = join(SAMPLES, 'china.jpg');
  const temple = ['bell cote', 'stupa', 'monastery', 'church', 'dome', 'palace', 'mosque', 'pagoda'];

  it('DarkNet-tiny and MobileNet v1 0.25 (weights assigned by Keras layer name) see a temple in china.jpg', async () => {
    const before = tf.memory().numTensors;
    for (const id of ['darknet-tiny', 'mobilenet-v1-0.25']) {
      const clf = await ImageClassifier.fromPretrained(id, { modelDir: MODEL_DIR });
      expect(clf.labels).toHaveLength(1000);
      const top = await clf.predict(china, { topK: 5 });
      expect(top.some((t) => temple.some((w) => t.label.toLowerCase().startsWith(w)))).toBe(true);
      expect(temple.some((w) => top[0]!.label.toLowerCase().startsWith(w))).toBe(true);
      clf.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects unknown ids and a new input size for DoodleNet (dense layers)', async () => {
    await expect(ImageClassifier.fromPretrained('resnet-9000', { modelDir: MODEL_DIR })).rejects.toSatisfy((e) => isDlkitError(e, 'NOT_FOUND'));
    await expect(ImageClassifier.fromPretrained('doodlenet', { modelDir: MODEL_DIR, inputSize: [32, 32] })).rejects.toThrow(/inputSize/);
  });

  it('fine-tunes DoodleNet with a feature cache: frozen epochs run the base once, then unfreezing trains the base', async () => {
    const before = tf.memory().numTensors;
    const clf = await ImageClassifier.fromPretrained('doodlenet', { modelDir: MODEL_DIR, classes: ['top', 'bottom'], seed: 1, preprocessing: { invert: false } });
    expect(clf.info.baseLayers).toContain('conv2d');
    const base0 = clf.model.getLayer('conv2d').getWeights()[0]!.dataSync().slice();
    const head0 = clf.model.getLayer(HEAD_DENSE).getWeights()[0]!.dataSync().slice();
    const train = halvesSet(100, 28, 28);
    const spy = vi.spyOn(tf.LayersModel.prototype, 'predict');
    await clf.fineTune(train, { freezeEpochs: 3, epochs: 0, baseLr: 3e-3, batchSize: 20, progress: false });
    // 100 images in batches of 64 → 2 forward passes of the base for all 3 frozen epochs.
    expect(spy.mock.calls.length).toBe(2);
    spy.mockRestore();
    expect(Array.from(clf.model.getLayer('conv2d').getWeights()[0]!.dataSync())).toEqual(Array.from(base0));
    expect(Array.from(clf.model.getLayer(HEAD_DENSE).getWeights()[0]!.dataSync())).not.toEqual(Array.from(head0));
    const r = await clf.evaluate(halvesSet(40, 28, 28, 1, 5));
    expect(r.accuracy).toBeGreaterThan(0.9);
    await clf.fineTune(train, { freezeEpochs: 0, epochs: 1, baseLr: 1e-3, batchSize: 50, progress: false });
    expect(Array.from(clf.model.getLayer('conv2d').getWeights()[0]!.dataSync())).not.toEqual(Array.from(base0));
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cacheFrozen: the layers before unfreezeFrom run once; the top block and head train on their cached outputs', async () => {
    const before = tf.memory().numTensors;
    const clf = await ImageClassifier.fromPretrained('darknet-tiny', { modelDir: MODEL_DIR, classes: ['top', 'bottom'], inputSize: [32, 32], seed: 1 });
    const frozen0 = clf.model.getLayer('conv2d_12').getWeights()[0]!.dataSync().slice();
    const top0 = clf.model.getLayer('conv2d_13').getWeights()[0]!.dataSync().slice();
    const head0 = clf.model.getLayer(HEAD_DENSE).getWeights()[0]!.dataSync().slice();
    const train = halvesSet(48, 32, 32, 3);
    const spy = vi.spyOn(tf.LayersModel.prototype, 'predict');
    const h = await clf.fineTune(train, { freezeEpochs: 3, epochs: 2, baseLr: 3e-3, batchSize: 16, unfreezeFrom: 'conv2d_13', cacheFrozen: true, schedule: 'cosine', progress: false });
    // 48 images: one pass of the frozen layers, one of the top block for the head's features; none per epoch.
    expect(spy.mock.calls.length).toBe(2);
    spy.mockRestore();
    expect(h.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(clf.model.getLayer('conv2d_12').getWeights()[0]!.dataSync())).toEqual(Array.from(frozen0));
    expect(Array.from(clf.model.getLayer('conv2d_13').getWeights()[0]!.dataSync())).not.toEqual(Array.from(top0));
    expect(Array.from(clf.model.getLayer(HEAD_DENSE).getWeights()[0]!.dataSync())).not.toEqual(Array.from(head0));
    const r = await clf.evaluate(halvesSet(40, 32, 32, 3, 5));
    expect(r.accuracy).toBeGreaterThan(0.9);
    await expect(clf.fineTune(train, { cacheFrozen: true, progress: false })).rejects.toThrow(/cacheFrozen.*unfreezeFrom/s);
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses fineTune without a transfer head', async () => {
    const clf = await ImageClassifier.create({ classes: 2, inputShape: [16, 16, 1], filters: [2, 2, 2] });
    await expect(clf.fineTune(halvesSet(4, 16, 16))).rejects.toThrow(/fromPretrained/);
    clf.dispose();
  });
});

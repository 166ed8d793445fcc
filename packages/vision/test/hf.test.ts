import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { HfImageClassifier } from '../src/node.js';
import { writeTinyHfImageModel } from './tiny-hf-image-model.js';

const root = mkdtempSync(join(tmpdir(), 'dlkit-hf-img-'));
writeTinyHfImageModel(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const solid = (r: number, g: number, b: number, w = 20, h = 12) => sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } }).png().toBuffer();

describe('transformers.js image-classification on a tiny local ONNX model', () => {
  it('returns {label, score, index} top-k for files, buffers and ImageData, like ImageClassifier.predict', async () => {
    const clf = await HfImageClassifier.create({ model: 'tiny-color', localModelPath: root, device: 'cpu', dtype: 'fp32' });
    expect(clf.labels).toEqual(['red', 'blue']);
    const redFile = join(root, 'red.png');
    await writeFile(redFile, await solid(230, 10, 10));
    const red = await clf.predict(redFile, { topK: 2 });
    expect(red[0]).toMatchObject({ label: 'red', index: 0 });
    expect(red[0]!.score + red[1]!.score).toBeCloseTo(1, 5);
    const blueData = new Uint8ClampedArray(4 * 4 * 4);
    for (let i = 0; i < 16; i++) blueData.set([0, 0, 240, 255], i * 4);
    const batch = await clf.predict([await solid(10, 10, 230), { data: blueData, width: 4, height: 4 }], { topK: 1 });
    expect(batch.map((b) => b[0]!.label)).toEqual(['blue', 'blue']);
    await clf.dispose();
  });

  it('says where the files should be when a model is missing (offline by default)', async () => {
    await expect(HfImageClassifier.create({ model: 'no-such-model', localModelPath: root })).rejects.toThrow(/Remote models are off/);
    await expect(HfImageClassifier.create({ model: 'tiny-color', localModelPath: root, device: 'tpu' as never })).rejects.toThrow(/device/);
  });
});

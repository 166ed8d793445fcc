import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDlkitError } from '@dlkit/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { convertChannels, decodePixels, imageDataToPixels, preprocessPixels, unitPreprocessing, validatePreprocessing } from '../src/node.js';

function rgbaPattern(w: number, h: number): Uint8ClampedArray {
  const d = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    d[i * 4] = (i * 37) % 256;
    d[i * 4 + 1] = (i * 91) % 256;
    d[i * 4 + 2] = (i * 13) % 256;
    d[i * 4 + 3] = 255;
  }
  return d;
}

describe('preprocessing', () => {
  it('converts gray, gray+alpha, RGB and RGBA to the requested channels', () => {
    const rgba = { data: new Uint8Array([255, 0, 0, 7]), width: 1, height: 1, channels: 4 };
    expect(Array.from(convertChannels(rgba, 3))).toEqual([1, 0, 0]);
    expect(convertChannels(rgba, 1)[0]).toBeCloseTo(0.299, 6);
    expect(Array.from(convertChannels({ data: new Uint8Array([51, 255]), width: 1, height: 1, channels: 2 }, 3))).toEqual([0.2, 0.2, 0.2].map((v) => Math.fround(v)));
    expect(() => convertChannels({ data: new Uint8Array(5), width: 1, height: 1, channels: 4 }, 3)).toThrow(/expected 1×1×4/);
  });

  it('resizes with fill, cover (centre crop) and contain (letterbox) and normalises per channel', () => {
    // 4×2 image: left half 0, right half 1 (gray).
    const px = { data: new Float32Array([0, 0, 1, 1, 0, 0, 1, 1]), width: 4, height: 2, channels: 1 };
    const fill = preprocessPixels(px, unitPreprocessing([2, 2], 1, 'fill'));
    expect(Array.from(fill)).toEqual([0, 1, 0, 1]);
    const cover = preprocessPixels(px, unitPreprocessing([2, 2], 1, 'cover'));
    expect(Array.from(cover)).toEqual([0, 1, 0, 1]);
    const contain = preprocessPixels(px, unitPreprocessing([4, 4], 1, 'contain'));
    expect(Array.from(contain.subarray(0, 4))).toEqual([0, 0, 0, 0]); // letterbox row
    const norm = preprocessPixels(px, { ...unitPreprocessing([2, 4], 1), mean: [0.5], std: [0.5] });
    expect(Array.from(norm)).toEqual([-1, -1, 1, 1, -1, -1, 1, 1]);
    const inv = preprocessPixels(px, { ...unitPreprocessing([2, 4], 1), invert: true });
    expect(Array.from(inv)).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('rejects malformed preprocessing with the field name', () => {
    expect(() => validatePreprocessing({ size: [0, 2], channels: 1, resize: 'fill', mean: [0], std: [1] })).toThrow(/preprocessing\.size/);
    expect(() => validatePreprocessing({ size: [2, 2], channels: 3, resize: 'fill', mean: [0], std: [1, 1, 1] })).toThrow(/preprocessing\.mean/);
    expect(() => validatePreprocessing({ size: [2, 2], channels: 1, resize: 'stretch', mean: [0], std: [1] })).toThrow(/preprocessing\.resize/);
  });

  it('gives identical model inputs from a PNG decoded by sharp (Node) and the same pixels as ImageData (browser)', async () => {
    const w = 13;
    const h = 9;
    const data = rgbaPattern(w, h);
    const png = await sharp(Buffer.from(data), { raw: { width: w, height: h, channels: 4 } }).png().toBuffer();
    for (const pre of [unitPreprocessing([7, 5], 3, 'cover'), { ...unitPreprocessing([6, 6], 1, 'fill'), mean: [0.5], std: [0.25] }, unitPreprocessing([8, 8], 3, 'contain')]) {
      const node = preprocessPixels(await decodePixels(png), pre);
      const browser = preprocessPixels(imageDataToPixels({ data, width: w, height: h }), pre);
      expect(node.length).toBe(browser.length);
      let maxDiff = 0;
      for (let i = 0; i < node.length; i++) maxDiff = Math.max(maxDiff, Math.abs(node[i]! - browser[i]!));
      expect(maxDiff).toBeLessThan(1e-6);
    }
  });

  it('applies EXIF orientation, converts grayscale, and rejects non-image and truncated files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vision-pre-'));
    // 6×2 landscape stored with orientation 6 (rotate 90°): decodes as 2×6 portrait.
    const jpg = await sharp(Buffer.from(rgbaPattern(6, 2)), { raw: { width: 6, height: 2, channels: 4 } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const rotated = await decodePixels(jpg);
    expect([rotated.width, rotated.height]).toEqual([2, 6]);
    const gray = await sharp(Buffer.alloc(16, 200), { raw: { width: 4, height: 4, channels: 1 } }).png().toBuffer();
    const g = await decodePixels(gray);
    expect(g.channels).toBe(3);
    expect(g.data[0]).toBeCloseTo(200 / 255, 5);
    const notImage = join(dir, 'notes.jpg');
    await writeFile(notImage, 'this is not an image');
    await expect(decodePixels(notImage)).rejects.toSatisfy((e) => isDlkitError(e, 'CORRUPT_DATA') && String((e as Error).message).includes(notImage));
    const big = await sharp(Buffer.from(rgbaPattern(64, 64)), { raw: { width: 64, height: 64, channels: 4 } }).jpeg().toBuffer();
    const truncated = join(dir, 'cut.jpg');
    await writeFile(truncated, big.subarray(0, big.length >> 1));
    await expect(decodePixels(truncated)).rejects.toSatisfy((e) => isDlkitError(e, 'CORRUPT_DATA'));
    await expect(decodePixels(join(dir, 'missing.png'))).rejects.toSatisfy((e) => isDlkitError(e, 'NOT_FOUND'));
  });
});

/**
 * The browser code path (no sharp, no fs): ImageData and canvas-drawable inputs through the
 * browser-safe entry point, with a fake ImageData and a fake OffscreenCanvas standing in for the DOM.
 */
import { tf } from '@dlkit/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { drawableToPixels, ImageClassifier, toPixels } from '../src/index.js';
import { wasm } from './helpers.js';

beforeAll(wasm);

function fakeImageData(w: number, h: number, top: boolean) {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const on = top ? i < (w * h) / 2 : i >= (w * h) / 2;
    data.set([on ? 220 : 20, on ? 220 : 20, on ? 220 : 20, 255], i * 4);
  }
  return { data, width: w, height: h };
}

const g = globalThis as { OffscreenCanvas?: unknown };
afterEach(() => {
  delete g.OffscreenCanvas;
});

describe('browser inputs', () => {
  it('reads ImageData and drawables (via a 2D canvas) as RGBA pixels', async () => {
    const img = fakeImageData(4, 2, true);
    const px = await toPixels(img);
    expect(px).toMatchObject({ width: 4, height: 2, channels: 4 });
    let drawn: unknown;
    g.OffscreenCanvas = class {
      constructor(
        readonly width: number,
        readonly height: number,
      ) {}
      getContext() {
        return {
          drawImage: (src: unknown) => {
            drawn = src;
          },
          getImageData: () => img,
        };
      }
    };
    const element = { width: 4, height: 2, naturalWidth: 4, naturalHeight: 2 };
    expect(drawableToPixels(element).data).toBe(img.data);
    expect(drawn).toBe(element);
  });

  it('says what to do when no canvas exists or the input is not an image', async () => {
    expect(() => drawableToPixels({ width: 3, height: 3 })).toThrow(/canvas/);
    await expect(toPixels(42 as unknown as object)).rejects.toThrow(/Cannot read an image/);
    await expect(toPixels({ data: new Uint8ClampedArray(3), width: 1, height: 1 })).rejects.toThrow(/width×height×4/);
  });

  it('classifies ImageData with a model and agrees with the same pixels as a tensor', async () => {
    const clf = await ImageClassifier.create({ classes: ['top', 'bottom'], inputShape: [16, 16, 3], filters: [2, 2, 2], seed: 2 });
    const img = fakeImageData(20, 20, false);
    const fromImageData = await clf.predict(img, { topK: 2 });
    const t = tf.tensor3d(Array.from(img.data), [20, 20, 4]);
    const fromTensor = await clf.predict(t as tf.Tensor3D, { topK: 2 });
    t.dispose();
    expect(fromImageData[0]!.score).toBeCloseTo(fromTensor[0]!.score, 6);
    clf.dispose();
  });
});

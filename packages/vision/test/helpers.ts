import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '@dlkit/core';
import type { ImageSet } from '../src/index.js';

export const SHARED = join(import.meta.dirname, '../../../../shared');
export const MODEL_DIR = process.env.DLKIT_MODEL_DIR ?? join(SHARED, 'models');
export const DATA_DIR = process.env.DLKIT_DATA_DIR ?? join(SHARED, 'datasets');
export const SAMPLES = join(SHARED, 'samples');
export const haveModels = existsSync(join(MODEL_DIR, 'darknet-tiny', 'model.json'));
export const haveData = existsSync(join(DATA_DIR, 'mnist'));

export async function wasm(): Promise<void> {
  await selectBackend('wasm');
}

/** Two classes of h×w×c images: bright top half (0) or bright bottom half (1), plus seeded noise. */
export function halvesSet(n: number, h = 8, w = 8, c = 1, seed = 1): ImageSet {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const per = h * w * c;
  const images = new Float32Array(n * per);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    labels[i] = label;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const on = label === 0 ? y < h / 2 : y >= h / 2;
        for (let k = 0; k < c; k++) images[i * per + (y * w + x) * c + k] = (on ? 0.8 : 0.1) + 0.1 * rand();
      }
    }
  }
  return { images, labels, shape: [h, w, c], classes: ['top', 'bottom'], length: n };
}

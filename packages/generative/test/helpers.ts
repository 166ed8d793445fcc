// Tiny seeded fixtures: 8×8 "images" of a few stroke patterns, so models train in seconds.
import { Rng } from '@dlkit/core';

export const SHAPE: [number, number, number] = [8, 8, 1];

/** n images of 4 classes (horizontal bar, vertical bar, diagonal, box), intensities in [0, 1] with noise. */
export function patterns(n: number, seed = 0): { images: Float32Array; labels: Uint8Array } {
  const rng = new Rng(seed);
  const images = new Float32Array(n * 64);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    labels[i] = c;
    const off = 1 + rng.int(5);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const on = c === 0 ? y === off : c === 1 ? x === off : c === 2 ? x === y : x === 1 || x === 6 || y === 1 || y === 6;
        images[i * 64 + y * 8 + x] = on ? 0.9 : 0.05 * rng.next();
      }
    }
  }
  return { images, labels };
}

/** Dynamic binarisation (Salakhutdinov & Murray 2008): each pixel ~ Bernoulli(intensity), resampled per use. */
import type { Rng } from '@dlkit/core';

export function binarize(pixels: ArrayLike<number>, rng: Rng, out = new Float32Array(pixels.length)): Float32Array {
  for (let i = 0; i < pixels.length; i++) out[i] = rng.next() < pixels[i]! ? 1 : 0;
  return out;
}

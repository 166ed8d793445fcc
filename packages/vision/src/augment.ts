/**
 * Seeded on-the-fly augmentation: one affine warp per image (random shift, small rotation,
 * optional horizontal flip, optional zoom) with bilinear sampling and edge replication
 * (Keras' fill_mode='nearest'). Done in JS on the CPU: for 28×28/32×32 images it costs far less
 * than the training step it feeds.
 */
import { checkNumber, type Rng } from '@dlkit/core';

export interface AugmentOptions {
  /** Max shift as a fraction of width/height (default 0). */
  shift?: number;
  /** Max rotation in degrees (default 0). */
  rotation?: number;
  /** Random horizontal flips; only where the domain allows it (not digits or text). */
  flip?: boolean;
  /** Max zoom in/out as a fraction (default 0). */
  zoom?: number;
}

export function validateAugment(a: AugmentOptions): Required<AugmentOptions> {
  return {
    shift: checkNumber('augment.shift', a.shift ?? 0, 0, 0.5),
    rotation: checkNumber('augment.rotation', a.rotation ?? 0, 0, 180),
    flip: Boolean(a.flip),
    zoom: checkNumber('augment.zoom', a.zoom ?? 0, 0, 0.5),
  };
}

export function isIdentity(a: Required<AugmentOptions>): boolean {
  return a.shift === 0 && a.rotation === 0 && !a.flip && a.zoom === 0;
}

/** Warp one HWC image from `src` into `dst` (same size) with random parameters drawn from `rng`. */
export function augmentInto(src: Float32Array, dst: Float32Array, h: number, w: number, c: number, a: Required<AugmentOptions>, rng: Rng): void {
  const tx = rng.uniform(-a.shift, a.shift) * w;
  const ty = rng.uniform(-a.shift, a.shift) * h;
  const theta = (rng.uniform(-a.rotation, a.rotation) * Math.PI) / 180;
  const s = 1 + rng.uniform(-a.zoom, a.zoom);
  const flip = a.flip && rng.next() < 0.5 ? -1 : 1;
  const cos = Math.cos(theta) / s;
  const sin = Math.sin(theta) / s;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Inverse map: output pixel → source coordinate.
      const ox = (x - cx - tx) * flip;
      const oy = y - cy - ty;
      const fx = Math.min(Math.max(cos * ox + sin * oy + cx, 0), w - 1);
      const fy = Math.min(Math.max(-sin * ox + cos * oy + cy, 0), h - 1);
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, w - 1);
      const y1 = Math.min(y0 + 1, h - 1);
      const dx = fx - x0;
      const dy = fy - y0;
      for (let k = 0; k < c; k++) {
        const v00 = src[(y0 * w + x0) * c + k]!;
        const v01 = src[(y0 * w + x1) * c + k]!;
        const v10 = src[(y1 * w + x0) * c + k]!;
        const v11 = src[(y1 * w + x1) * c + k]!;
        dst[(y * w + x) * c + k] = (v00 * (1 - dx) + v01 * dx) * (1 - dy) + (v10 * (1 - dx) + v11 * dx) * dy;
      }
    }
  }
}

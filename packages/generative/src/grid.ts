/** Tile a batch of images into one grid (browser-safe pixel arithmetic; PNG/GIF encoding is in node/grid-file.ts). */
import { DlkitError, invalidOption } from '@dlkit/core';

export interface GridOptions {
  /** Images per row (default ceil(√n)). */
  cols?: number;
  /** Pixels between images (default 2). */
  pad?: number;
  /** Integer upscale factor (default 2; 28-px digits are tiny). */
  scale?: number;
  /** Pad value in [0, 1] (default 1: white, the paper-like look; images are drawn dark-on-light). */
  background?: number;
  /** Draw as dark strokes on white (default true for MNIST-like data, which is light-on-dark). */
  invert?: boolean;
}

export interface Grid {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** `images`: n·h·w·c values in [0, 1] (c = 1 or 3). */
export function tileImages(images: Float32Array, shape: [number, number, number], n: number, options: GridOptions = {}): Grid {
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new DlkitError('SHAPE_MISMATCH', `Grids take 1- or 3-channel images; got ${c} channels.`);
  if (images.length !== n * h * w * c) throw new DlkitError('SHAPE_MISMATCH', `Expected ${n}·${h}·${w}·${c} values, got ${images.length}.`);
  const cols = options.cols ?? Math.ceil(Math.sqrt(n));
  if (!Number.isInteger(cols) || cols < 1) throw invalidOption('cols', cols, 'a positive integer');
  const pad = options.pad ?? 2;
  const scale = options.scale ?? 2;
  if (!Number.isInteger(scale) || scale < 1) throw invalidOption('scale', scale, 'a positive integer');
  const invert = options.invert ?? true;
  const rows = Math.ceil(n / cols);
  const cw = w * scale;
  const ch = h * scale;
  const width = cols * cw + (cols + 1) * pad;
  const height = rows * ch + (rows + 1) * pad;
  const bg = Math.round(255 * (options.background ?? 1));
  const data = new Uint8Array(width * height * c).fill(bg);
  for (let i = 0; i < n; i++) {
    const ox = pad + (i % cols) * (cw + pad);
    const oy = pad + Math.floor(i / cols) * (ch + pad);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const src = ((i * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
        const dst = ((oy + y) * width + ox + x) * c;
        for (let k = 0; k < c; k++) {
          const v = Math.min(1, Math.max(0, images[src + k]!));
          data[dst + k] = Math.round(255 * (invert ? 1 - v : v));
        }
      }
    }
  }
  return { data, width, height, channels: c };
}

/** PNG grids and animated GIF strips through sharp, written atomically. */
import { atomicWriteFile } from '@dlkit/core/node';
import sharp from 'sharp';
import { type GridOptions, tileImages } from '../grid.js';

export async function gridPng(images: Float32Array, shape: [number, number, number], n: number, options: GridOptions = {}): Promise<Buffer> {
  const g = tileImages(images, shape, n, options);
  return sharp(g.data, { raw: { width: g.width, height: g.height, channels: g.channels as 1 | 3 } }).png().toBuffer();
}

/** Writes a .png grid, or for a .gif path an animation with one image per frame. */
export async function writeImages(path: string, images: Float32Array, shape: [number, number, number], n: number, options: GridOptions & { delayMs?: number } = {}): Promise<void> {
  if (path.toLowerCase().endsWith('.gif')) {
    // Frames stacked vertically, one per page: sharp turns pages into GIF frames.
    const g = tileImages(images, shape, n, { ...options, cols: 1, pad: 0 });
    const rgb = new Uint8Array(g.width * g.height * 3);
    for (let i = 0; i < g.width * g.height; i++) for (let k = 0; k < 3; k++) rgb[i * 3 + k] = g.data[i * g.channels + (g.channels === 3 ? k : 0)]!;
    const gif = await sharp(rgb, { raw: { width: g.width, height: g.height, channels: 3, pageHeight: g.height / n } })
      .gif({ delay: options.delayMs ?? 150, loop: 0 })
      .toBuffer();
    await atomicWriteFile(path, gif);
    return;
  }
  await atomicWriteFile(path, await gridPng(images, shape, n, options));
}

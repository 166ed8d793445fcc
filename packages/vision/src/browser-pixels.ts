/**
 * Browser image sources → RawPixels through a 2D canvas. Canvas decoding already applies EXIF
 * orientation (`image-orientation: from-image` is the default), and ImageData is always RGBA;
 * everything after that is the shared preprocessPixels, as in Node.
 */
import { DlkitError } from '@dlkit/core';
import type { RawPixels } from './preprocess.js';

/** The ImageData shape (a real ImageData or any object with the same fields). */
export interface ImageDataLike {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** Anything drawable on a canvas: HTMLImageElement, HTMLCanvasElement, ImageBitmap, OffscreenCanvas, HTMLVideoElement. */
export interface DrawableLike {
  width: number;
  height: number;
}

export function isImageDataLike(x: unknown): x is ImageDataLike {
  const o = x as ImageDataLike;
  return (
    typeof o === 'object' && o !== null && (o.data instanceof Uint8ClampedArray || o.data instanceof Uint8Array) && Number.isInteger(o.width) && Number.isInteger(o.height)
  );
}

export function imageDataToPixels(img: ImageDataLike): RawPixels {
  if (img.width <= 0 || img.height <= 0 || img.data.length !== img.width * img.height * 4) {
    throw new DlkitError('INVALID_INPUT', `ImageData must hold width×height×4 RGBA bytes; got ${img.data.length} bytes for ${img.width}×${img.height}.`);
  }
  return { data: img.data, width: img.width, height: img.height, channels: 4 };
}

type Ctx2D = { drawImage(src: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): ImageDataLike };

/** Draw an element onto a canvas and read back its RGBA pixels. */
export function drawableToPixels(src: DrawableLike): RawPixels {
  const g = globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(t: '2d'): Ctx2D | null }; document?: { createElement(t: 'canvas'): { width: number; height: number; getContext(t: '2d'): Ctx2D | null } } };
  const w = (src as { naturalWidth?: number }).naturalWidth || (src as { videoWidth?: number }).videoWidth || src.width;
  const h = (src as { naturalHeight?: number }).naturalHeight || (src as { videoHeight?: number }).videoHeight || src.height;
  let ctx: Ctx2D | null = null;
  if (g.OffscreenCanvas) ctx = new g.OffscreenCanvas(w, h).getContext('2d');
  else if (g.document) {
    const c = g.document.createElement('canvas');
    c.width = w;
    c.height = h;
    ctx = c.getContext('2d');
  }
  if (!ctx) {
    throw new DlkitError('UNSUPPORTED', 'No 2D canvas is available to read image pixels here.', {
      hint: 'In Node, import from "@dlkit/vision/node" and pass a file path or Buffer.',
    });
  }
  ctx.drawImage(src, 0, 0);
  return imageDataToPixels(ctx.getImageData(0, 0, w, h));
}

export function isDrawableLike(x: unknown): x is DrawableLike {
  const o = x as DrawableLike;
  return typeof o === 'object' && o !== null && typeof o.width === 'number' && typeof o.height === 'number' && !isImageDataLike(o) && !('dtype' in (o as object));
}

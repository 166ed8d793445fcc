/**
 * Preprocessing declared in the model card and applied by one pure-JS function in Node and the
 * browser: decoders (sharp in Node, canvas in the browser) only produce raw pixels at the
 * image's own size; channel conversion, resize/crop and normalisation all happen here, so the
 * two environments feed a model exactly the same numbers.
 */
import { DlkitError, invalidOption } from '@dlkit/core';

export interface Preprocessing {
  /** Model input [height, width]. */
  size: [number, number];
  /** Model input channels: 1 (grayscale) or 3 (RGB). */
  channels: 1 | 3;
  /** 'fill' stretches, 'cover' centre-crops to the aspect ratio first, 'contain' letterboxes (black). */
  resize: 'fill' | 'cover' | 'contain';
  /** Per-channel (x − mean) / std on pixels in [0, 1]. */
  mean: number[];
  std: number[];
  /** 1 − x before normalising (QuickDraw-style models draw dark strokes on white as 1 on 0). */
  invert?: boolean;
}

/** Raw pixels: HWC, `channels` 1–4, values 0–255 (Uint8) or already in [0, 1] (Float32). */
export interface RawPixels {
  data: Uint8Array | Uint8ClampedArray | Float32Array;
  width: number;
  height: number;
  channels: number;
}

export function unitPreprocessing(size: [number, number], channels: 1 | 3, resize: Preprocessing['resize'] = 'fill'): Preprocessing {
  return { size, channels, resize, mean: new Array(channels).fill(0), std: new Array(channels).fill(1) };
}

export function validatePreprocessing(p: unknown, source = 'preprocessing'): Preprocessing {
  const o = p as Partial<Preprocessing> | undefined;
  if (!o || typeof o !== 'object') throw invalidOption(source, p, 'an object {size, channels, resize, mean, std}');
  const size = o.size;
  if (!Array.isArray(size) || size.length !== 2 || size.some((n) => !Number.isInteger(n) || n <= 0)) throw invalidOption(`${source}.size`, size, '[height, width] of positive integers');
  if (o.channels !== 1 && o.channels !== 3) throw invalidOption(`${source}.channels`, o.channels, '1 or 3');
  if (!['fill', 'cover', 'contain'].includes(o.resize as string)) throw invalidOption(`${source}.resize`, o.resize, '"fill", "cover" or "contain"');
  for (const k of ['mean', 'std'] as const) {
    const v = o[k];
    if (!Array.isArray(v) || v.length !== o.channels || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw invalidOption(`${source}.${k}`, v, `${o.channels} finite numbers (one per channel)`);
    }
  }
  if (o.std!.some((s) => s === 0)) throw invalidOption(`${source}.std`, o.std, 'non-zero numbers');
  return { size: [size[0]!, size[1]!], channels: o.channels, resize: o.resize!, mean: [...o.mean!], std: [...o.std!], ...(o.invert ? { invert: true } : {}) };
}

/** ITU-R BT.601 luma, as sharp's 'b-w' and canvas grayscale conversions use. */
const LUMA = [0.299, 0.587, 0.114];

/** Pixels of any channel count → [0,1] floats with `want` channels (alpha dropped, gray replicated). */
export function convertChannels(px: RawPixels, want: 1 | 3): Float32Array {
  const { data, width, height, channels: c } = px;
  if (![1, 2, 3, 4].includes(c)) throw invalidOption('channels', c, '1, 2 (gray+alpha), 3 or 4');
  const n = width * height;
  if (data.length !== n * c) {
    throw new DlkitError('SHAPE_MISMATCH', `Pixel buffer has ${data.length} values, expected ${width}×${height}×${c} = ${n * c}.`);
  }
  const k = data instanceof Float32Array ? 1 : 1 / 255;
  const out = new Float32Array(n * want);
  for (let i = 0; i < n; i++) {
    const o = i * c;
    if (c <= 2) {
      const g = data[o]! * k;
      if (want === 1) out[i] = g;
      else out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = g;
    } else if (want === 1) {
      out[i] = (LUMA[0]! * data[o]! + LUMA[1]! * data[o + 1]! + LUMA[2]! * data[o + 2]!) * k;
    } else {
      out[i * 3] = data[o]! * k;
      out[i * 3 + 1] = data[o + 1]! * k;
      out[i * 3 + 2] = data[o + 2]! * k;
    }
  }
  return out;
}

/**
 * Bilinear resize of HWC floats (half-pixel centres, as tf.image.resizeBilinear with
 * halfPixelCenters and PIL), sampling the source window [y0, y0+sh) × [x0, x0+sw).
 */
function resizeWindow(src: Float32Array, w: number, h: number, c: number, win: { x0: number; y0: number; sw: number; sh: number }, ow: number, oh: number): Float32Array {
  const out = new Float32Array(ow * oh * c);
  const sx = win.sw / ow;
  const sy = win.sh / oh;
  for (let y = 0; y < oh; y++) {
    const fy = Math.min(Math.max(win.y0 + (y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - y0;
    for (let x = 0; x < ow; x++) {
      const fx = Math.min(Math.max(win.x0 + (x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const dx = fx - x0;
      for (let k = 0; k < c; k++) {
        const a = src[(y0 * w + x0) * c + k]!;
        const b = src[(y0 * w + x1) * c + k]!;
        const d = src[(y1 * w + x0) * c + k]!;
        const e = src[(y1 * w + x1) * c + k]!;
        out[(y * ow + x) * c + k] = (a * (1 - dx) + b * dx) * (1 - dy) + (d * (1 - dx) + e * dx) * dy;
      }
    }
  }
  return out;
}

function resizeTo(src: Float32Array, w: number, h: number, c: number, p: Preprocessing): Float32Array {
  const [oh, ow] = p.size;
  if (w === ow && h === oh) return src;
  if (p.resize === 'fill') return resizeWindow(src, w, h, c, { x0: 0, y0: 0, sw: w, sh: h }, ow, oh);
  if (p.resize === 'cover') {
    // Largest centred window with the output's aspect ratio.
    const scale = Math.min(w / ow, h / oh);
    const sw = ow * scale;
    const sh = oh * scale;
    return resizeWindow(src, w, h, c, { x0: (w - sw) / 2, y0: (h - sh) / 2, sw, sh }, ow, oh);
  }
  // contain: scale to fit, paste centred on black.
  const scale = Math.min(ow / w, oh / h);
  const iw = Math.max(1, Math.round(w * scale));
  const ih = Math.max(1, Math.round(h * scale));
  const inner = resizeWindow(src, w, h, c, { x0: 0, y0: 0, sw: w, sh: h }, iw, ih);
  const out = new Float32Array(ow * oh * c);
  const ox = Math.floor((ow - iw) / 2);
  const oy = Math.floor((oh - ih) / 2);
  for (let y = 0; y < ih; y++) out.set(inner.subarray(y * iw * c, (y + 1) * iw * c), ((y + oy) * ow + ox) * c);
  return out;
}

/** Raw pixels → the model's input as HWC float32 (size, channels, invert, mean/std). */
export function preprocessPixels(px: RawPixels, p: Preprocessing): Float32Array {
  const c = p.channels;
  const out = resizeTo(convertChannels(px, c), px.width, px.height, c, p);
  const res = out === px.data ? new Float32Array(out) : out;
  for (let i = 0; i < res.length; i++) {
    const k = i % c;
    const v = p.invert ? 1 - res[i]! : res[i]!;
    res[i] = (v - p.mean[k]!) / p.std[k]!;
  }
  return res;
}

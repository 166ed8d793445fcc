/**
 * Image decoding through sharp (libvips): PNG, JPEG, WebP, GIF, TIFF, AVIF... EXIF orientation is
 * applied, grayscale/RGBA are converted to the requested channel count, and truncated or corrupt
 * files fail (sharp `failOn: 'truncated'`) with CORRUPT_DATA naming the file.
 */
import { fileURLToPath } from 'node:url';
import { DlkitError, env, invalidOption, tf } from '@dlkit/core';
import sharp from 'sharp';
import { corrupt } from '../errors.js';

export type ImageInput = string | URL | Uint8Array;

export interface DecodeImageOptions {
  /** Output [height, width]; default: the image's own size. */
  size?: [number, number];
  /** How to fit into `size`: crop ('cover', default), letterbox ('contain'), or stretch ('fill'). */
  fit?: 'cover' | 'contain' | 'fill';
  /** Output channels: 1 (grayscale), 3 (RGB, default) or 4 (RGBA). */
  channels?: 1 | 3 | 4;
  /** 'unit' → [0,1] (default); {mean,std} → (x/255 − mean)/std per channel. */
  normalize?: 'unit' | { mean: number[] | number; std: number[] | number };
  /** Name used in errors when the input is a buffer. */
  name?: string;
}

export interface DecodedImage {
  /** HWC float32. */
  data: Float32Array;
  shape: [number, number, number];
}

async function toSource(input: ImageInput): Promise<{ src: string | Buffer; name: string }> {
  if (input instanceof Uint8Array) return { src: Buffer.from(input.buffer, input.byteOffset, input.byteLength), name: '<buffer>' };
  if (typeof input === 'string' && !/^(https?|file):/i.test(input)) return { src: input, name: input };
  const url = input instanceof URL ? input : new URL(input);
  if (url.protocol === 'file:') return { src: fileURLToPath(url), name: fileURLToPath(url) };
  if (env.offline) {
    throw new DlkitError('OFFLINE', `Cannot fetch image ${url.href}: DLKIT_OFFLINE is set.`, { hint: 'Download it yourself and pass the file path.' });
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new DlkitError('DOWNLOAD_FAILED', `Cannot fetch image ${url.href}: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok) throw new DlkitError('DOWNLOAD_FAILED', `Cannot fetch image ${url.href}: HTTP ${res.status}.`);
  return { src: Buffer.from(await res.arrayBuffer()), name: url.href };
}

/** Decode one image to HWC float32 (see DecodeImageOptions). */
export async function decodeImage(input: ImageInput, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const channels = options.channels ?? 3;
  if (![1, 3, 4].includes(channels)) throw invalidOption('channels', channels, '1, 3 or 4');
  const fit = options.fit ?? 'cover';
  if (!['cover', 'contain', 'fill'].includes(fit)) throw invalidOption('fit', fit, '"cover", "contain" or "fill"');
  const size = options.size;
  if (size && (size.length !== 2 || size.some((n) => !Number.isInteger(n) || n <= 0))) throw invalidOption('size', size, '[height, width] of positive integers');
  const { src, name: srcName } = await toSource(input);
  const name = options.name ?? srcName;
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    let img = sharp(src, { failOn: 'truncated' }).rotate();
    if (size) img = img.resize({ width: size[1], height: size[0], fit, background: { r: 0, g: 0, b: 0, alpha: 1 } });
    if (channels === 1) img = img.removeAlpha().toColourspace('b-w');
    else if (channels === 3) img = img.removeAlpha().toColourspace('srgb');
    else img = img.toColourspace('srgb').ensureAlpha();
    raw = await img.raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    const msg = (e as Error).message;
    if (/ENOENT|no such file|Input file is missing/i.test(msg)) {
      throw new DlkitError('NOT_FOUND', `Image file not found: ${name}.`, { cause: e, details: { file: name } });
    }
    throw corrupt(name, '', `not a decodable image (${msg.split('\n')[0]}).`, {}, e);
  }
  const { width, height, channels: got } = raw.info;
  if (got !== channels) throw corrupt(name, '', `decoded to ${got} channels, expected ${channels}.`);
  return { data: normalize(raw.data, channels, options.normalize ?? 'unit'), shape: [height, width, channels] };
}

function normalize(bytes: Uint8Array, c: number, how: DecodeImageOptions['normalize']): Float32Array {
  const out = new Float32Array(bytes.length);
  if (how === 'unit' || how === undefined) {
    for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! / 255;
    return out;
  }
  const per = (v: number[] | number, what: string) => {
    const a = typeof v === 'number' ? new Array(c).fill(v) : v;
    if (a.length !== c) throw invalidOption(`normalize.${what}`, v, `a number or ${c} numbers (one per channel)`);
    return a as number[];
  };
  const mean = per(how.mean, 'mean');
  const std = per(how.std, 'std');
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i]! / 255 - mean[i % c]!) / std[i % c]!;
  return out;
}

/** Decode an image straight to a [h, w, c] tensor; the caller owns (and disposes) it. */
export async function decodeImageTensor(input: ImageInput, options: DecodeImageOptions = {}): Promise<tf.Tensor3D> {
  const { data, shape } = await decodeImage(input, options);
  return tf.tensor3d(data, shape);
}

/** Everything predict() accepts → preprocessed [N, H, W, C] input (one code path per source kind). */
import { DlkitError, tf } from '@dlkit/core';
import { drawableToPixels, imageDataToPixels, isDrawableLike, isImageDataLike } from './browser-pixels.js';
import { need } from './hooks.js';
import { type Preprocessing, preprocessPixels, type RawPixels } from './preprocess.js';

/** A file path, URL, encoded bytes, ImageData/canvas/image element, or a [h, w, c] tensor of 0–255 pixels. */
export type ImageSource = string | URL | Uint8Array | tf.Tensor3D | ImageData | { data: Uint8ClampedArray; width: number; height: number } | object;

async function tensorPixels(t: tf.Tensor): Promise<RawPixels> {
  if (t.rank !== 3 || ![1, 3, 4].includes(t.shape[2]!)) {
    throw new DlkitError('SHAPE_MISMATCH', `An image tensor must be [height, width, 1|3|4] pixels in 0–255; got [${t.shape}].`, {
      hint: 'For a batch, pass an array of tensors; for preprocessed inputs call classifier.model.predict yourself.',
    });
  }
  const data = (await t.data()) as Float32Array | Int32Array | Uint8Array;
  const f = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) f[i] = data[i]! / 255;
  return { data: f, width: t.shape[1]!, height: t.shape[0]!, channels: t.shape[2]! };
}

export async function toPixels(input: ImageSource): Promise<RawPixels> {
  if (input instanceof tf.Tensor) return tensorPixels(input);
  if (typeof input === 'string' || input instanceof URL || input instanceof Uint8Array) return need('decode', 'Reading an image file or buffer')(input);
  if (isImageDataLike(input)) return imageDataToPixels(input);
  if (isDrawableLike(input)) return drawableToPixels(input);
  throw new DlkitError('INVALID_INPUT', `Cannot read an image from ${Object.prototype.toString.call(input).slice(8, -1)}.`, {
    hint: 'Pass a file path, URL, Buffer, ImageData, canvas/image element, or a [h, w, c] tensor of 0–255 pixels.',
  });
}

/** Preprocess several sources into one [N, H, W, C] tensor (caller disposes). */
export async function toInputBatch(inputs: ImageSource[], pre: Preprocessing): Promise<tf.Tensor4D> {
  const [h, w] = pre.size;
  const per = h * w * pre.channels;
  const buf = new Float32Array(inputs.length * per);
  for (let i = 0; i < inputs.length; i++) buf.set(preprocessPixels(await toPixels(inputs[i]!), pre), i * per);
  return tf.tensor4d(buf, [inputs.length, h, w, pre.channels]);
}

/**
 * Node image decoding: sharp through @dlkit/data's decodeImage (EXIF rotation, any format,
 * truncated/corrupt files → CORRUPT_DATA naming the file) at the image's own size; resizing and
 * normalisation are left to the shared preprocessPixels, exactly as in the browser.
 */
import { decodeImage, type ImageInput } from '@dlkit/data/node';
import type { RawPixels } from '../preprocess.js';

export async function decodePixels(input: ImageInput): Promise<RawPixels> {
  const { data, shape } = await decodeImage(input, { channels: 3 });
  return { data, width: shape[1], height: shape[0], channels: 3 };
}

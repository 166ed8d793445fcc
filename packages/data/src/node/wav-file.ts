import { type DecodedWav, type DecodeWavOptions, decodeWav } from '../wav.js';
import { readFileBytes } from './read.js';

/** Decode a WAV file to mono float samples (optionally resampled); errors name the file and offset. */
export async function readWavFile(path: string, options: DecodeWavOptions = {}): Promise<DecodedWav> {
  return decodeWav(await readFileBytes(path), path, options);
}

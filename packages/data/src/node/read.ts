import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DlkitError } from '@dlkit/core';
import { corrupt } from '../errors.js';

const gunzipAsync = promisify(gunzip);

/** Read a file, naming it in the error when it is missing or unreadable. */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DlkitError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `Cannot read ${path}: ${(e as Error).message}`, { cause: e, details: { file: path } });
  }
}

/** Gunzip when the bytes start with the gzip magic; a truncated/corrupt stream names the file. */
export async function maybeGunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const out = await gunzipAsync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw corrupt(file, 'gzip stream', `${(e as Error).message} (truncated or corrupt .gz).`, {}, e);
  }
}

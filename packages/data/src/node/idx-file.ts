import { decodeIdx, type IdxArray, type IdxDtype } from '../idx.js';
import { maybeGunzip, readFileBytes } from './read.js';

/** Read an IDX file (plain or .gz) strictly; errors name the file and byte offset. */
export async function readIdxFile(path: string, expect?: { dims?: number; dtype?: IdxDtype }): Promise<IdxArray> {
  const bytes = await maybeGunzip(await readFileBytes(path), path);
  return decodeIdx(bytes, path, expect);
}

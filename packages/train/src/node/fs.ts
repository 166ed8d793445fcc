// Atomic file writes (temp file in the same directory + rename): readers never see a torn file.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DlkitError } from '@dlkit/core';

export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new DlkitError('IO_ERROR', `Could not write ${path}: ${(e as Error).message}.`, {
      hint: 'Check that the directory exists and is writable.',
      cause: e,
      details: { file: path },
    });
  }
}

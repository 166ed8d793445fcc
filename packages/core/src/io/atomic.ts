/**
 * Crash-safe file writes: write a temp file in the same directory (same filesystem, so the
 * rename is atomic), fsync it, rename over the target, fsync the directory so the rename itself
 * survives power loss. Readers see the old file or the new one, never a torn one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DlkitError } from '../errors.js';

/** A short random suffix for temp names. */
export function randomSuffix(): string {
  return randomBytes(6).toString('hex');
}

/** fsync a directory so renames/creates inside it are durable. Best-effort: some platforms (Windows) refuse. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Directory fsync is unsupported on some platforms; the data files themselves are synced.
  } finally {
    await fh?.close().catch(() => {});
  }
}

/** Write `data` to `path` and fsync it (no rename): for files inside a temp dir that is renamed later. */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${randomSuffix()}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFileSynced(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new DlkitError('IO_ERROR', `Could not write ${path}: ${(e as Error).message}.`, {
      hint: 'Check that the directory is writable and the disk is not full.',
      cause: e,
      details: { file: path },
    });
  }
  await fsyncDir(dir);
}

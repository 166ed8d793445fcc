/**
 * The crash-safe directory swap behind saveModel, and the recovery loadModel runs:
 *   write `${dir}.tmp-<rand>` completely (fsynced) → rename dir → `${dir}.old-<time>-<rand>` →
 *   rename tmp → dir → remove the old one.
 * At every instant either `dir` is a complete model or (between the two renames) `dir` is
 * absent and exactly one complete `.old-*` sibling exists, which `recoverModelDir` renames back.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir, randomSuffix } from './atomic.js';
import { MODEL_JSON } from './file-system.js';

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Cheap completeness check: model.json parses and every weight file it lists exists. */
function looksComplete(dir: string): boolean {
  try {
    const json = JSON.parse(readFileSync(join(dir, MODEL_JSON), 'utf8')) as { weightsManifest?: { paths: string[] }[] };
    return (json.weightsManifest ?? []).every((g) => g.paths.every((p) => existsSync(join(dir, p))));
  } catch {
    return false;
  }
}

function siblings(dir: string, kind: 'old' | 'tmp'): string[] {
  const parent = dirname(dir);
  const prefix = `${basename(dir)}.${kind}-`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix)).map((n) => join(parent, n));
}

/** `${dir}.old-<base36 ms>-<rand>`: the time part orders recovery candidates newest first. */
export function oldName(dir: string): string {
  return `${dir}.old-${Date.now().toString(36).padStart(9, '0')}-${randomSuffix()}`;
}

export function tmpName(dir: string): string {
  return `${dir}.tmp-${randomSuffix()}`;
}

/**
 * If `dir` is missing but a complete `.old-*` sibling exists (a save was interrupted between its
 * two renames), rename the newest complete one back. Returns true when something was recovered.
 */
export async function recoverModelDir(dir: string): Promise<boolean> {
  if (existsSync(dir)) return false;
  const olds = siblings(dir, 'old').sort().reverse();
  for (const old of olds) {
    if (!isDir(old) || !looksComplete(old)) continue;
    await rename(old, dir);
    await fsyncDir(dirname(dir));
    return true;
  }
  return false;
}

/** Removes leftovers of interrupted saves; only once `dir` itself is a complete model. */
export async function cleanStaleSiblings(dir: string): Promise<void> {
  if (!isDir(dir) || !looksComplete(dir)) return;
  for (const p of [...siblings(dir, 'old'), ...siblings(dir, 'tmp')]) {
    await rm(p, { recursive: true, force: true }).catch(() => {});
  }
}

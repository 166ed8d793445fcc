import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { DlkitError } from '@dlkit/core';
import { corrupt } from '../errors.js';

/**
 * Files of `root/<class>/<file>` whose extension is in `exts`, as "class/file" paths. Symlinks are
 * followed only when they resolve inside `root` (a link out of the dataset folder is an error).
 */
export async function listClassFiles(root: string, exts: string[]): Promise<string[]> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (e) {
    throw new DlkitError('NOT_FOUND', `Dataset folder not found: ${root}.`, { cause: e, details: { file: root } });
  }
  const out: string[] = [];
  const dirs = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() || d.isSymbolicLink());
  for (const d of dirs) {
    const dir = join(root, d.name);
    if (d.isSymbolicLink()) await checkInside(dir, realRoot);
    if (!(await lstat(await realpath(dir))).isDirectory()) continue;
    for (const f of await readdir(dir, { withFileTypes: true })) {
      if (!exts.some((x) => f.name.toLowerCase().endsWith(x))) continue;
      if (f.isSymbolicLink()) await checkInside(join(dir, f.name), realRoot);
      else if (!f.isFile()) continue;
      out.push(`${d.name}/${f.name}`);
    }
  }
  return out;
}

async function checkInside(path: string, realRoot: string): Promise<void> {
  const target = await realpath(path).catch(() => undefined);
  if (!target || !(target === realRoot || target.startsWith(realRoot + sep))) {
    throw corrupt(path, '', `symlink points outside the dataset folder ${realRoot}${target ? ` (to ${target})` : ' (dangling)'}; refusing to follow it.`);
  }
}

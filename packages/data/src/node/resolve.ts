/**
 * Where each manifest file is: core's asset order (DLKIT_DATA_DIR → cache → download). Directory
 * entries (fsdd/recordings, speech-commands/<class>) and repacked archives are fetched as the
 * upstream repository archive; directories are extracted (temp dir + rename, so a half-extracted
 * folder never appears), archives are read in place with the archive's own prefix.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DlkitError } from '@dlkit/core';
import type { DatasetManifest, ManifestFile } from '../manifest.js';
import { type AssetSpec, assetCandidates, locateAsset, resolveAsset } from './core-io.js';
import { tarEntries } from './tar.js';

export type FileSource = 'dataDir' | 'modelDir' | 'cache' | 'download' | 'missing';

export interface ResolvedFile {
  entry: ManifestFile;
  /** Absolute path when found. */
  path?: string;
  source: FileSource;
  bytes?: number;
  /** Folder prefix inside an archive (differs when the upstream archive stands in for a repack). */
  prefix?: string;
}

export function folderOf(m: DatasetManifest): string {
  return m.folder ?? m.name;
}

function spec(m: DatasetManifest, f: ManifestFile, path = f.path): AssetSpec {
  return { kind: 'dataset', name: folderOf(m), path, urls: f.urls, sha256: f.sha256, size: f.size };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function downloadName(f: ManifestFile): string {
  return `_downloads/${f.path.replace(/[^\w.-]+/g, '_')}.upstream.${f.archive?.format ?? 'tar.gz'}`;
}

/** Find a file without downloading anything. */
export function locateFile(m: DatasetManifest, f: ManifestFile): ResolvedFile {
  if (f.type === 'directory') {
    const hit = assetCandidates(spec(m, f)).find((c) => isDir(c.path));
    return hit ? { entry: f, path: hit.path, source: hit.source } : { entry: f, source: 'missing' };
  }
  const hit = locateAsset(spec(m, f));
  if (hit) return { entry: f, path: hit.path, source: hit.source, bytes: statSync(hit.path).size, prefix: f.prefix };
  if (f.archive) {
    // The upstream repository archive, downloaded earlier, stands in for the repack.
    const up = locateAsset({ ...spec(m, f, downloadName(f)), sha256: undefined, size: undefined });
    if (up) return { entry: f, path: up.path, source: up.source, bytes: statSync(up.path).size, prefix: f.archive.prefix };
  }
  return { entry: f, source: 'missing' };
}

/** Find or download a file (and extract directory entries). */
export async function resolveFile(m: DatasetManifest, f: ManifestFile, opts: { progress?: boolean; verify?: boolean } = {}): Promise<ResolvedFile> {
  const found = locateFile(m, f);
  if (found.source !== 'missing' && !(opts.verify && f.sha256 && found.prefix === f.prefix)) return found;
  if (!f.archive) {
    const r = await resolveAsset(spec(m, f), opts);
    return { entry: f, path: r.path, source: r.source, bytes: statSync(r.path).size, prefix: f.prefix };
  }
  if (found.source !== 'missing') return found;
  const r = await resolveAsset({ ...spec(m, f, downloadName(f)), sha256: undefined, size: undefined }, opts);
  if (f.type !== 'directory') return { entry: f, path: r.path, source: 'download', bytes: statSync(r.path).size, prefix: f.archive.prefix };
  const dest = assetCandidates(spec(m, f)).at(-1)!.path;
  const n = await extractPrefix(r.path, f.archive.prefix, dest);
  if (n === 0) {
    throw new DlkitError('CORRUPT_DATA', `Downloaded archive ${r.path} has no entries under ${f.archive.prefix}.`, { details: { file: r.path, prefix: f.archive.prefix } });
  }
  return { entry: f, path: dest, source: 'download' };
}

/** Extract the files under `prefix` of an archive into `dest` (atomically: temp dir, then rename). */
export async function extractPrefix(archive: string, prefix: string, dest: string): Promise<number> {
  const tmp = `${dest}.tmp-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  let n = 0;
  try {
    for await (const e of tarEntries(archive, { wantData: (name) => name.startsWith(prefix) })) {
      if (e.type !== 'file' || !e.name.startsWith(prefix) || !e.data) continue;
      const rel = e.name.slice(prefix.length);
      const out = join(tmp, rel);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, e.data);
      n++;
    }
    if (existsSync(dest)) await rm(dest, { recursive: true, force: true });
    await mkdir(dirname(dest), { recursive: true });
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return n;
}

/** The resolved path of a file entry, or NOT_FOUND saying where it was looked for and how to get it. */
export function requirePath(m: DatasetManifest, r: ResolvedFile): string {
  if (r.path) return r.path;
  const where = r.entry.type === 'directory' ? assetCandidates(spec(m, r.entry)).map((c) => c.path) : assetCandidates(spec(m, r.entry)).map((c) => c.path);
  throw new DlkitError('NOT_FOUND', `Dataset ${m.name}: ${r.entry.path} is missing (looked in ${where.join(', ')}).`, {
    hint: `Run prepareDataset('${m.name}') (CLI: dlkit datasets prepare ${m.name}) to download it, or set DLKIT_DATA_DIR to a folder holding ${folderOf(m)}/${r.entry.path}.`,
    details: { dataset: m.name, file: r.entry.path, searched: where },
  });
}

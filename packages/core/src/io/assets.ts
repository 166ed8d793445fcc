/**
 * Asset resolution for datasets and pretrained models: pre-placed directory (DLKIT_DATA_DIR /
 * DLKIT_MODEL_DIR) → user cache → download into the cache. One order everywhere, so tests and
 * offline machines point a variable at local copies and nothing ever hits the network.
 */
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { env } from '../config.js';
import { DlkitError, invalidOption, isDlkitError } from '../errors.js';
import { type DownloadOptions, download, offlineError } from './download.js';
import { sha256File } from './hash.js';

export interface AssetSpec {
  kind: 'dataset' | 'model';
  /** Folder name of the dataset/model, e.g. 'fashion-mnist'. */
  name: string;
  /** Path relative inside that folder, e.g. 'train-images-idx3-ubyte.gz'. */
  path: string;
  /** Canonical URL and mirrors, tried in order. */
  urls: string[];
  sha256?: string;
  size?: number;
}

export type AssetSource = 'dataDir' | 'modelDir' | 'cache';

function checkRelative(option: string, value: string): void {
  const n = normalize(value);
  if (value === '' || isAbsolute(value) || n === '..' || n.startsWith('../') || n.startsWith('..\\')) {
    throw invalidOption(option, value, 'a non-empty relative path that stays inside the asset folder');
  }
}

/** Where each source would hold the asset (existing or not), in lookup order. */
export function assetCandidates(spec: AssetSpec): { path: string; source: AssetSource }[] {
  checkRelative('name', spec.name);
  checkRelative('path', spec.path);
  const out: { path: string; source: AssetSource }[] = [];
  const preDir = spec.kind === 'dataset' ? env.dataDir : env.modelDir;
  if (preDir) out.push({ path: join(preDir, spec.name, spec.path), source: spec.kind === 'dataset' ? 'dataDir' : 'modelDir' });
  out.push({ path: join(env.cacheDir, `${spec.kind}s`, spec.name, spec.path), source: 'cache' });
  return out;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds an already-present copy; never downloads. */
export function locateAsset(spec: AssetSpec): { path: string; source: AssetSource } | undefined {
  return assetCandidates(spec).find((c) => isFile(c.path));
}

/** Locates the asset, else downloads it into the cache (each URL in turn). */
export async function resolveAsset(
  spec: AssetSpec,
  opts: { progress?: DownloadOptions['progress']; verify?: boolean } = {},
): Promise<{ path: string; source: AssetSource | 'download' }> {
  const found = locateAsset(spec);
  if (found) {
    if (!opts.verify || spec.sha256 === undefined) return found;
    const actual = await sha256File(found.path);
    if (actual === spec.sha256.toLowerCase()) return found;
    if (found.source !== 'cache') {
      throw new DlkitError('CHECKSUM_MISMATCH', `${found.path} does not match the expected sha256 ${spec.sha256} (got ${actual}).`, {
        hint: `Replace the file with an intact copy from ${spec.urls[0] ?? 'the original source'}.`,
        details: { file: found.path, expected: spec.sha256, actual },
      });
    }
    await rm(found.path, { force: true }); // a corrupt cache entry is ours to replace
  }
  const candidates = assetCandidates(spec);
  const cachePath = candidates[candidates.length - 1].path;
  if (spec.urls.length === 0) {
    throw new DlkitError('NOT_FOUND', `${spec.kind} asset ${spec.name}/${spec.path} was not found and has no download URL.`, {
      hint: `Put the file at ${candidates.map((c) => c.path).join(' or ')}.`,
      details: { searched: candidates.map((c) => c.path) },
    });
  }
  const alternatives = candidates.map((c) => c.path);
  if (env.offline) throw offlineError(spec.urls[0], cachePath, alternatives);
  let lastError: unknown;
  for (const url of spec.urls) {
    try {
      await download(url, cachePath, { sha256: spec.sha256, size: spec.size, progress: opts.progress, label: `download ${spec.name}/${spec.path}` });
      return { path: cachePath, source: 'download' };
    } catch (e) {
      // A dead or corrupt mirror: try the next one. Anything else (offline, abort, bad option) is final.
      if (!isDlkitError(e, 'DOWNLOAD_FAILED') && !isDlkitError(e, 'CHECKSUM_MISMATCH')) throw e;
      lastError = e;
    }
  }
  if (spec.urls.length === 1) throw lastError;
  throw new DlkitError('DOWNLOAD_FAILED', `All ${spec.urls.length} URLs for ${spec.name}/${spec.path} failed; last error: ${(lastError as Error).message}`, {
    hint: `Place the file at ${alternatives.join(' or ')} yourself.`,
    cause: lastError,
    details: { urls: spec.urls, file: cachePath },
  });
}

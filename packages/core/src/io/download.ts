/**
 * Resumable, verified, atomic downloads. Bytes stream into `${dest}.part`; an existing .part is
 * resumed with a Range request; size and sha256 are checked before the atomic rename to `dest`,
 * so `dest` only ever exists complete and verified, and a bad file never survives.
 */
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { env } from '../config.js';
import { DlkitError, invalidOption, isDlkitError } from '../errors.js';
import { createProgress, type Progress, type ProgressOptions } from '../progress.js';
import { fsyncDir } from './atomic.js';
import { sha256File } from './hash.js';

export interface DownloadOptions {
  /** Expected sha256 (hex) of the whole file. */
  sha256?: string;
  /** Expected size in bytes. */
  size?: number;
  /** true (default): bar/JSON lines per env.progress; false: silent; or full progress options. */
  progress?: boolean | ProgressOptions;
  /** Progress label (default: the file name). */
  label?: string;
  signal?: AbortSignal;
  /** Injected fetch (tests, proxies). Default: globalThis.fetch. */
  fetch?: typeof fetch;
  /** Retries for transient failures (network errors, 5xx, 408, 429, truncated bodies). Default 3. */
  retries?: number;
}

/** An error worth retrying (network drop, server hiccup); the .part is kept for resuming. */
class TransientError extends Error {}

export function offlineError(url: string, dest: string, alternatives: string[] = []): DlkitError {
  const places = [dest, ...alternatives.filter((a) => a !== dest)];
  return new DlkitError('OFFLINE', `Offline mode (DLKIT_OFFLINE / env.offline) forbids downloading ${url} to ${dest}.`, {
    hint: `Put the file at ${places.join(' or ')}, or unset DLKIT_OFFLINE (env.offline = false) to allow the download.`,
    details: { url, file: dest, alternatives },
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function makeProgress(opts: DownloadOptions, dest: string, total: number | undefined): Progress | undefined {
  const p = opts.progress ?? true;
  if (p === false) return undefined;
  const label = opts.label ?? `download ${basename(dest)}`;
  if (p === true) return createProgress({ label, total, unit: 'B' });
  return createProgress({ unit: 'B', ...p, total: p.total ?? total });
}

interface FetchState {
  progress?: Progress;
}

/** One request: writes/appends the body into `part`. Throws TransientError for retryable failures. */
async function fetchIntoPart(url: string, dest: string, part: string, opts: DownloadOptions, state: FetchState): Promise<void> {
  const fetchFn = opts.fetch ?? globalThis.fetch;
  let offset = await fileSize(part);
  if (opts.size !== undefined && offset > opts.size) {
    await rm(part, { force: true });
    offset = 0;
  }
  const headers: Record<string, string> = {};
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  let res: Response;
  try {
    res = await fetchFn(url, { headers, signal: opts.signal, redirect: 'follow' });
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    throw new TransientError(`network error: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`, { cause: e });
  }
  if (res.status === 416 && offset > 0) {
    // Our .part is not a prefix the server recognises (e.g. already complete or stale): start over.
    await res.body?.cancel().catch(() => {});
    await rm(part, { force: true });
    throw new TransientError('server rejected the resume range (HTTP 416); restarting from byte 0');
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    const msg = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (res.status >= 500 || res.status === 408 || res.status === 429) throw new TransientError(msg);
    throw new DlkitError('DOWNLOAD_FAILED', `Download of ${url} failed: ${msg}.`, {
      hint: `Check the URL, or place the file at ${dest} yourself.`,
      details: { url, file: dest, status: res.status },
    });
  }
  let append = false;
  if (res.status === 206) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== offset) {
      await res.body?.cancel().catch(() => {});
      await rm(part, { force: true });
      throw new TransientError(`server answered the resume request with an unexpected Content-Range "${res.headers.get('content-range')}"`);
    }
    append = offset > 0;
  } else {
    offset = 0; // 200: the server ignored Range (or none was sent): rewrite from the start.
  }
  const lengthHeader = res.headers.get('content-length');
  const contentLength = lengthHeader !== null ? Number(lengthHeader) : undefined;
  const total = contentLength !== undefined ? offset + contentLength : opts.size;
  state.progress ??= makeProgress(opts, dest, total);
  state.progress?.update(offset);
  if (!res.body) throw new TransientError('empty response body');

  const fh = await open(part, append ? 'a' : 'w');
  let received = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await fh.write(chunk);
      received += chunk.byteLength;
      state.progress?.update(offset + received);
    }
    await fh.sync();
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    throw new TransientError(`connection lost after ${offset + received} bytes: ${(e as Error).message}`, { cause: e });
  } finally {
    await fh.close();
  }
  if (contentLength !== undefined && received < contentLength) {
    throw new TransientError(`body truncated: got ${offset + received} of ${offset + contentLength} bytes`);
  }
}

/** Downloads `url` to `dest` (resume, retries, checksum, atomic rename). Returns `dest`. */
export async function download(url: string, dest: string, opts: DownloadOptions = {}): Promise<string> {
  if (env.offline) throw offlineError(url, dest);
  if (opts.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(opts.sha256)) {
    throw invalidOption('sha256', opts.sha256, '64 hex digits');
  }
  if (opts.size !== undefined && (!Number.isInteger(opts.size) || opts.size < 0)) {
    throw invalidOption('size', opts.size, 'a non-negative integer number of bytes');
  }
  const retries = opts.retries ?? 3;
  const part = `${dest}.part`;
  await mkdir(dirname(dest), { recursive: true });
  const resumed = (await fileSize(part)) > 0;
  // Second pass only when a resumed .part fails verification: its prefix may be from an older file.
  for (const fresh of resumed ? [false, true] : [true]) {
    if (fresh && resumed) await rm(part, { force: true });
    const state: FetchState = {};
    for (let attempt = 0; ; attempt++) {
      try {
        await fetchIntoPart(url, dest, part, opts, state);
        break;
      } catch (e) {
        if (opts.signal?.aborted) {
          throw new DlkitError('INTERRUPTED', `Download of ${url} was aborted; the partial file ${part} is kept for resuming.`, { cause: e, details: { url, file: part } });
        }
        if (!(e instanceof TransientError)) throw e;
        if (attempt >= retries) {
          throw new DlkitError('DOWNLOAD_FAILED', `Download of ${url} failed after ${attempt + 1} attempts: ${e.message}.`, {
            hint: `Check your network, or place the file at ${dest} yourself. The partial file ${part} is kept; rerunning resumes it.`,
            cause: e,
            details: { url, file: dest },
          });
        }
        await sleep(Math.min(4000, 200 * 2 ** attempt), opts.signal);
      }
    }
    state.progress?.done();
    try {
      await verify(url, part, opts);
    } catch (e) {
      await rm(part, { force: true });
      if (!fresh && isDlkitError(e, 'CHECKSUM_MISMATCH')) continue;
      throw e;
    }
    await rename(part, dest);
    await fsyncDir(dirname(dest));
    return dest;
  }
  /* c8 ignore next */
  throw new DlkitError('STATE', `unreachable: download loop of ${url} ended without a result`);
}

async function verify(url: string, part: string, opts: DownloadOptions): Promise<void> {
  const size = await fileSize(part);
  if (opts.size !== undefined && size !== opts.size) {
    throw new DlkitError('CHECKSUM_MISMATCH', `Download of ${url} has the wrong size: expected ${opts.size} bytes, got ${size}.`, {
      hint: 'The file was deleted; retry, and if it persists the URL or the expected size is wrong.',
      details: { url, expected: opts.size, actual: size },
    });
  }
  if (opts.sha256 !== undefined) {
    const expected = opts.sha256.toLowerCase();
    const actual = await sha256File(part);
    if (actual !== expected) {
      throw new DlkitError('CHECKSUM_MISMATCH', `Download of ${url} failed verification: expected sha256 ${expected}, got ${actual}.`, {
        hint: 'The file was deleted; retry, and if it persists the URL or the expected checksum is wrong.',
        details: { url, expected, actual },
      });
    }
  }
}

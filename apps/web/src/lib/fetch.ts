/**
 * Downloads with progress, for the page's "downloading … MB" readouts. Reads the body as a
 * stream and reports bytes against Content-Length (unknown totals report total 0).
 */
import { DlkitError } from '@dlkit/core';

export interface DownloadProgress {
  url: string;
  loaded: number;
  total: number;
}
export type OnProgress = (p: DownloadProgress) => void;

export async function fetchBytes(url: string, onProgress?: OnProgress): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new DlkitError('DOWNLOAD_FAILED', `Could not fetch ${url}: ${(e as Error).message}.`, { hint: 'Check that the dev server is running and the network is up.', cause: e });
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new DlkitError(res.status === 404 ? 'NOT_FOUND' : 'DOWNLOAD_FAILED', `Could not fetch ${url}: HTTP ${res.status}.`, { details: { url, status: res.status } });
  }
  const total = Number(res.headers.get('Content-Length') ?? 0);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress?.({ url, loaded, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.({ url, loaded, total });
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function fetchText(url: string, onProgress?: OnProgress): Promise<string> {
  return new TextDecoder().decode(await fetchBytes(url, onProgress));
}

export async function fetchJson<T = unknown>(url: string, onProgress?: OnProgress): Promise<T> {
  const text = await fetchText(url, onProgress);
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `${url} is not valid JSON: ${(e as Error).message}.`, { cause: e, details: { url } });
  }
}

/** The first URL that answers (local copy first, canonical upstream second). */
export async function firstAvailable(urls: string[]): Promise<string> {
  for (const u of urls) {
    const res = await fetch(u, { method: 'HEAD' }).catch(() => undefined);
    if (res?.ok) return u;
  }
  return urls.at(-1)!;
}

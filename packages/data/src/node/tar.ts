/**
 * Reading .tar / .tar.gz archives with tar-stream, strictly: entries whose path is absolute,
 * has a ".." segment, or is a link pointing outside the archive root are rejected (never skipped
 * silently), and a truncated archive is CORRUPT_DATA naming the file and the last entry read.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { corrupt } from '../errors.js';

export interface TarEntry {
  /** Normalised relative path ("a/b.jpg", no leading "./"). */
  name: string;
  type: 'file' | 'directory' | 'link' | 'other';
  size: number;
  /** File bytes, when `wantData` said so. */
  data?: Uint8Array;
  /** 0-based index of the entry in the archive. */
  index: number;
}

export interface TarReadOptions {
  /** Decide per entry whether its bytes are needed (default: all files). Others are skipped cheaply. */
  wantData?: (name: string) => boolean;
  /** Name used in errors when reading from a buffer. */
  name?: string;
}

/** Reject absolute paths, drive letters and ".." segments; return the normalised relative path. */
export function safeEntryName(raw: string, file: string, index: number): string {
  const n = raw.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n) || n.split('/').includes('..')) {
    throw corrupt(file, `entry ${index} (${JSON.stringify(raw)})`, 'path escapes the archive root (absolute path or ".." segment); refusing to read this archive.', {
      entry: raw,
      index,
    });
  }
  return posix.normalize(n).replace(/^(\.\/)+/, '').replace(/\/$/, '');
}

function checkLink(name: string, target: string, hard: boolean, file: string, index: number): void {
  const t = target.replace(/\\/g, '/');
  const resolved = hard ? posix.normalize(t) : posix.normalize(posix.join(posix.dirname(name), t));
  if (t.startsWith('/') || /^[a-zA-Z]:/.test(t) || resolved === '..' || resolved.startsWith('../')) {
    throw corrupt(file, `entry ${index} (${JSON.stringify(name)})`, `link to ${JSON.stringify(target)} points outside the archive root; refusing to read this archive.`, {
      entry: name,
      index,
      linkname: target,
    });
  }
}

async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Iterate the entries of a .tar or .tar.gz (gzip detected by magic), from a path or bytes. */
export async function* tarEntries(source: string | Uint8Array, options: TarReadOptions = {}): AsyncGenerator<TarEntry> {
  const file = options.name ?? (typeof source === 'string' ? source : '<buffer>');
  const gz = typeof source === 'string' ? await isGzipFile(source) : source[0] === 0x1f && source[1] === 0x8b;
  const input: Readable = typeof source === 'string' ? createReadStream(source) : Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)]);
  const ex = tar.extract();
  const stream = gz ? input.pipe(createGunzip()) : input;
  if (gz) input.on('error', (e) => stream.destroy(e));
  stream.on('error', (e) => ex.destroy(e));
  stream.pipe(ex);
  let index = 0;
  let last = '(none)';
  try {
    for await (const entry of ex) {
      const h = entry.header;
      const name = safeEntryName(h.name, file, index);
      last = name;
      const type = h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'directory' ? 'directory' : h.type === 'symlink' || h.type === 'link' ? 'link' : 'other';
      if (type === 'link') checkLink(name, h.linkname ?? '', h.type === 'link', file, index);
      if (type === 'file' && (options.wantData?.(name) ?? true)) {
        const parts: Buffer[] = [];
        for await (const c of entry) parts.push(c as Buffer);
        const buf = Buffer.concat(parts);
        yield { name, type, size: h.size ?? buf.length, data: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), index };
      } else {
        entry.resume();
        await new Promise<void>((res, rej) => {
          entry.on('end', res);
          entry.on('error', rej);
        });
        yield { name, type, size: h.size ?? 0, index };
      }
      index++;
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'CORRUPT_DATA') throw e;
    throw corrupt(file, `entry ${index} (after ${JSON.stringify(last)})`, `${(e as Error).message} (truncated or corrupt ${gz ? '.tar.gz' : '.tar'}).`, { index, lastEntry: last }, e);
  } finally {
    input.destroy();
  }
}

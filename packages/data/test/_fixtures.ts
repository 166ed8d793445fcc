import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@dlkit/core';
import sharp from 'sharp';
import tar from 'tar-stream';

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `dlkit-${tag}-`));
}

/** A seeded random RGB image as PNG or JPEG bytes. */
export async function randomImage(seed: number, w: number, h: number, format: 'png' | 'jpeg' = 'png', channels: 1 | 3 | 4 = 3): Promise<Buffer> {
  const rng = new Rng(seed);
  const raw = Buffer.from(Uint8Array.from({ length: w * h * channels }, () => rng.int(256)));
  const img = sharp(raw, { raw: { width: w, height: h, channels } });
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 90 }).toBuffer();
}

export interface TarItem {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
}

/** Build a tar in memory (tar-stream pack); names are written verbatim, even hostile ones. */
export async function makeTar(items: TarItem[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => chunks.push(c as Buffer));
  const done = new Promise<void>((res) => pack.on('end', () => res()));
  for (const it of items) {
    if (it.type === 'symlink' || it.type === 'directory') pack.entry({ name: it.name, type: it.type, linkname: it.linkname });
    else pack.entry({ name: it.name }, it.data ?? '');
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function writeTree(root: string, files: Record<string, Buffer | string>): void {
  for (const [rel, data] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, data);
  }
}

/** sha256 helpers (hex), streaming for files so large weights/datasets never sit in memory twice. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function sha256Bytes(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

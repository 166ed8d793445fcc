import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { reloadEnv, selectBackend } from '@dlkit/core';

export const SHARED = join(import.meta.dirname, '../../../../shared');
export const DATA_DIR = process.env.DLKIT_DATA_DIR ?? join(SHARED, 'datasets');
export const haveFsdd = existsSync(join(DATA_DIR, 'fsdd', 'recordings'));
export const haveSpeechCommands = existsSync(join(DATA_DIR, 'speech-commands', 'yes'));
export const REPO = join(import.meta.dirname, '../../..');

export async function wasm(): Promise<void> {
  // Tests read ../shared, never the network.
  process.env.DLKIT_DATA_DIR ??= DATA_DIR;
  process.env.DLKIT_OFFLINE ??= '1';
  reloadEnv();
  await selectBackend('wasm');
}

export function sine(freq: number, sampleRate: number, n: number, amp = 0.5, phase = 0): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / sampleRate + phase));
}

/** Seeded uniform noise in [-amp, amp]. */
export function noise(n: number, amp: number, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return amp * (2 * (s / 2147483648) - 1);
  });
}

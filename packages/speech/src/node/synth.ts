/**
 * `dlkit speech synth-data`: a synthetic keyword corpus from Debian's espeak-ng — every word in
 * several English accents × voice variants × speeds × pitches, seeded, written as
 * OUT/<word>/<accent>_<variant>_<speed>_<pitch>.wav. The script is in the repo; its output is not.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkInt, DlkitError, Rng } from '@dlkit/core';
import { atomicWriteFile } from '@dlkit/core/node';
import { decodeWav, encodeWav, resample } from '@dlkit/data';

const run = promisify(execFile);

export const ACCENTS = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc'];
export const VARIANTS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'f1', 'f2', 'f3', 'f4', 'f5', 'croak', 'klatt', 'klatt2', 'whisper', 'Andy', 'Annie', 'david', 'edward', 'grandma', 'grandpa'];
/** Speech Commands' `_unknown_` class: other short words (none of the ten keywords). */
export const UNKNOWN_WORDS = ['bed', 'bird', 'cat', 'dog', 'eight', 'five', 'four', 'happy', 'house', 'marvin', 'nine', 'one', 'seven', 'sheila', 'six', 'three', 'tree', 'two', 'wow', 'zero', 'forward', 'backward', 'follow', 'learn', 'visual'];

export interface SynthOptions {
  /** Words (class folders). A class named `_unknown_` is filled with UNKNOWN_WORDS. */
  words: string[];
  out: string;
  perWord?: number;
  sampleRate?: number;
  seed?: number;
  /** Text to speak for a class (default: the class name). */
  text?: Record<string, string>;
}

export async function espeakAvailable(): Promise<boolean> {
  try {
    await run('espeak-ng', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Speak `text` with espeak-ng; mono samples at `sampleRate`. */
export async function speak(text: string, o: { voice?: string; speed?: number; pitch?: number; sampleRate?: number } = {}): Promise<Float32Array> {
  const tmp = join(tmpdir(), `dlkit-espeak-${process.pid}-${Math.random().toString(36).slice(2)}.wav`);
  try {
    await run('espeak-ng', ['-v', o.voice ?? 'en-us', '-s', String(o.speed ?? 160), '-p', String(o.pitch ?? 50), '-w', tmp, text]);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DlkitError(missing ? 'NOT_FOUND' : 'IO_ERROR', missing ? 'espeak-ng is not installed.' : `espeak-ng failed: ${(e as Error).message}`, {
      ...(missing ? { hint: 'Install it: `apt-get install espeak-ng` (Debian/Ubuntu) or `brew install espeak-ng`.' } : {}),
    });
  }
  try {
    const w = decodeWav(new Uint8Array(await readFile(tmp)), tmp);
    return resample(w.samples, w.sampleRate, o.sampleRate ?? w.sampleRate);
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function synthDataCommand(o: SynthOptions & { log?: (m: string) => void }): Promise<Record<string, unknown>> {
  const perWord = checkInt('perWord', o.perWord ?? 100, 1);
  const sampleRate = checkInt('sampleRate', o.sampleRate ?? 16000, 1000);
  if (o.words.length === 0) throw new DlkitError('INVALID_OPTION', 'Invalid option --words: empty; expected comma-separated words, e.g. yes,no,up.');
  const rng = new Rng(o.seed ?? 0);
  const t0 = Date.now();
  let n = 0;
  for (const word of o.words) {
    const dir = join(o.out, word);
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < perWord; i++) {
      const accent = ACCENTS[rng.int(ACCENTS.length)]!;
      const variant = VARIANTS[rng.int(VARIANTS.length)]!;
      const speed = 110 + rng.int(110);
      const pitch = 20 + rng.int(60);
      const text = word === '_unknown_' ? UNKNOWN_WORDS[rng.int(UNKNOWN_WORDS.length)]! : (o.text?.[word] ?? word);
      const samples = await speak(text, { voice: `${accent}+${variant}`, speed, pitch, sampleRate });
      const name = `${String(i).padStart(4, '0')}_${accent}_${variant}_${speed}_${pitch}${word === '_unknown_' ? `_${text}` : ''}.wav`;
      await atomicWriteFile(join(dir, name), encodeWav(samples, sampleRate));
      n++;
    }
    o.log?.(`${word}: ${perWord} clips`);
  }
  return { out: o.out, words: o.words, clips: n, sampleRate, wallTimeS: +((Date.now() - t0) / 1000).toFixed(1) };
}

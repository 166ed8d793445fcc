/**
 * Digit-sequence data for the CTC recogniser: FSDD recordings grouped by speaker (from the dataset
 * registry, so DLKIT_DATA_DIR / cache / download apply), espeak-ng spoken sequences (cached as a
 * sequence folder), and sequence folders themselves: DIR/transcripts.tsv (`file<TAB>text`) + WAVs.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DlkitError, Rng } from '@dlkit/core';
import { atomicWriteFile } from '@dlkit/core/node';
import { type AudioExample, decodeWav, encodeWav, resample } from '@dlkit/data';
import { loadDataset } from '@dlkit/data/node';
import { concatDigitSequences, DIGIT_WORDS, type SequenceExample, trimSilence } from '../digit-sequences.js';
import { speak } from './synth.js';

export const FSDD_SPEAKERS = ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'];

export interface FsddPoolOptions {
  speakers: string[];
  /** Recording indices to use, inclusive (FSDD: 0–4 is the conventional test split). Default [0, 49]. */
  indices?: [number, number];
  sampleRate: number;
}

/** FSDD clips of the given speakers, trimmed of silence, as pool[speaker][digit] (file-name order). */
export async function fsddPool(o: FsddPoolOptions): Promise<Map<string, Float32Array[][]>> {
  const unknown = o.speakers.filter((s) => !FSDD_SPEAKERS.includes(s));
  if (unknown.length || o.speakers.length === 0) throw new DlkitError('INVALID_OPTION', `Invalid option speakers: ${JSON.stringify(o.speakers)}; expected some of ${FSDD_SPEAKERS.join(', ')}.`);
  const [lo, hi] = o.indices ?? [0, 49];
  const pool = new Map<string, Float32Array[][]>(o.speakers.map((s) => [s, Array.from({ length: 10 }, () => [])]));
  for (const split of ['test', 'train']) {
    const ds = await loadDataset<AudioExample>('fsdd', { split });
    const all = await ds.toArray();
    all.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? ''));
    for (const e of all) {
      const m = /(\d)_([A-Za-z0-9-]+)_(\d+)\.wav$/.exec(basename(e.file ?? ''));
      if (!m) continue;
      const [speaker, index] = [m[2]!, Number(m[3])];
      if (!pool.has(speaker) || index < lo || index > hi) continue;
      pool.get(speaker)![e.label]!.push(trimSilence(resample(e.samples, e.sampleRate, o.sampleRate), o.sampleRate));
    }
  }
  return pool;
}

/** `count` seeded FSDD digit sequences (2–5 digits) of the given speakers and recording indices. */
export async function fsddSequences(o: FsddPoolOptions & { count: number; seed: number }): Promise<SequenceExample[]> {
  const pool = await fsddPool(o);
  return concatDigitSequences(pool, o.sampleRate, o.count, new Rng(o.seed)).map((e, i) => ({ ...e, file: `fsdd-${o.seed}-${String(i).padStart(4, '0')}.wav` }));
}

export interface EspeakSequenceOptions {
  /** espeak-ng voices, e.g. "en-us+m3". */
  voices: string[];
  count: number;
  seed: number;
  sampleRate: number;
  /** Sequence folder to cache into (reused when its transcripts.tsv lists `count` files). */
  dir?: string;
  log?: (m: string) => void;
}

/** Seeded espeak-ng digit sequences (2–5 digits, random voice, speed 120–200 wpm, pitch 30–70). */
export async function espeakSequences(o: EspeakSequenceOptions): Promise<SequenceExample[]> {
  if (o.voices.length === 0) throw new DlkitError('INVALID_OPTION', 'Invalid option voices: []; expected espeak-ng voices such as en-us+m3.');
  if (o.dir && existsSync(join(o.dir, TRANSCRIPTS))) {
    const cached = await readSequenceFolder(o.dir, o.sampleRate);
    // Reuse only a corpus of the same size spoken by the requested voices (a held-out voice must never leak in).
    if (cached.length === o.count && cached.every((e) => e.speaker && o.voices.includes(e.speaker))) {
      o.log?.(`reusing ${cached.length} espeak sequences from ${o.dir}`);
      return cached;
    }
  }
  // Draw every sequence's settings first (seeded, in order), then synthesise a few at a time:
  // each espeak-ng call is mostly process start-up latency, which concurrent calls overlap.
  const rng = new Rng(o.seed);
  const specs = Array.from({ length: o.count }, () => ({ voice: o.voices[rng.int(o.voices.length)]!, digits: Array.from({ length: 2 + rng.int(4) }, () => rng.int(10)), speed: 120 + rng.int(81), pitch: 30 + rng.int(41) }));
  const out: SequenceExample[] = new Array(o.count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < specs.length; i = next++) {
      const { voice, digits, speed, pitch } = specs[i]!;
      const file = `${String(i).padStart(4, '0')}_${voice.replace('+', '_')}_${speed}_${pitch}.wav`;
      // With a folder, each WAV is written as soon as it is spoken (a killed run keeps its work) and
      // a WAV already there under the same name — index, voice, speed, pitch — is reused.
      const path = o.dir ? join(o.dir, file) : undefined;
      let samples: Float32Array;
      if (path && existsSync(path)) {
        const w = decodeWav(new Uint8Array(await readFile(path)), path);
        samples = resample(w.samples, w.sampleRate, o.sampleRate);
      } else {
        samples = await speak(digits.map((d) => DIGIT_WORDS[d]).join(' '), { voice, speed, pitch, sampleRate: o.sampleRate });
        if (path) await atomicWriteFile(path, encodeWav(samples, o.sampleRate));
      }
      out[i] = { samples, sampleRate: o.sampleRate, text: digits.join(' '), speaker: voice, file };
      if (++done % 100 === 0) o.log?.(`espeak: ${done}/${o.count} sequences`);
    }
  };
  if (o.dir) await mkdir(o.dir, { recursive: true });
  await Promise.all(Array.from({ length: Math.min(6, o.count) }, worker));
  if (!o.dir) return out;
  // Read back what was written (16-bit WAV), so a first run and a cached rerun train on the same samples.
  await writeSequenceFolder(o.dir, out);
  return readSequenceFolder(o.dir, o.sampleRate);
}

const TRANSCRIPTS = 'transcripts.tsv';

export async function writeSequenceFolder(dir: string, examples: SequenceExample[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const e of examples) await atomicWriteFile(join(dir, e.file!), encodeWav(e.samples, e.sampleRate));
  await atomicWriteFile(join(dir, TRANSCRIPTS), examples.map((e) => `${e.file}\t${e.text}${e.speaker ? `\t${e.speaker}` : ''}\n`).join(''));
}

/** A sequence folder: DIR/transcripts.tsv lines `file<TAB>text[<TAB>speaker]`, WAV paths relative to DIR. */
export async function readSequenceFolder(dir: string, sampleRate?: number): Promise<SequenceExample[]> {
  const tsv = join(dir, TRANSCRIPTS);
  if (!existsSync(tsv)) throw new DlkitError('NOT_FOUND', `${dir} has no ${TRANSCRIPTS}.`, { hint: 'A sequence folder holds WAVs and transcripts.tsv with lines "file<TAB>text".' });
  const lines = (await readFile(tsv, 'utf8')).split('\n').filter((l) => l.trim());
  const out: SequenceExample[] = [];
  for (const [n, line] of lines.entries()) {
    const [file, text, speaker] = line.split('\t');
    if (!file || text === undefined) throw new DlkitError('CORRUPT_DATA', `${tsv} line ${n + 1}: expected "file<TAB>text".`, { details: { file: tsv, line: n + 1 } });
    const path = join(dir, file);
    const w = decodeWav(new Uint8Array(await readFile(path)), path);
    const samples = sampleRate ? resample(w.samples, w.sampleRate, sampleRate) : w.samples;
    out.push({ samples, sampleRate: sampleRate ?? w.sampleRate, text, file, ...(speaker ? { speaker } : {}) });
  }
  return out;
}

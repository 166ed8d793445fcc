/**
 * Spoken digit sequences for CTC training and evaluation: isolated digit recordings (FSDD) of one
 * speaker trimmed of silence and concatenated with short random pauses, seeded. A sequence is
 * `{ samples, sampleRate, text }` with the digits as space-separated words ("3 7 1").
 */
import { checkInt, DlkitError, type Rng } from '@dlkit/core';

export interface SequenceExample {
  samples: Float32Array;
  sampleRate: number;
  /** Reference transcript: tokens separated by single spaces. */
  text: string;
  file?: string;
  speaker?: string;
}

export const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** What espeak-ng is asked to say for each digit. */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/**
 * Cut leading and trailing frames quieter than `thresholdDb` below the clip's loudest 10 ms
 * frame, keeping `padMs` either side (FSDD clips carry up to ~1 s of room noise around the word).
 */
export function trimSilence(x: Float32Array, sampleRate: number, o: { thresholdDb?: number; padMs?: number } = {}): Float32Array {
  const frame = Math.max(1, Math.round(sampleRate / 100));
  const n = Math.ceil(x.length / frame);
  const e = new Float64Array(n);
  let peak = 0;
  for (let f = 0; f < n; f++) {
    let s = 0;
    const end = Math.min(x.length, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) s += x[i]! * x[i]!;
    e[f] = s / (end - f * frame);
    peak = Math.max(peak, e[f]!);
  }
  if (peak === 0) return x.slice(0, 0);
  const floor = peak * 10 ** ((o.thresholdDb ?? -30) / 10);
  let a = 0;
  while (a < n && e[a]! < floor) a++;
  let b = n - 1;
  while (b > a && e[b]! < floor) b--;
  const pad = Math.round(((o.padMs ?? 30) * sampleRate) / 1000);
  return x.slice(Math.max(0, a * frame - pad), Math.min(x.length, (b + 1) * frame + pad));
}

export interface ConcatOptions {
  /** Digits per sequence, inclusive range (default [2, 5]). */
  length?: [number, number];
  /** Pause between digits in ms, inclusive range (default [50, 300]). */
  gapMs?: [number, number];
  /** Silence before and after the sequence in ms (default 150). */
  edgeMs?: number;
}

/**
 * `count` sequences from `clips[speaker][digit]` (trimmed clips at `sampleRate`): each picks a
 * speaker, a digit string of random length, and for each digit a random recording of that speaker.
 * Pauses are filled with low noise, not digital zero, so no frame is exactly silent.
 */
export function concatDigitSequences(clips: Map<string, Float32Array[][]>, sampleRate: number, count: number, rng: Rng, o: ConcatOptions = {}): SequenceExample[] {
  const [lo, hi] = o.length ?? [2, 5];
  checkInt('length[0]', lo, 1);
  checkInt('length[1]', hi, lo);
  const [g0, g1] = o.gapMs ?? [50, 300];
  const edge = Math.round(((o.edgeMs ?? 150) * sampleRate) / 1000);
  const speakers = [...clips.keys()].sort();
  if (speakers.length === 0) throw new DlkitError('INVALID_INPUT', 'No speakers to build digit sequences from.');
  for (const s of speakers) {
    const missing = DIGITS.filter((_, d) => !clips.get(s)![d]?.length);
    if (missing.length) throw new DlkitError('INVALID_INPUT', `Speaker ${s} has no recordings of digit(s) ${missing.join(', ')}.`);
  }
  const out: SequenceExample[] = [];
  for (let i = 0; i < count; i++) {
    const speaker = speakers[rng.int(speakers.length)]!;
    const n = lo + rng.int(hi - lo + 1);
    const digits = Array.from({ length: n }, () => rng.int(10));
    const parts = digits.map((d) => {
      const options = clips.get(speaker)![d]!;
      return options[rng.int(options.length)]!;
    });
    const gaps = digits.slice(1).map(() => Math.round(((g0 + (g1 - g0) * rng.next()) * sampleRate) / 1000));
    const total = 2 * edge + parts.reduce((t, p) => t + p.length, 0) + gaps.reduce((t, g) => t + g, 0);
    const samples = new Float32Array(total);
    for (let j = 0; j < total; j++) samples[j] = (rng.next() * 2 - 1) * 1e-4;
    let at = edge;
    parts.forEach((p, j) => {
      samples.set(p, at);
      at += p.length + (gaps[j] ?? 0);
    });
    out.push({ samples, sampleRate, text: digits.join(' '), speaker });
  }
  return out;
}

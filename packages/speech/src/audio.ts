/**
 * Audio inputs → mono Float32 samples at a target rate. Accepts a file path (Node), WAV bytes,
 * a Float32Array (+ its sample rate), `{samples, sampleRate}`, or an (async) iterable of chunks
 * (WAV byte chunks, e.g. a file stream, or Float32 sample chunks). WAV decoding, mono mix-down
 * and resampling are @dlkit/data's.
 */
import { DlkitError } from '@dlkit/core';
import { decodeWav, resample } from '@dlkit/data';
import { need } from './hooks.js';

export interface Samples {
  samples: Float32Array;
  sampleRate: number;
}

export type AudioChunks = AsyncIterable<Uint8Array | Float32Array> | Iterable<Uint8Array | Float32Array>;
export type AudioInput = string | Uint8Array | Float32Array | Samples | AudioChunks;

export interface ReadAudioOptions {
  /** Output rate; the input is resampled to it. */
  sampleRate: number;
  /** Rate of a bare Float32Array / Float32 chunk input (required for those). */
  inputSampleRate?: number;
  /** Name used in error messages. */
  name?: string;
}

const isSamples = (x: unknown): x is Samples => typeof x === 'object' && x !== null && (x as Samples).samples instanceof Float32Array && typeof (x as Samples).sampleRate === 'number';

function concat<T extends Uint8Array | Float32Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p as never, o);
    o += p.length;
  }
  return out;
}

/** Read any supported input to mono samples at `o.sampleRate`; empty or non-finite audio is an error. */
export async function readAudio(input: AudioInput, o: ReadAudioOptions): Promise<Samples> {
  const name = o.name ?? (typeof input === 'string' ? input : '<audio>');
  let s: Samples;
  if (typeof input === 'string') s = decodeWav(await need('readFile', 'Reading an audio file')(input), input);
  else if (input instanceof Uint8Array) s = decodeWav(input, name);
  else if (input instanceof Float32Array) s = { samples: input, sampleRate: requireRate(o, name) };
  else if (isSamples(input)) s = input;
  else if (typeof input === 'object' && input !== null && (Symbol.asyncIterator in input || Symbol.iterator in input)) {
    const parts: (Uint8Array | Float32Array)[] = [];
    for await (const c of input as AsyncIterable<Uint8Array | Float32Array>) parts.push(c);
    if (parts.length === 0) throw empty(name);
    if (parts.every((p) => p instanceof Float32Array)) s = { samples: concat(parts as Float32Array[], (n) => new Float32Array(n)), sampleRate: requireRate(o, name) };
    else if (parts.every((p) => p instanceof Uint8Array)) s = decodeWav(concat(parts as Uint8Array[], (n) => new Uint8Array(n)), name);
    else throw new DlkitError('INVALID_INPUT', `${name}: a chunk stream must be all WAV bytes (Uint8Array/Buffer) or all Float32Array samples, not a mix.`);
  } else {
    throw new DlkitError('INVALID_INPUT', `Unsupported audio input (${typeof input}).`, {
      hint: 'Pass a WAV path, WAV bytes, a Float32Array with inputSampleRate, {samples, sampleRate}, or an iterable of chunks.',
    });
  }
  if (!Number.isFinite(s.sampleRate) || s.sampleRate <= 0) throw new DlkitError('INVALID_INPUT', `${name}: sample rate ${s.sampleRate} is not a positive number.`);
  if (s.samples.length === 0) throw empty(name);
  for (let i = 0; i < s.samples.length; i++) {
    if (!Number.isFinite(s.samples[i]!)) throw new DlkitError('INVALID_INPUT', `${name}: sample ${i} is ${s.samples[i]} (audio must be finite).`);
  }
  return { samples: resample(s.samples, s.sampleRate, o.sampleRate), sampleRate: o.sampleRate };
}

function requireRate(o: ReadAudioOptions, name: string): number {
  if (o.inputSampleRate === undefined) {
    throw new DlkitError('INVALID_OPTION', `${name}: raw Float32Array audio needs its sample rate.`, { hint: 'Pass { inputSampleRate: 16000 } (or {samples, sampleRate}).' });
  }
  if (!Number.isInteger(o.inputSampleRate) || o.inputSampleRate <= 0) {
    throw new DlkitError('INVALID_OPTION', `Invalid option inputSampleRate: ${o.inputSampleRate}; expected a positive integer (Hz).`);
  }
  return o.inputSampleRate;
}

function empty(name: string): DlkitError {
  return new DlkitError('INVALID_INPUT', `${name}: the audio is empty (0 samples).`, { hint: 'Record or pass at least one frame of audio.' });
}

/**
 * Exactly n samples: a longer clip keeps its loudest n-sample window (so the word stays in view),
 * a shorter one is zero-padded on both sides (centred).
 */
export function fitLength(x: Float32Array, n: number): Float32Array {
  if (x.length === n) return x;
  if (x.length < n) {
    const out = new Float32Array(n);
    out.set(x, Math.floor((n - x.length) / 2));
    return out;
  }
  let e = 0;
  for (let i = 0; i < n; i++) e += x[i]! * x[i]!;
  let best = e;
  let at = 0;
  for (let i = n; i < x.length; i++) {
    e += x[i]! * x[i]! - x[i - n]! * x[i - n]!;
    if (e > best) {
      best = e;
      at = i - n + 1;
    }
  }
  return x.slice(at, at + n);
}

/**
 * Waveform and spectrogram augmentation for KWS training (as in the TF speech-commands recipe
 * and SpecAugment): random time shift, gain, speed perturbation, background noise mixed from
 * noise clips (e.g. the `_silence_` class) at a random SNR, and time/frequency masks.
 */
import { checkNumber, DlkitError, type Rng } from '@dlkit/core';
import { fitLength } from './audio.js';

export interface AugmentOptions {
  /** Max time shift in ms, either way (default 0). */
  shiftMs?: number;
  /** Gain range in dB, e.g. [-6, 6] (default none). */
  gainDb?: [number, number];
  /** Speed factor range, e.g. [0.9, 1.1] (default none); shifts pitch too, as sox `speed`. */
  speed?: [number, number];
  /** Probability of mixing in background noise (needs noise clips; default 0). */
  noiseProb?: number;
  /** SNR range in dB of the mixed noise (default [5, 20]). */
  snrDb?: [number, number];
  /** SpecAugment: number of time masks and their max width in frames (default 0, 0). */
  timeMasks?: number;
  timeMaskWidth?: number;
  /** SpecAugment: number of frequency masks and their max width in coefficients. */
  freqMasks?: number;
  freqMaskWidth?: number;
}

export type ResolvedAugment = Required<Omit<AugmentOptions, 'gainDb' | 'speed'>> & Pick<AugmentOptions, 'gainDb' | 'speed'>;

export function resolveAugment(o: AugmentOptions = {}): ResolvedAugment {
  const range = (name: string, r: [number, number] | undefined, min: number, max: number) => {
    if (r === undefined) return undefined;
    if (!Array.isArray(r) || r.length !== 2 || !(r[0] <= r[1])) throw new DlkitError('INVALID_OPTION', `Invalid option ${name}: ${JSON.stringify(r)}; expected [low, high] with low ≤ high.`);
    checkNumber(`${name}[0]`, r[0], min, max);
    checkNumber(`${name}[1]`, r[1], min, max);
    return r;
  };
  return {
    shiftMs: checkNumber('shiftMs', o.shiftMs ?? 0, 0, 1000),
    gainDb: range('gainDb', o.gainDb, -40, 40),
    speed: range('speed', o.speed, 0.5, 2),
    noiseProb: checkNumber('noiseProb', o.noiseProb ?? 0, 0, 1),
    snrDb: range('snrDb', o.snrDb ?? [5, 20], -20, 60)!,
    timeMasks: checkNumber('timeMasks', o.timeMasks ?? 0, 0, 10),
    timeMaskWidth: checkNumber('timeMaskWidth', o.timeMaskWidth ?? 0, 0, 1000),
    freqMasks: checkNumber('freqMasks', o.freqMasks ?? 0, 0, 10),
    freqMaskWidth: checkNumber('freqMaskWidth', o.freqMaskWidth ?? 0, 0, 1000),
  };
}

const uniform = (rng: Rng, [a, b]: [number, number]) => a + (b - a) * rng.next();

function energy(x: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i]! * x[i]!;
  return e / Math.max(1, x.length);
}

/**
 * Play `x` at `factor`× speed by linear interpolation (sox `speed`: tempo and pitch together).
 * Linear, not windowed-sinc: ±10 % changes alias little, and this runs per clip per epoch.
 */
export function stretch(x: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(Math.max(1, Math.floor(x.length / factor)));
  for (let i = 0; i < out.length; i++) {
    const t = i * factor;
    const j = Math.floor(t);
    const a = t - j;
    out[i] = (x[j] ?? 0) * (1 - a) + (x[j + 1] ?? 0) * a;
  }
  return out;
}

/** Augment one clip of n samples at `sampleRate` into `out` (length n). */
export function augmentWave(src: Float32Array, out: Float32Array, sampleRate: number, a: ResolvedAugment, rng: Rng, noise: Float32Array[]): void {
  const n = out.length;
  let x = src;
  if (a.speed) {
    const f = uniform(rng, a.speed);
    if (Math.abs(f - 1) > 1e-3) x = fitLength(stretch(x, f), n);
  }
  const shift = Math.round(((rng.next() * 2 - 1) * a.shiftMs * sampleRate) / 1000);
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const j = i - shift;
    if (j >= 0 && j < n) out[i] = x[j]!;
  }
  if (a.gainDb) {
    const g = 10 ** (uniform(rng, a.gainDb) / 20);
    for (let i = 0; i < n; i++) out[i]! *= g;
  }
  if (noise.length > 0 && rng.next() < a.noiseProb) {
    const clip = noise[Math.floor(rng.next() * noise.length)]!;
    const start = clip.length > n ? Math.floor(rng.next() * (clip.length - n)) : 0;
    const seg = clip.subarray(start, start + n);
    const ps = energy(out);
    const pn = energy(seg);
    // Silent target (a _silence_ clip): mix the noise at its own level.
    const scale = pn > 0 ? (ps > 0 ? Math.sqrt(ps / (pn * 10 ** (uniform(rng, a.snrDb) / 10))) : rng.next()) : 0;
    for (let i = 0; i < seg.length; i++) out[i]! += scale * seg[i]!;
  }
}

/** SpecAugment masks for one [t, c] feature map: 1 = keep, 0 = masked. */
export function specMask(t: number, c: number, a: ResolvedAugment, rng: Rng): Float32Array | undefined {
  if ((a.timeMasks === 0 || a.timeMaskWidth === 0) && (a.freqMasks === 0 || a.freqMaskWidth === 0)) return undefined;
  const m = new Float32Array(t * c).fill(1);
  for (let k = 0; k < a.timeMasks; k++) {
    const w = Math.floor(rng.next() * (a.timeMaskWidth + 1));
    const s = Math.floor(rng.next() * Math.max(1, t - w));
    for (let i = s; i < Math.min(t, s + w); i++) m.fill(0, i * c, (i + 1) * c);
  }
  for (let k = 0; k < a.freqMasks; k++) {
    const w = Math.floor(rng.next() * (a.freqMaskWidth + 1));
    const s = Math.floor(rng.next() * Math.max(1, c - w));
    for (let i = 0; i < t; i++) for (let j = s; j < Math.min(c, s + w); j++) m[i * c + j] = 0;
  }
  return m;
}

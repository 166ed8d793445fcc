/**
 * Audio features in tfjs (so they run on every backend): framing, windowing, STFT power
 * spectrum, log-mel, MFCC and per-utterance normalisation. The DFT is a matmul with cos/sin
 * matrices (window folded in) rather than tf.spectral.rfft: the wasm backend has no FFT kernel,
 * and for speech-sized frames (≤ 512) a matmul on XNNPACK is as fast as an FFT anyway.
 */
import { checkInt, checkNumber, checkOneOf, DlkitError, tf } from '@dlkit/core';

export type WindowKind = 'hann' | 'hamming' | 'rect';
export type FeatureKind = 'log-mel' | 'mfcc';

export interface FeatureOptions {
  /** Rate the features are computed at; inputs are resampled to it (default 16000). */
  sampleRate?: number;
  /** Analysis window length in ms (default 25). */
  frameLengthMs?: number;
  /** Hop between frames in ms (default 10). */
  hopMs?: number;
  /** DFT size ≥ frame length (default: next power of two). */
  fftSize?: number;
  window?: WindowKind;
  nMels?: number;
  fMin?: number;
  /** Default: sampleRate / 2. */
  fMax?: number;
  kind?: FeatureKind;
  /** MFCC coefficients kept (kind 'mfcc'; default 13). */
  nMfcc?: number;
  /** Per-utterance mean/variance normalisation over all frames and coefficients (default true). */
  normalize?: boolean;
}

export interface ResolvedFeatureOptions extends Required<FeatureOptions> {
  frameLength: number;
  hop: number;
  nBins: number;
}

export function resolveFeatures(o: FeatureOptions = {}): ResolvedFeatureOptions {
  const sampleRate = checkInt('sampleRate', o.sampleRate ?? 16000, 1000);
  const frameLengthMs = checkNumber('frameLengthMs', o.frameLengthMs ?? 25, 1);
  const hopMs = checkNumber('hopMs', o.hopMs ?? 10, 0.5);
  const frameLength = Math.round((sampleRate * frameLengthMs) / 1000);
  const hop = Math.max(1, Math.round((sampleRate * hopMs) / 1000));
  const fftSize = checkInt('fftSize', o.fftSize ?? 2 ** Math.ceil(Math.log2(frameLength)), frameLength);
  const window = checkOneOf('window', o.window ?? 'hann', ['hann', 'hamming', 'rect'] as const);
  const nMels = checkInt('nMels', o.nMels ?? 40, 1);
  const fMax = checkNumber('fMax', o.fMax ?? sampleRate / 2, 0, sampleRate / 2);
  const fMin = checkNumber('fMin', o.fMin ?? 20, 0, fMax);
  const kind = checkOneOf('kind', o.kind ?? 'log-mel', ['log-mel', 'mfcc'] as const);
  const nMfcc = checkInt('nMfcc', o.nMfcc ?? 13, 1, nMels);
  const normalize = o.normalize ?? true;
  return { sampleRate, frameLengthMs, hopMs, fftSize, window, nMels, fMin, fMax, kind, nMfcc, normalize, frameLength, hop, nBins: fftSize / 2 + 1 };
}

/** Frames in a signal of n samples (no padding: the last partial frame is dropped, as Kaldi's snip-edges). */
export function numFrames(n: number, frameLength: number, hop: number): number {
  return n < frameLength ? 0 : 1 + Math.floor((n - frameLength) / hop);
}

/** Periodic window (the STFT convention of librosa/torch). */
export function windowFunction(n: number, kind: WindowKind): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.cos((2 * Math.PI * i) / n);
    w[i] = kind === 'hann' ? 0.5 - 0.5 * c : kind === 'hamming' ? 0.54 - 0.46 * c : 1;
  }
  return w;
}

/** [frameLength, nBins] cos and −sin matrices of the real DFT of size fftSize, window folded in. */
export function dftMatrices(frameLength: number, fftSize: number, window: WindowKind): { re: Float32Array; im: Float32Array; nBins: number } {
  const nBins = fftSize / 2 + 1;
  if (!Number.isInteger(nBins)) throw new DlkitError('INVALID_OPTION', `Invalid option fftSize: ${fftSize}; expected an even integer.`);
  const w = windowFunction(frameLength, window);
  const re = new Float32Array(frameLength * nBins);
  const im = new Float32Array(frameLength * nBins);
  for (let t = 0; t < frameLength; t++) {
    for (let k = 0; k < nBins; k++) {
      // (t·k) mod N keeps the angle small so float64 cos/sin stay exact for large N.
      const a = (2 * Math.PI * ((t * k) % fftSize)) / fftSize;
      re[t * nBins + k] = w[t]! * Math.cos(a);
      im[t * nBins + k] = -w[t]! * Math.sin(a);
    }
  }
  return { re, im, nBins };
}

export const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
export const melToHz = (m: number): number => 700 * (10 ** (m / 2595) - 1);

/** HTK-style triangular mel filterbank, [nBins, nMels], each triangle peaking at 1. */
export function melFilterbank(nBins: number, sampleRate: number, nMels: number, fMin: number, fMax: number): Float32Array {
  const fftSize = (nBins - 1) * 2;
  const lo = hzToMel(fMin);
  const hi = hzToMel(fMax);
  const edges = Array.from({ length: nMels + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (nMels + 1)));
  const fb = new Float32Array(nBins * nMels);
  for (let k = 0; k < nBins; k++) {
    const f = (k * sampleRate) / fftSize;
    for (let m = 0; m < nMels; m++) {
      const [a, b, c] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
      const v = f <= a || f >= c ? 0 : f <= b ? (f - a) / (b - a) : (c - f) / (c - b);
      fb[k * nMels + m] = v;
    }
  }
  return fb;
}

/** Orthonormal DCT-II as a [nMels, nMfcc] matrix (scipy's dct(type=2, norm='ortho')). */
export function dctMatrix(nMels: number, nMfcc: number): Float32Array {
  const d = new Float32Array(nMels * nMfcc);
  for (let n = 0; n < nMels; n++) {
    for (let k = 0; k < nMfcc; k++) {
      const scale = k === 0 ? Math.sqrt(1 / nMels) : Math.sqrt(2 / nMels);
      d[n * nMfcc + k] = scale * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nMels));
    }
  }
  return d;
}

/** [B, L] → [B, T, frameLength] overlapping frames (a gather, so every backend has it). */
export function frameSignal(x: tf.Tensor2D, frameLength: number, hop: number): tf.Tensor3D {
  const t = numFrames(x.shape[1], frameLength, hop);
  if (t === 0) {
    throw new DlkitError('INVALID_INPUT', `Audio of ${x.shape[1]} samples is shorter than one ${frameLength}-sample frame.`, { hint: 'Pad the clip or use a shorter frameLengthMs.' });
  }
  return tf.tidy(() => {
    const idx = new Int32Array(t * frameLength);
    for (let i = 0; i < t; i++) for (let j = 0; j < frameLength; j++) idx[i * frameLength + j] = i * hop + j;
    return tf.gather(x, tf.tensor1d(idx, 'int32'), 1).reshape([x.shape[0], t, frameLength]) as tf.Tensor3D;
  });
}

/**
 * Computes features for batches of equal-length waveforms. Holds the DFT, mel and DCT matrices
 * as tensors (built once), so dispose() it when done.
 */
export class FeatureExtractor {
  readonly options: ResolvedFeatureOptions;
  private readonly re: tf.Tensor2D;
  private readonly im: tf.Tensor2D;
  private readonly mel: tf.Tensor2D;
  private readonly dct: tf.Tensor2D | undefined;
  private disposed = false;

  constructor(o: FeatureOptions = {}) {
    const r = resolveFeatures(o);
    this.options = r;
    const { re, im, nBins } = dftMatrices(r.frameLength, r.fftSize, r.window);
    this.re = tf.tensor2d(re, [r.frameLength, nBins]);
    this.im = tf.tensor2d(im, [r.frameLength, nBins]);
    this.mel = tf.tensor2d(melFilterbank(nBins, r.sampleRate, r.nMels, r.fMin, r.fMax), [nBins, r.nMels]);
    this.dct = r.kind === 'mfcc' ? tf.tensor2d(dctMatrix(r.nMels, r.nMfcc), [r.nMels, r.nMfcc]) : undefined;
  }

  /** Feature rows per clip of n samples, and columns per row. */
  shape(n: number): [number, number] {
    const o = this.options;
    return [numFrames(n, o.frameLength, o.hop), o.kind === 'mfcc' ? o.nMfcc : o.nMels];
  }

  /** |STFT|² : [B, L] → [B, T, nBins]. */
  power(x: tf.Tensor2D): tf.Tensor3D {
    this.live();
    return tf.tidy(() => {
      const f = frameSignal(x, this.options.frameLength, this.options.hop);
      const [b, t, n] = f.shape;
      const flat = f.reshape([b * t, n]) as tf.Tensor2D;
      const re = tf.matMul(flat, this.re);
      const im = tf.matMul(flat, this.im);
      return re.square().add(im.square()).reshape([b, t, this.options.nBins]) as tf.Tensor3D;
    });
  }

  /** Mel power spectrogram: [B, L] → [B, T, nMels]. */
  melPower(x: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const p = this.power(x);
      const [b, t, k] = p.shape;
      return tf.matMul(p.reshape([b * t, k]) as tf.Tensor2D, this.mel).reshape([b, t, this.options.nMels]) as tf.Tensor3D;
    });
  }

  /** The configured features (log-mel or MFCC, normalised if asked): [B, L] → [B, T, C]. */
  compute(x: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      let y = this.melPower(x).add(1e-6).log() as tf.Tensor3D;
      if (this.dct) {
        const [b, t, m] = y.shape;
        y = tf.matMul(y.reshape([b * t, m]) as tf.Tensor2D, this.dct).reshape([b, t, this.options.nMfcc]) as tf.Tensor3D;
      }
      return this.options.normalize ? normalizeUtterance(y) : y;
    });
  }

  /** Convenience: one mono clip → [T, C] values. */
  async computeOne(samples: Float32Array): Promise<{ data: Float32Array; shape: [number, number] }> {
    const y = tf.tidy(() => this.compute(tf.tensor2d(samples, [1, samples.length])));
    const data = (await y.data()) as Float32Array;
    const shape: [number, number] = [y.shape[1], y.shape[2]];
    y.dispose();
    return { data, shape };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.re, this.im, this.mel, ...(this.dct ? [this.dct] : [])]);
  }

  private live(): void {
    if (this.disposed) throw new DlkitError('STATE', 'This FeatureExtractor was disposed.');
  }
}

/**
 * Per-utterance mean/variance normalisation over the whole [T, C] map. Not per-coefficient CMVN:
 * that erases the spectral shape of anything stationary (a held vowel, a tone) and a 1 s KWS clip
 * is too short for channel statistics anyway; this removes only gain and overall level.
 */
export function normalizeUtterance(y: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(y, [1, 2], true);
    return y.sub(mean).div(variance.add(1e-5).sqrt()) as tf.Tensor3D;
  });
}

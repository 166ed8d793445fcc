import { execFileSync } from 'node:child_process';
import { tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dctMatrix, FeatureExtractor, frameSignal, melFilterbank, numFrames, resolveFeatures, windowFunction } from '../src/index.js';
import { noise, sine, wasm } from './helpers.js';

beforeAll(wasm);

describe('features', () => {
  it('frames a signal with the right count and hop', () => {
    expect(numFrames(1000, 400, 160)).toBe(4);
    expect(numFrames(399, 400, 160)).toBe(0);
    const x = tf.tensor2d(Float32Array.from({ length: 10 }, (_, i) => i), [1, 10]);
    const f = frameSignal(x, 4, 3);
    expect(f.shape).toEqual([1, 3, 4]);
    expect(Array.from(f.dataSync())).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9]);
    tf.dispose([x, f]);
  });

  it("puts a sine's energy in its DFT bin", async () => {
    const fx = new FeatureExtractor({ sampleRate: 16000, frameLengthMs: 32, hopMs: 16, fftSize: 512 });
    // 1000 Hz at 16 kHz with N=512 is exactly bin 32.
    const x = tf.tensor2d(sine(1000, 16000, 4000), [1, 4000]);
    const p = fx.power(x);
    const rows = (await p.array())[0]!;
    for (const row of rows) {
      const best = row.indexOf(Math.max(...row));
      expect(best).toBe(32);
      const total = row.reduce((a, b) => a + b, 0);
      // Hann leaks into the two neighbours only (a bin-centred sine): 0.25 + 1 + 0.25 of the peak... all within ±1.
      expect((row[31]! + row[32]! + row[33]!) / total).toBeGreaterThan(0.999);
    }
    tf.dispose([x, p]);
    fx.dispose();
  });

  it('satisfies Parseval per frame (rectangular window, zero-padded DFT)', async () => {
    const fx = new FeatureExtractor({ sampleRate: 8000, frameLengthMs: 25, hopMs: 25, fftSize: 256, window: 'rect' });
    const o = fx.options;
    const sig = noise(o.frameLength * 3, 0.8, 7);
    const x = tf.tensor2d(sig, [1, sig.length]);
    const p = fx.power(x);
    const rows = (await p.array())[0]!;
    const n = o.fftSize;
    rows.forEach((row, t) => {
      let time = 0;
      for (let j = 0; j < o.frameLength; j++) time += sig[t * o.hop + j]! ** 2;
      // One-sided spectrum: DC and Nyquist once, the other bins twice.
      let freq = row[0]! + row[n / 2]!;
      for (let k = 1; k < n / 2; k++) freq += 2 * row[k]!;
      expect(freq / n).toBeCloseTo(time, 3);
    });
    tf.dispose([x, p]);
    fx.dispose();
  });

  it('mel filterbank: triangles peak at 1 and sum to 1 between the first and last centre', () => {
    const nBins = 257;
    const fb = melFilterbank(nBins, 16000, 40, 0, 8000);
    const hz = (k: number) => (k * 16000) / 512;
    const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
    const first = 700 * (10 ** (mel(8000) / 41 / 2595) - 1);
    const last = 700 * (10 ** ((40 * mel(8000)) / 41 / 2595) - 1);
    for (let k = 0; k < nBins; k++) {
      let s = 0;
      for (let m = 0; m < 40; m++) s += fb[k * 40 + m]!;
      if (hz(k) >= first && hz(k) <= last) expect(s).toBeCloseTo(1, 5);
      else expect(s).toBeLessThanOrEqual(1 + 1e-6);
    }
    for (let m = 0; m < 40; m++) {
      let peak = 0;
      for (let k = 0; k < nBins; k++) peak = Math.max(peak, fb[k * 40 + m]!);
      expect(peak).toBeGreaterThan(0.5);
      expect(peak).toBeLessThanOrEqual(1);
    }
  });

  it('DCT matrix is orthonormal', () => {
    const d = dctMatrix(20, 20);
    for (let a = 0; a < 20; a++) {
      for (let b = 0; b < 20; b++) {
        let s = 0;
        for (let n = 0; n < 20; n++) s += d[n * 20 + a]! * d[n * 20 + b]!;
        expect(s).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
  });

  it('per-utterance normalisation gives zero mean, unit variance per clip', async () => {
    const fx = new FeatureExtractor({ sampleRate: 16000, kind: 'mfcc', nMfcc: 13 });
    const x = tf.tensor2d(noise(16000, 0.3, 3), [1, 16000]);
    const y = fx.compute(x);
    const { mean, variance } = tf.moments(y, [1, 2]);
    expect(Math.abs((await mean.data())[0]!)).toBeLessThan(1e-3);
    expect((await variance.data())[0]).toBeCloseTo(1, 2);
    tf.dispose([x, y, mean, variance]);
    fx.dispose();
  });

  it('rejects bad options by name', () => {
    expect(() => resolveFeatures({ nMels: 0 })).toThrow(/nMels/);
    expect(() => resolveFeatures({ kind: 'spectrogram' as never })).toThrow(/kind/);
    expect(() => resolveFeatures({ sampleRate: 16000, fMax: 9000 })).toThrow(/fMax/);
    expect(() => resolveFeatures({ fftSize: 128 })).toThrow(/fftSize/);
  });

  it('does not leak tensors', async () => {
    const before = tf.memory().numTensors;
    const fx = new FeatureExtractor({ kind: 'mfcc' });
    const { shape } = await fx.computeOne(sine(440, 16000, 16000));
    expect(shape).toEqual([98, 13]);
    fx.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('matches log-mel / MFCC computed independently by numpy', async (ctx) => {
    let ok = true;
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    } catch {
      ok = false;
    }
    if (!ok) return ctx.skip(); // python3-numpy absent: nothing independent to compare with
    const sig = Float32Array.from({ length: 4000 }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 440 * i) / 8000) + 0.2 * Math.sin((2 * Math.PI * 1250 * i) / 8000 + 1) + 0.05 * Math.cos(i * 0.37));
    // numpy: np.fft.rfft framing/windowing and its own HTK mel + ortho DCT (written from the formulas, not from our code).
    const py = `
import json, sys, numpy as np
x = np.array(json.load(sys.stdin), dtype=np.float64)
sr, fl, hop, n, nm, nc = 8000, 200, 80, 256, 26, 13
w = 0.5 - 0.5*np.cos(2*np.pi*np.arange(fl)/fl)
T = 1 + (len(x)-fl)//hop
fr = np.stack([x[i*hop:i*hop+fl]*w for i in range(T)])
P = np.abs(np.fft.rfft(fr, n=n))**2
mel = lambda f: 2595*np.log10(1+f/700); imel = lambda m: 700*(10**(m/2595)-1)
e = imel(np.linspace(mel(20), mel(4000), nm+2)); f = np.arange(n//2+1)*sr/n
fb = np.zeros((n//2+1, nm))
for m in range(nm):
    a,b,c = e[m],e[m+1],e[m+2]
    fb[:,m] = np.clip(np.minimum((f-a)/(b-a), (c-f)/(c-b)), 0, None)
L = np.log(P@fb + 1e-6)
k = np.arange(nc)[None,:]; i = np.arange(nm)[:,None]
D = np.cos(np.pi*k*(2*i+1)/(2*nm))*np.sqrt(2/nm); D[:,0] = np.sqrt(1/nm)
print(json.dumps({"logmel": L.tolist(), "mfcc": (L@D).tolist()}))
`;
    const out = JSON.parse(execFileSync('python3', ['-c', py], { input: JSON.stringify(Array.from(sig)) }).toString()) as { logmel: number[][]; mfcc: number[][] };
    for (const kind of ['log-mel', 'mfcc'] as const) {
      const fx = new FeatureExtractor({ sampleRate: 8000, frameLengthMs: 25, hopMs: 10, fftSize: 256, nMels: 26, fMin: 20, kind, nMfcc: 13, normalize: false });
      const { data, shape } = await fx.computeOne(sig);
      const ref = kind === 'mfcc' ? out.mfcc : out.logmel;
      expect(shape).toEqual([ref.length, ref[0]!.length]);
      let worst = 0;
      ref.forEach((row, t) => {
        row.forEach((v, c) => {
          worst = Math.max(worst, Math.abs(v - data[t * shape[1] + c]!));
        });
      });
      // float32 matmuls vs float64 FFT: log-domain agreement to a few 1e-3.
      expect(worst).toBeLessThan(5e-3);
      fx.dispose();
    }
  });

  it('periodic windows', () => {
    const w = windowFunction(4, 'hann');
    expect(Array.from(w).map((v) => +v.toFixed(6))).toEqual([0, 0.5, 1, 0.5]);
  });
});

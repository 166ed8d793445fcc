import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, readWavHeader, resample } from '../src/index.js';
import { readWavFile } from '../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'dlkit-wav-'));
const sine = (n: number, f: number, rate: number, amp = 0.5) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / rate));

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (to - from));
}

describe('WAV decoder', () => {
  const src = sine(400, 440, 8000);
  for (const [bits, float, tol] of [
    [8, false, 1 / 100],
    [16, false, 1e-4],
    [24, false, 1e-6],
    [32, false, 1e-8],
    [32, true, 1e-7],
    [64, true, 1e-12],
  ] as const) {
    it(`round-trips ${bits}-bit ${float ? 'float' : 'PCM'} (also as WAVE_FORMAT_EXTENSIBLE)`, () => {
      for (const extensible of [false, true]) {
        const w = decodeWav(encodeWav(src, 8000, { bits, float, extensible }), 'x.wav');
        expect(w.sampleRate).toBe(8000);
        expect(w.format).toBe(float ? 'float' : 'pcm');
        expect(w.samples.length).toBe(400);
        for (let i = 0; i < 400; i += 37) expect(Math.abs(w.samples[i]! - src[i]!)).toBeLessThan(tol);
      }
    });
  }

  it('mixes stereo down to mono', () => {
    const inter = new Float32Array(200);
    for (let i = 0; i < 100; i++) {
      inter[2 * i] = 0.5;
      inter[2 * i + 1] = -0.25;
    }
    const w = decodeWav(encodeWav(inter, 16000, { channels: 2 }));
    expect(w.channels).toBe(2);
    expect(w.samples.length).toBe(100);
    expect(w.samples[50]).toBeCloseTo(0.125, 3);
  });

  it('skips unknown chunks, honouring odd-size padding', () => {
    const base = encodeWav(src, 8000);
    // Insert a 3-byte "LIST" chunk (+1 pad byte) between fmt and data.
    const extra = Uint8Array.from([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]);
    const out = new Uint8Array(base.length + extra.length);
    out.set(base.subarray(0, 36));
    out.set(extra, 36);
    out.set(base.subarray(36), 36 + extra.length);
    new DataView(out.buffer).setUint32(4, out.length - 8, true);
    const w = decodeWav(out, 'list.wav');
    expect(w.samples.length).toBe(400);
    expect(readWavHeader(out).dataOffset).toBe(44 + extra.length);
  });

  it('rejects a truncated data chunk naming the file and offset', async () => {
    const file = join(dir, 'trunc.wav');
    const b = encodeWav(src, 8000);
    writeFileSync(file, b.subarray(0, b.length - 101));
    const err = await readWavFile(file).catch((e) => e);
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/truncated data chunk/);
    expect(err.details.offset).toBe(b.length - 101);
  });

  it('rejects bad headers and fmt chunks', () => {
    const b = encodeWav(src, 8000);
    const notRiff = b.slice();
    notRiff[0] = 0x58;
    expect(() => decodeWav(notRiff, 'a.wav')).toThrow(/a\.wav at offset 0: not a WAV file/);
    const badFmt = b.slice();
    new DataView(badFmt.buffer).setUint16(34, 12, true); // 12 bits per sample
    expect(() => decodeWav(badFmt, 'b.wav')).toThrow(/b\.wav at offset 20: bad fmt chunk/);
    const badAlign = b.slice();
    new DataView(badAlign.buffer).setUint16(32, 3, true);
    expect(() => decodeWav(badAlign, 'c.wav')).toThrow(/blockAlign 3/);
    const alaw = b.slice();
    new DataView(alaw.buffer).setUint16(20, 6, true);
    expect(() => decodeWav(alaw, 'd.wav')).toThrow(/format code 6/);
    expect(() => decodeWav(b.subarray(0, 30), 'e.wav')).toThrow(/e\.wav at offset 12: fmt chunk/);
    expect(() => decodeWav(b.subarray(0, 8), 'f.wav')).toThrow(/too short/);
  });

  it('resamples with windowed sinc, preserving in-band tones and removing aliases', () => {
    // 1 kHz at 16 kHz → 8 kHz keeps its level.
    const tone = resample(sine(16000, 1000, 16000), 16000, 8000);
    expect(tone.length).toBe(8000);
    expect(rms(tone, 200, 7800)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    // 6 kHz is above the new 4 kHz Nyquist: it must be filtered out, not folded to 2 kHz.
    const alias = resample(sine(16000, 6000, 16000), 16000, 8000);
    expect(rms(alias, 200, 7800)).toBeLessThan(0.01);
    // Upsampling 8 → 16 kHz keeps a 440 Hz tone.
    const up = resample(sine(8000, 440, 8000), 8000, 16000);
    const ref = sine(16000, 440, 16000);
    for (let i = 500; i < 15500; i += 101) expect(Math.abs(up[i]! - ref[i]!)).toBeLessThan(2e-3);
    expect(decodeWav(encodeWav(sine(800, 440, 8000), 8000), 'x', { sampleRate: 16000 }).samples.length).toBe(1600);
  });
});

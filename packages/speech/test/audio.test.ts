import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '@dlkit/data';
import { describe, expect, it } from 'vitest';
import { fitLength, readAudio } from '../src/node.js';
import { sine } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'speech-audio-'));

describe('readAudio', () => {
  const tone = sine(440, 16000, 1600);

  it('reads a path, bytes, Float32Array + rate, {samples, sampleRate} and chunk streams alike', async () => {
    const bytes = encodeWav(tone, 16000);
    const path = join(dir, 'tone.wav');
    writeFileSync(path, bytes);
    const fromPath = await readAudio(path, { sampleRate: 16000 });
    const fromBytes = await readAudio(bytes, { sampleRate: 16000 });
    const fromFloat = await readAudio(tone, { sampleRate: 16000, inputSampleRate: 16000 });
    const fromObj = await readAudio({ samples: tone, sampleRate: 16000 }, { sampleRate: 16000 });
    async function* wavChunks() {
      for (let o = 0; o < bytes.length; o += 777) yield bytes.subarray(o, o + 777);
    }
    const fromStream = await readAudio(wavChunks(), { sampleRate: 16000 });
    const fromFloatChunks = await readAudio([tone.subarray(0, 500), tone.subarray(500)], { sampleRate: 16000, inputSampleRate: 16000 });
    for (const r of [fromPath, fromBytes, fromStream]) {
      expect(r.samples.length).toBe(1600);
      for (let i = 0; i < 1600; i += 97) expect(r.samples[i]).toBeCloseTo(tone[i]!, 4);
    }
    expect(Array.from(fromFloat.samples)).toEqual(Array.from(tone));
    expect(Array.from(fromObj.samples)).toEqual(Array.from(tone));
    expect(Array.from(fromFloatChunks.samples)).toEqual(Array.from(tone));
  });

  it('resamples a wrong-rate file, mixes stereo down and reads 24-bit', async () => {
    const at8k = await readAudio(encodeWav(sine(440, 8000, 800), 8000), { sampleRate: 16000 });
    expect(at8k.samples.length).toBe(1600);
    expect(at8k.sampleRate).toBe(16000);
    const stereo = new Float32Array(3200);
    for (let i = 0; i < 1600; i++) {
      stereo[2 * i] = tone[i]!;
      stereo[2 * i + 1] = 0;
    }
    const mono = await readAudio(encodeWav(stereo, 16000, { channels: 2 }), { sampleRate: 16000 });
    expect(mono.samples[100]).toBeCloseTo(tone[100]! / 2, 4);
    const b24 = await readAudio(encodeWav(tone, 16000, { bits: 24 }), { sampleRate: 16000 });
    expect(b24.samples[123]).toBeCloseTo(tone[123]!, 6);
  });

  it('rejects corrupt, truncated, empty and rate-less inputs clearly', async () => {
    const bytes = encodeWav(tone, 16000);
    await expect(readAudio(bytes.subarray(0, 100), { sampleRate: 16000, name: 'cut.wav' })).rejects.toThrow(/cut\.wav.*truncated data chunk/);
    const bad = bytes.slice();
    bad[0] = 0x58;
    await expect(readAudio(bad, { sampleRate: 16000, name: 'x.wav' })).rejects.toThrow(/not a WAV file/);
    await expect(readAudio(encodeWav(new Float32Array(0), 16000), { sampleRate: 16000, name: 'empty.wav' })).rejects.toThrow(/empty\.wav: the audio is empty/);
    await expect(readAudio(new Float32Array(10), { sampleRate: 16000 })).rejects.toThrow(/inputSampleRate/);
    await expect(readAudio(Float32Array.of(0, Number.NaN), { sampleRate: 16000, inputSampleRate: 16000 })).rejects.toThrow(/sample 1 is NaN/);
    await expect(readAudio(join(dir, 'missing.wav'), { sampleRate: 16000 })).rejects.toThrow(/Cannot read audio file/);
    await expect(readAudio([new Uint8Array(4), new Float32Array(4)], { sampleRate: 16000, inputSampleRate: 16000 })).rejects.toThrow(/not a mix/);
    await expect(readAudio(42 as never, { sampleRate: 16000 })).rejects.toThrow(/Unsupported audio input/);
  });

  it('fitLength pads short clips centred and keeps the loudest window of long ones', () => {
    expect(Array.from(fitLength(Float32Array.of(1, 2), 6))).toEqual([0, 0, 1, 2, 0, 0]);
    const x = new Float32Array(100);
    x.fill(0.9, 60, 70);
    const y = fitLength(x, 20);
    expect(y.length).toBe(20);
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(9, 5);
  });
});

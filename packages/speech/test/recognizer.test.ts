// CtcRecognizer end to end on a task it can learn in seconds: sequences of three tones ("words").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, tf } from '@dlkit/core';
import { encodeWav } from '@dlkit/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtcRecognizer, ctcOutputFrames, type SequenceExample } from '../src/node.js';
import { noise, sine, wasm } from './helpers.js';

beforeAll(wasm);
const dir = mkdtempSync(join(tmpdir(), 'dlkit-ctc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SR = 8000;
const TONES: Record<string, number> = { lo: 400, mid: 1100, hi: 2500 };

function toneSequences(n: number, seed: number): SequenceExample[] {
  const rng = new Rng(seed);
  const names = Object.keys(TONES);
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: 1 + rng.int(4) }, () => names[rng.int(3)]!);
    const parts: Float32Array[] = [noise(Math.round(SR * 0.1), 0.01, seed * 1000 + i)];
    for (const w of words) {
      parts.push(sine(TONES[w]!, SR, Math.round(SR * (0.12 + 0.08 * rng.next())), 0.3 + 0.4 * rng.next()));
      parts.push(noise(Math.round(SR * (0.06 + 0.1 * rng.next())), 0.01, seed * 7 + i));
    }
    const samples = new Float32Array(parts.reduce((t, p) => t + p.length, 0));
    let at = 0;
    for (const p of parts) {
      samples.set(p, at);
      at += p.length;
    }
    return { samples, sampleRate: SR, text: words.join(' ') };
  });
}

describe('CtcRecognizer', () => {
  it('learns to transcribe tone sequences (repeats included), saves, loads and transcribes a WAV with token times; no tensor leaks', async () => {
    const base = tf.memory().numTensors;
    const train = toneSequences(160, 1);
    const test = toneSequences(40, 2);
    const rec = await CtcRecognizer.create({ vocabulary: Object.keys(TONES), features: { sampleRate: SR, nMels: 20 }, width: 32, blocks: 1, seed: 0 });
    const before = await rec.evaluate(test);
    const h = await rec.fit(train, { epochs: 12, batchSize: 16, lr: 3e-3, augment: { noiseProb: 0, timeMasks: 0, freqMasks: 0 }, validationData: test.slice(0, 16), progress: false });
    expect(h.history.loss!.at(-1)!).toBeLessThan(h.history.loss![0]! / 4);
    expect(h.history.val_wer).toHaveLength(12);
    const after = await rec.evaluate(test);
    expect(before.wer).toBeGreaterThan(0.5);
    expect(after.wer).toBeLessThan(0.1);
    expect(after.n).toBe(40);
    const beam = await rec.evaluate(test, { beamWidth: 4 });
    expect(beam.wer).toBeLessThanOrEqual(after.wer + 0.05);

    const file = join(dir, 'seq.wav');
    const one = test.find((e) => e.text.split(' ').length >= 3)!;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, encodeWav(one.samples, SR));
    await rec.save(join(dir, 'model'));
    const t1 = await rec.transcribe(file);
    rec.dispose();
    const again = await CtcRecognizer.load(join(dir, 'model'));
    const t2 = await again.transcribe(file);
    expect(t2).toEqual(t1);
    expect(t2.text).toBe(one.text);
    // Token times are increasing and inside the clip.
    const times = t2.tokens.map((t) => t.startMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.at(-1)!).toBeLessThan((one.samples.length / SR) * 1000);
    again.dispose();
    expect(tf.memory().numTensors).toBe(base);
  }, 120_000);

  it('refuses a bad vocabulary, an unknown transcript token and a non-CTC model directory', async () => {
    await expect(CtcRecognizer.create({ vocabulary: ['a', 'a'] })).rejects.toThrow(/vocabulary/);
    await expect(CtcRecognizer.create({ vocabulary: ['a b'] })).rejects.toThrow(/without spaces/);
    const rec = await CtcRecognizer.create({ vocabulary: ['x', 'y'], features: { sampleRate: SR }, width: 8, blocks: 0 });
    expect(() => rec.encode('x z')).toThrow(/"z".*not in the vocabulary \[x y\]/);
    expect(rec.encode(' y  x ')).toEqual([2, 1]);
    await expect(rec.fit([{ samples: sine(500, SR, 4000), sampleRate: SR, text: 'x q' }], { epochs: 1, progress: false })).rejects.toThrow(/"q"/);
    rec.dispose();
    await expect(CtcRecognizer.load(join(import.meta.dirname, '../../../models/fsdd-digits'))).rejects.toThrow(/not a saved CTC recogniser/);
  });

  it('output frames are a quarter of the feature frames, rounded up', () => {
    expect([1, 4, 5, 99, 100].map(ctcOutputFrames)).toEqual([1, 1, 2, 25, 25]);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@dlkit/core';
import type { AudioExample } from '@dlkit/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectWith, KeywordSpotter, type WindowScorer } from '../src/node.js';
import { noise, sine, wasm } from './helpers.js';

beforeAll(wasm);

const SR = 8000;
const N = 2000; // 250 ms clips

/** Class 0: a 500 Hz tone, class 1: a 1500 Hz tone, class 2: noise only; random phase/amplitude. */
function toneSet(n: number, seed: number): AudioExample[] {
  return Array.from({ length: n }, (_, i) => {
    const label = i % 3;
    const bg = noise(N, 0.02, seed * 1000 + i);
    const amp = 0.2 + 0.3 * ((i * 7) % 5) / 5;
    const s = label === 2 ? bg : sine(label === 0 ? 500 : 1500, SR, N, amp, i).map((v, j) => v + bg[j]!);
    return { samples: s, sampleRate: SR, label };
  });
}

const create = () => KeywordSpotter.create({ arch: 'cnn', classes: ['low', 'high', '_silence_'], clipMs: 250, width: 8, features: { sampleRate: SR, nMels: 16, hopMs: 20 }, seed: 1 });

describe('KeywordSpotter', () => {
  it('learns tones, evaluates, predicts every input kind, saves/loads identically, without leaks', async () => {
    const before = tf.memory().numTensors;
    const spotter = await create();
    await spotter.fit(toneSet(60, 1), { epochs: 6, batchSize: 16, lr: 1e-2, progress: false, augment: { shiftMs: 20, gainDb: [-3, 3], timeMasks: 1, timeMaskWidth: 2 }, noise: '_silence_', classWeight: 'balanced' });
    const report = await spotter.evaluate(toneSet(30, 2));
    expect(report.accuracy).toBeGreaterThan(0.9);
    expect(report.n).toBe(30);
    expect(report.confusion.length).toBe(3);
    expect(Object.keys(report.perClass)).toEqual(['low', 'high', '_silence_']);
    const high = sine(1500, 16000, 8000, 0.4); // other rate and longer: resampled, loudest window kept
    const top = await spotter.predict(high, { inputSampleRate: 16000 });
    expect(top[0]!.label).toBe('high');
    expect(top.reduce((a, t) => a + t.score, 0)).toBeCloseTo(1, 4);
    const dir = join(mkdtempSync(join(tmpdir(), 'speech-spotter-')), 'm');
    const card = await spotter.save(dir, { metrics: { accuracy: report.accuracy } });
    expect(card.task).toBe('keyword-spotting');
    expect(card.labels).toEqual(['low', 'high', '_silence_']);
    expect(card.preprocessing).toMatchObject({ sampleRate: SR, nMels: 16, clipMs: 250 });
    const again = await KeywordSpotter.load(dir);
    const top2 = await again.predict(high, { inputSampleRate: 16000 });
    expect(top2[0]!.score).toBeCloseTo(top[0]!.score, 5);
    spotter.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates options and data', async () => {
    await expect(KeywordSpotter.create({ arch: 'rnn' })).rejects.toThrow(/arch/);
    await expect(KeywordSpotter.create({ classes: ['a', 'a'] })).rejects.toThrow(/classes/);
    await expect(KeywordSpotter.create({ clipMs: 20 })).rejects.toThrow(/clipMs/);
    const spotter = await create();
    await expect(spotter.fit(toneSet(6, 1).map((e) => ({ ...e, label: 0 })), { epochs: 1, progress: false })).rejects.toThrow(/at least 2/);
    await expect(spotter.fit(toneSet(6, 1).map((e) => ({ ...e, label: 5 })), { epochs: 1, progress: false })).rejects.toThrow(/label 5/);
    await expect(spotter.fit(toneSet(6, 1), { epochs: 1, progress: false, augment: { noiseProb: 0.5 } })).rejects.toThrow(/noise/);
    await expect(spotter.fit(toneSet(6, 1), { epochs: 1, progress: false, noise: 'wind' })).rejects.toThrow(/noise/);
    await expect(spotter.predict(new Float32Array(0), { inputSampleRate: SR })).rejects.toThrow(/empty/);
    spotter.dispose();
    await expect(spotter.predict(new Float32Array(10), { inputSampleRate: SR })).rejects.toThrow(/disposed/);
  });
});

describe('detectWith', () => {
  // A fake scorer: "kw" scores high when the window's mean is positive (a DC step marks the keyword).
  const scorer: WindowScorer = {
    labels: ['kw', '_unknown_'],
    sampleRate: 1000,
    windowSamples: 200,
    async score(w, n) {
      const out = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        let m = 0;
        for (let j = 0; j < 200; j++) m += w[i * 200 + j]!;
        const p = m / 200 > 0.3 ? 0.95 : 0.05;
        out[2 * i] = p;
        out[2 * i + 1] = 1 - p;
      }
      return out;
    },
  };

  it('reports each keyword once with its time span, respects VAD and the refractory period', async () => {
    const x = noise(5000, 0.01, 3);
    x.fill(0.8, 1000, 1200); // keyword at 1.0–1.2 s
    x.fill(0.8, 3500, 3700); // keyword at 3.5–3.7 s
    const events = await detectWith(scorer, x, { hopMs: 20, smoothMs: 40, threshold: 0.6, refractoryMs: 500, vadDb: -30 });
    expect(events.map((e) => e.keyword)).toEqual(['kw', 'kw']);
    expect(Math.abs(events[0]!.startMs - 1000)).toBeLessThanOrEqual(150);
    expect(Math.abs(events[0]!.endMs - 1200)).toBeLessThanOrEqual(150);
    expect(Math.abs(events[1]!.startMs - 3500)).toBeLessThanOrEqual(150);
    // A long refractory period swallows the second one.
    expect(await detectWith(scorer, x, { hopMs: 20, smoothMs: 40, threshold: 0.6, refractoryMs: 4000, vadDb: -30 })).toHaveLength(1);
    // Ignored labels never fire.
    expect(await detectWith(scorer, x, { hopMs: 20, threshold: 0.6, ignore: ['kw', '_unknown_'] })).toHaveLength(0);
    await expect(detectWith(scorer, new Float32Array(0))).rejects.toThrow(/empty/);
    await expect(detectWith(scorer, x, { threshold: 2 })).rejects.toThrow(/threshold/);
  });
});

// KeywordSpotter.fromPretrained('openwakeword') + fineTune: a trainable head over the frozen
// speech embedding; speaker-disjoint hold-out splits.

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClipSet, groupSplitClipSet, KeywordSpotter, OpenWakeWord, speak, speakerOf } from '../src/node.js';
import { noise, wasm } from './helpers.js';

let haveEspeak = true;
try {
  execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
} catch {
  haveEspeak = false;
}

beforeAll(wasm);

const SR = 16000;

describe('speaker-disjoint split', () => {
  it('reads Speech Commands speakers and never puts a speaker on both sides', () => {
    expect(speakerOf('yes/0c40e715_nohash_2.wav')).toBe('0c40e715');
    expect(speakerOf('_unknown_/backward_0cb74144_nohash_2.wav.wav')).toBe('0cb74144');
    expect(speakerOf('_silence_/1024.wav')).toBeUndefined();
    // 40 clips, 2 classes, 10 speakers with 2 clips of each class.
    const files = Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'no' : 'yes'}/${Math.floor(i / 4).toString(16).padStart(8, 'a')}_nohash_${i}.wav`);
    const set: ClipSet = { clips: new Float32Array(40), labels: Int32Array.from(files, (_, i) => i % 2), length: 40, clipSamples: 1, sampleRate: SR, classes: ['yes', 'no'], files };
    const s = groupSplitClipSet(set, 0.2, 3, (i) => speakerOf(files[i]!));
    const held = new Set(s.validationIndex.map((i) => speakerOf(files[i]!)));
    expect(s.trainIndex.some((i) => held.has(speakerOf(files[i]!)))).toBe(false);
    expect(s.validation.length).toBe(8); // 2 whole speakers: 4 clips of each class, the quota
    expect([...s.validation.labels].filter((l) => l === 0)).toHaveLength(4);
    expect(groupSplitClipSet(set, 0.2, 3, (i) => speakerOf(files[i]!)).validationIndex).toEqual(s.validationIndex);
  });
});

describe('KeywordSpotter.fromPretrained + fineTune', () => {
  it.skipIf(!haveEspeak)(`trains a head on frozen openWakeWord embeddings, evaluates, saves and loads identically, without leaks${haveEspeak ? '' : ' — skipped: espeak-ng not installed'}`, async () => {
    const oww = await OpenWakeWord.load();
    const before = tf.memory().numTensors;
    // "yes", "no" and noise; 3 espeak voices to train, 1 new voice to test; 0.8 s clips.
    const clip = async (label: number, i: number, voice: string) => {
      const bg = noise(12800, 0.005, 50 + i);
      if (label === 2) return bg;
      const w = await speak(label === 0 ? 'yes' : 'no', { voice, speed: 140 + 10 * (i % 3), sampleRate: SR });
      return bg.map((v, j) => v + (w[j] ?? 0));
    };
    const examples = [];
    for (const [i, voice] of ['en-us+m1', 'en-gb+f2', 'en-029+m3'].entries()) for (let c = 0; c < 3; c++) examples.push({ samples: await clip(c, i, voice), sampleRate: SR, label: c });
    const kws = await KeywordSpotter.fromPretrained('openwakeword', { classes: ['yes', 'no', '_silence_'], clipMs: 800, embedder: oww, seed: 1 });
    expect(kws.info.pretrained).toBe('openwakeword');
    await expect(kws.fit(examples)).rejects.toThrow(/fineTune/);
    const h = await kws.fineTune(examples, { epochs: 30, batchSize: 6, lr: 3e-3, augmentCopies: 1, noise: [noise(SR, 0.02, 7)], progress: false });
    expect(h.history.loss!.at(-1)!).toBeLessThan(h.history.loss![0]! / 2);
    const test = [];
    for (let c = 0; c < 3; c++) test.push({ samples: await clip(c, 7, 'en-us-nyc+f4'), sampleRate: SR, label: c });
    const r = await kws.evaluate(test);
    expect(r.accuracy).toBe(1);
    const dir = join(mkdtempSync(join(tmpdir(), 'speech-ft-')), 'model');
    const card = await kws.save(dir);
    expect(card.preprocessing).toMatchObject({ embedder: 'openwakeword', clipMs: 800 });
    const again = await KeywordSpotter.load(dir, { embedder: oww });
    expect((await again.predict(test[1]!.samples, { inputSampleRate: SR }))[0]).toEqual((await kws.predict(test[1]!.samples, { inputSampleRate: SR }))[0]);
    again.dispose();
    kws.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await oww.dispose();
  }, 180_000);

  it('rejects unknown embedders, feature spotters and clips longer than the context', async () => {
    await expect(KeywordSpotter.fromPretrained('wav2vec', { classes: 2 })).rejects.toThrow(/pretrained.*openwakeword/);
    const oww = await OpenWakeWord.load();
    await expect(KeywordSpotter.fromPretrained('openwakeword', { classes: 2, clipMs: 2500, embedder: oww })).rejects.toThrow(/clipMs/);
    const plain = await KeywordSpotter.create({ arch: 'cnn', classes: 2, width: 4, features: { sampleRate: 8000, nMels: 16, hopMs: 20 }, clipMs: 250 });
    await expect(plain.fineTune([])).rejects.toThrow(/fromPretrained/);
    plain.dispose();
    await oww.dispose();
  });
});

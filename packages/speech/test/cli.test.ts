import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask } from '@dlkit/core';
import { encodeWav } from '@dlkit/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectCommand, evalCommand, predictCommand, trainCommand } from '../src/node.js';
import { noise, sine, wasm } from './helpers.js';

beforeAll(wasm);

const root = mkdtempSync(join(tmpdir(), 'speech-cli-'));
const data = join(root, 'data');
const SR = 8000;

/** data/<low|high>/*.wav: 500 Hz vs 1500 Hz tones of 0.2–0.3 s over faint noise. */
function writeFolder(dir: string, n: number, seed: number): void {
  for (const [cls, f] of [
    ['high', 1500],
    ['low', 500],
  ] as const) {
    mkdirSync(join(dir, cls), { recursive: true });
    for (let i = 0; i < n; i++) {
      const len = 1600 + ((i * 97) % 800);
      const bg = noise(len, 0.02, seed * 100 + i);
      const x = sine(f, SR, len, 0.3 + 0.05 * (i % 4), i).map((v, j) => v + bg[j]!);
      writeFileSync(join(dir, cls, `${i}.wav`), encodeWav(x, SR));
    }
  }
}

describe('dlkit speech CLI', () => {
  it('registers the task and its verbs', () => {
    const t = getTask('kws');
    expect(t.id).toBe('keyword-spotting');
    expect(t.cli?.verbs.map((v) => v.name)).toEqual(['train', 'fine-tune', 'train-ctc', 'eval', 'predict', 'detect', 'transcribe', 'synth-data']);
  });

  it('train → eval {accuracy, n, perClass, confusion} → predict → detect on a folder of class subfolders', async () => {
    writeFolder(data, 12, 1);
    const test = join(root, 'test');
    writeFolder(test, 6, 2);
    const out = join(root, 'model');
    const r = await trainCommand({ data, out, arch: 'cnn', width: 8, sampleRate: SR, clipMs: 400, hopMs: 20, nMels: 16, epochs: 4, batchSize: 8, lr: 1e-2, augment: 'none', holdout: 0.25, progress: false });
    expect(r.trainExamples).toBe(18);
    expect(r.holdoutN).toBe(6);
    const e = await evalCommand({ model: out, data: test });
    expect(e.n).toBe(12);
    expect(e.accuracy as number).toBeGreaterThan(0.9);
    expect(Object.keys(e.perClass as object)).toEqual(['high', 'low']);
    expect(e.confusion).toHaveLength(2);
    const p = await predictCommand({ model: out, files: [join(test, 'low', '0.wav')] });
    expect((p.predictions as { top: { label: string }[] }[])[0]!.top[0]!.label).toBe('low');
    // A 4 s recording: silence, a high tone at 1.5–1.8 s, silence.
    const long = noise(4 * SR, 0.001, 9);
    long.set(sine(1500, SR, 2400, 0.4), 1.5 * SR);
    writeFileSync(join(root, 'long.wav'), encodeWav(long, SR));
    // A tone is not speech: gate by energy here (Silero, the CLI default, is tested in vad.test.ts).
    const d = await detectCommand({ model: out, file: join(root, 'long.wav'), threshold: 0.8, hopMs: 50, vad: 'energy' });
    const events = d.events as { keyword: string; startMs: number; endMs: number }[];
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events[0]!.keyword).toBe('high');
    expect(events[0]!.startMs).toBeGreaterThan(1000);
    expect(events[0]!.endMs).toBeLessThan(2400);
  });

  it('rejects a folder whose classes are not the model labels, and unknown datasets', async () => {
    const out = join(root, 'model');
    const bad = join(root, 'bad');
    mkdirSync(join(bad, 'maybe'), { recursive: true });
    writeFileSync(join(bad, 'maybe', 'a.wav'), encodeWav(sine(500, SR, 1600), SR));
    await expect(evalCommand({ model: out, data: bad })).rejects.toThrow(/maybe/);
    await expect(evalCommand({ model: out, data: join(root, 'nope') })).rejects.toThrow(/no such folder/);
  });
});

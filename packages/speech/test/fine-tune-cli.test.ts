// `dlkit speech fine-tune`: speaker-disjoint hold-out, card contents, and the embedding cache a
// rerun reuses (tiny tone folders: this checks the plumbing, not accuracy).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '@dlkit/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { fineTuneCommand, speakerOf } from '../src/node.js';
import { noise, sine, wasm } from './helpers.js';

beforeAll(wasm);

const SR = 16000;

describe('dlkit speech fine-tune', () => {
  it('holds out whole speakers, records them in the card, and reuses cached embeddings on a rerun', async () => {
    const root = mkdtempSync(join(tmpdir(), 'speech-ft-cli-'));
    const data = join(root, 'data');
    // 2 classes × 2 speakers × 1 clip of 0.5 s.
    for (const [cls, f] of [['high', 2000], ['low', 300]] as const) {
      mkdirSync(join(data, cls), { recursive: true });
      for (let s = 0; s < 2; s++) {
        const bg = noise(SR / 2, 0.01, s);
        writeFileSync(join(data, cls, `${s.toString(16).padStart(8, 'c')}_nohash_0.wav`), encodeWav(sine(f, SR, SR / 2, 0.3).map((v, i) => v + bg[i]!), SR));
      }
    }
    const out = join(root, 'model');
    const logs: string[] = [];
    const o = { pretrained: 'openwakeword', data, out, epochs: 2, holdout: 0.25, holdoutBy: 'speaker' as const, holdoutDir: join(root, 'held'), clipMs: 500, progress: false, log: (m: string) => logs.push(m) };
    const r = await fineTuneCommand(o);
    expect(r.holdoutN).toBe(2);
    expect(r.trainExamples).toBe(2);
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card.task).toBe('keyword-spotting');
    expect(card.extra.pretrained).toBe('openwakeword');
    expect(card.extra.heldOutBy).toBe('speaker');
    const held = new Set((card.extra.heldOut as string[]).map(speakerOf));
    expect(held.size).toBe(1); // one speaker, both of its clips
    expect((card.extra.trainedOn.files as string[]).some((f) => held.has(speakerOf(f)))).toBe(false);
    expect(existsSync(join(root, 'held', 'high')) && existsSync(join(root, 'held', 'low'))).toBe(true);
    expect(existsSync(`${out}.ckpt`)).toBe(false);
    // A run that stops after embedding (here: epochs 0 is refused by fineTune) leaves the cache; the rerun reuses it.
    const { rm } = await import('node:fs/promises');
    await rm(out, { recursive: true });
    const broken = { ...o, epochs: 0 };
    await expect(fineTuneCommand(broken)).rejects.toThrow(/epochs/);
    expect(logs.some((l) => /reusing/.test(l))).toBe(false);
    await fineTuneCommand(o);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    expect(logs.some((l) => /reusing 2 cached embeddings/.test(l))).toBe(true);
    await expect(fineTuneCommand({ ...o, holdoutBy: 'voice' as never })).rejects.toThrow(/holdout-by/);
  }, 180_000);
});

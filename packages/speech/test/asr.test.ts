// transcribe(): transformers.js automatic-speech-recognition on a tiny wav2vec2-CTC model the
// test builds (no hub here): words, their timestamps, chunking of long audio, strict options.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '@dlkit/data';
import { describe, expect, it } from 'vitest';
import { cutPoints, Transcriber, transcribeCommand } from '../src/node.js';
import { noise, sine } from './helpers.js';
import { writeTinyHfCtcModel } from './tiny-hf-ctc-model.js';

const SR = 16000;
const root = mkdtempSync(join(tmpdir(), 'speech-asr-'));
writeTinyHfCtcModel(root);

/** Faint noise with tones: amplitude 0.1 spells "b", 0.5 spells "c" (see the tiny model). */
function recording(seconds: number, parts: [atS: number, durS: number, amp: number][]): Float32Array {
  const x = noise(Math.round(seconds * SR), 0.005, 11);
  for (const [at, dur, amp] of parts) x.set(sine(440, SR, Math.round(dur * SR), amp), Math.round(at * SR));
  return x;
}

describe('Transcriber (transformers.js ASR)', () => {
  it('transcribes a CTC model with word timestamps, from a file path, and chunks long audio', async () => {
    const asr = await Transcriber.create({ model: 'tiny-ctc', localModelPath: root, device: 'cpu' });
    expect(asr.modelType).toBe('wav2vec2');
    // "b" 0.5–0.8 s; "cbc" 1.5–1.7 / 1.7–1.9 / 1.9–2.1 s (loud, soft, loud with no gap); "c" 3.0–3.2 s.
    const x = recording(4, [
      [0.5, 0.3, 0.1],
      [1.5, 0.2, 0.5],
      [1.7, 0.2, 0.1],
      [1.9, 0.2, 0.5],
      [3.0, 0.2, 0.5],
    ]);
    const file = join(root, 'words.wav');
    writeFileSync(file, encodeWav(x, SR));
    const r = await asr.transcribe(file);
    expect(r.text).toBe('b cbc c');
    expect(r.chunks.map((c) => c.text)).toEqual(['b', 'cbc', 'c']);
    const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(40);
    near(r.chunks[0]!.startMs, 500);
    near(r.chunks[0]!.endMs, 800);
    near(r.chunks[1]!.startMs, 1500);
    near(r.chunks[1]!.endMs, 2100);
    near(r.chunks[2]!.startMs, 3000);
    // Chunked at ≤ 1.2 s (cuts fall in quiet gaps): same words, same absolute times.
    const chunked = await asr.transcribe({ samples: x, sampleRate: SR }, { chunkLengthS: 1.2 });
    expect(chunked.chunks.map((c) => c.text)).toEqual(['b', 'cbc', 'c']);
    for (const [i, c] of chunked.chunks.entries()) near(c.startMs, r.chunks[i]!.startMs);
    // Other rates are resampled to the model's 16 kHz.
    const r8 = await asr.transcribe(recording(2, [[0.5, 0.4, 0.5]]).filter((_, i) => i % 2 === 0), { inputSampleRate: 8000 });
    expect(r8.text).toBe('c');
    await asr.dispose();
    // `dlkit speech transcribe --model <folder> file.wav`
    const cli = await transcribeCommand({ model: join(root, 'tiny-ctc'), files: [file], device: 'cpu' });
    expect((cli.transcripts as { text: string }[])[0]!.text).toBe('b cbc c');
  });

  it('cuts long audio at quiet points, and rejects bad options and missing models clearly', async () => {
    const x = recording(10, [[2.5, 1, 0.5]]);
    const cuts = cutPoints(x, SR, 3);
    expect(cuts[0]![0]).toBe(0);
    expect(cuts.at(-1)![1]).toBe(x.length);
    for (const [a, b] of cuts) expect(b - a).toBeLessThanOrEqual(3 * SR);
    for (let i = 1; i < cuts.length; i++) expect(cuts[i]![0]).toBe(cuts[i - 1]![1]);
    // The first cut avoids the tone at 2.5–3.5 s: it lands in 2.25–2.5 s.
    expect(cuts[0]![1] / SR).toBeGreaterThanOrEqual(2.25);
    expect(cuts[0]![1] / SR).toBeLessThanOrEqual(2.5);
    expect(cutPoints(x, SR, 0)).toEqual([[0, x.length]]);
    await expect(Transcriber.create({ model: '' })).rejects.toThrow(/model/);
    await expect(Transcriber.create({ model: 'tiny-ctc', localModelPath: root, device: 'tpu' as never })).rejects.toThrow(/device/);
    await expect(Transcriber.create({ model: 'nope', localModelPath: root })).rejects.toThrow(/Remote models are off/);
  });
});

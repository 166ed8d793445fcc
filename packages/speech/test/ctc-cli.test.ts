// `dlkit speech train-ctc` → `eval` (CTC branch) → `transcribe --model <dlkit CTC dir>`, on a tiny budget.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask, tf } from '@dlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsddSequences, trainCtcCommand, writeSequenceFolder } from '../src/node.js';
import { DATA_DIR, haveFsdd, wasm } from './helpers.js';

beforeAll(wasm);
const root = mkdtempSync(join(tmpdir(), 'speech-ctc-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const verb = (name: string) => getTask('kws').cli!.verbs.find((v) => v.name === name)!;
const io = { log: () => {}, json: true };

describe('dlkit speech train-ctc / eval / transcribe', () => {
  it.skipIf(!haveFsdd)(`trains on FSDD sequences without the held-out speakers, records the split in the card, evaluates and transcribes${haveFsdd ? '' : ` — skipped: ${DATA_DIR}/fsdd absent`}`, async () => {
    const base = tf.memory().numTensors;
    const out = join(root, 'model');
    const r = await trainCtcCommand({ out, epochs: 1, batchSize: 8, fsddPerEpoch: 16, espeakTrain: 0, espeakTest: 0, fsddTest: 6, width: 16, blocks: 1, heldOutSpeakers: ['theo'], progress: false });
    expect(r.fsddHeldOutN).toBe(6);
    expect(existsSync(`${out}.ckpt`)).toBe(false);
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card.task).toBe('speech-recognition-ctc');
    expect(card.labels).toEqual(['<blank>', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(card.extra.heldOut.fsddSpeakers).toEqual(['theo']);
    expect(card.extra.trainedOn.fsddSpeakers).not.toContain('theo');
    expect(card.metrics.fsddHeldOutWer).toBeGreaterThan(0);

    // eval rebuilds exactly the card's held-out set: same WER.
    const e = (await verb('eval').run([], { model: out, data: 'fsdd', speakers: ['theo'], sequences: 6, seed: card.extra.heldOut.fsddSeed }, io)) as Record<string, number>;
    expect(e.n).toBe(6);
    expect(e.wer).toBeCloseTo(card.metrics.fsddHeldOutWer, 4);

    // A sequence folder (transcripts.tsv) evaluates the same way, and transcribe returns text per file.
    const seqs = await fsddSequences({ speakers: ['theo'], sampleRate: 8000, count: 2, seed: 5 });
    await writeSequenceFolder(join(root, 'seqs'), seqs);
    const f = (await verb('eval').run([], { model: out, data: join(root, 'seqs') }, io)) as Record<string, number>;
    expect(f.n).toBe(2);
    const t = (await verb('transcribe').run([join(root, 'seqs', seqs[0]!.file!)], { model: out }, io)) as { modelType: string; transcripts: { text: string; tokens: unknown[] }[] };
    expect(t.modelType).toBe('speech-recognition-ctc');
    expect(typeof t.transcripts[0]!.text).toBe('string');
    expect(t.transcripts[0]!.tokens.length).toBe(t.transcripts[0]!.text.split(' ').filter(Boolean).length);
    expect(tf.memory().numTensors).toBe(base);
  }, 180_000);

  it('refuses held-out speakers that are not FSDD speakers', async () => {
    await expect(trainCtcCommand({ out: join(root, 'bad'), heldOutSpeakers: ['alice'], progress: false })).rejects.toThrow(/--held-out-speakers.*george/);
  });
});

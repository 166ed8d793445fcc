// Re-evaluates the committed release checkpoints on the shared data (skips with a reason when absent).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESPEAK_TEST_SEED, espeakAvailable, evalCommand, evalCtcCommand, FSDD_TEST_SEED, speakerOf } from '../src/node.js';
import { DATA_DIR, haveFsdd, haveSpeechCommands, REPO, wasm } from './helpers.js';

beforeAll(wasm);

const fsddModel = join(REPO, 'models/fsdd-digits');
const kwsModel = join(REPO, 'models/speech-commands-kws');
const ctcModel = join(REPO, 'models/digits-ctc');
const haveEspeak = await espeakAvailable();

describe('release checkpoints', () => {
  it.skipIf(!haveFsdd || !existsSync(join(fsddModel, 'model.json')))(`fsdd-digits ≥ 97% on the FSDD test split (recording index 0–4)${haveFsdd ? '' : ` — skipped: ${DATA_DIR}/fsdd absent`}`, async () => {
    const r = await evalCommand({ model: fsddModel, data: 'fsdd', split: 'test' });
    expect(r.n).toBe(300);
    expect(r.accuracy as number).toBeGreaterThanOrEqual(0.97);
    const card = JSON.parse(readFileSync(join(fsddModel, 'model-card.json'), 'utf8'));
    expect(card.metrics.testAccuracy).toBeCloseTo(r.accuracy as number, 4);
  });

  it.skipIf(!haveSpeechCommands || !existsSync(join(kwsModel, 'model.json')))(`speech-commands-kws on its held-out Speech Commands clips${haveSpeechCommands ? '' : ` — skipped: ${DATA_DIR}/speech-commands absent`}`, async () => {
    const card = JSON.parse(readFileSync(join(kwsModel, 'model-card.json'), 'utf8'));
    // The held-out clips (never trained on) are listed in the card as <class>/<file>; evaluate exactly those.
    const heldOut = card.extra.heldOut as string[];
    const trained = new Set(card.extra.trainedOn.files as string[]);
    expect(heldOut.some((f) => trained.has(f))).toBe(false);
    const { KeywordSpotter } = await import('../src/node.js');
    const { decodeWav } = await import('@dlkit/data');
    const spotter = await KeywordSpotter.load(kwsModel);
    const examples = heldOut.map((f) => {
      const [cls, name] = f.split('/');
      const w = decodeWav(readFileSync(join(DATA_DIR, 'speech-commands', cls!, name!)), f);
      return { samples: w.samples, sampleRate: w.sampleRate, label: spotter.labels.indexOf(cls!) };
    });
    const r = await spotter.evaluate(examples);
    spotter.dispose();
    expect(r.n).toBe(heldOut.length);
    expect(card.metrics.holdoutAccuracy).toBeCloseTo(r.accuracy, 4);
    // Issue 6: ≥ 85 % on clips (here: speakers) it never saw.
    expect(r.accuracy).toBeGreaterThanOrEqual(0.85);
    if (card.extra.heldOutBy === 'speaker') {
      const speakers = new Set(heldOut.map(speakerOf).filter(Boolean));
      expect((card.extra.trainedOn.files as string[]).some((f) => speakers.has(speakerOf(f)))).toBe(false);
    }
  }, 300_000); // 275 clips through the openWakeWord embedder: ~30 s on an idle core

  // No threshold in issue 6 for the CTC model: the card's honest number is what is guarded (± 1 point for other backends' rounding).
  it.skipIf(!haveFsdd || !existsSync(join(ctcModel, 'model.json')))(`digits-ctc: WER on digit sequences of FSDD speakers it never heard stays at the card's value${haveFsdd ? '' : ` — skipped: ${DATA_DIR}/fsdd absent`}`, async () => {
    const card = JSON.parse(readFileSync(join(ctcModel, 'model-card.json'), 'utf8'));
    const held = card.extra.heldOut.fsddSpeakers as string[];
    expect((card.extra.trainedOn.fsddSpeakers as string[]).some((s) => held.includes(s))).toBe(false);
    expect((card.extra.validation.fsddSpeakers as string[]).some((s) => held.includes(s))).toBe(false);
    const r = await evalCtcCommand({ model: ctcModel, data: 'fsdd', speakers: held, sequences: card.metrics.fsddHeldOutN, seed: card.extra.heldOut.fsddSeed ?? FSDD_TEST_SEED });
    expect(r.n).toBe(card.metrics.fsddHeldOutN);
    expect(Math.abs((r.wer as number) - card.metrics.fsddHeldOutWer)).toBeLessThanOrEqual(0.01);
    expect(Math.abs((r.cer as number) - card.metrics.fsddHeldOutCer)).toBeLessThanOrEqual(0.01);
  }, 180_000);

  it.skipIf(!haveEspeak || !existsSync(join(ctcModel, 'model.json')))(`digits-ctc: WER on espeak-ng voices it never heard stays at the card's value${haveEspeak ? '' : ' — skipped: espeak-ng not installed (apt-get install espeak-ng)'}`, async () => {
    const card = JSON.parse(readFileSync(join(ctcModel, 'model-card.json'), 'utf8'));
    const voices = card.extra.heldOut.espeakVoices as string[];
    expect((card.extra.trainedOn.espeakVoices as string[]).some((v) => voices.includes(v))).toBe(false);
    const r = await evalCtcCommand({ model: ctcModel, data: 'espeak', voices, sequences: card.metrics.espeakHeldOutN, seed: card.extra.heldOut.espeakSeed ?? ESPEAK_TEST_SEED });
    expect(r.n).toBe(card.metrics.espeakHeldOutN);
    // espeak-ng output may differ slightly between its versions; 2 points of slack.
    expect(Math.abs((r.wer as number) - card.metrics.espeakHeldOutWer)).toBeLessThanOrEqual(0.02);
  }, 300_000);
});

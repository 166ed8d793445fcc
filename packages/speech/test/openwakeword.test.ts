// openWakeWord's pretrained hey_jarvis detector on a long noisy recording the test builds from
// espeak-ng speech (skips with a reason when espeak-ng is not installed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '@dlkit/data';
import { describe, expect, it } from 'vitest';
import { detectCommand, OpenWakeWord, speak } from '../src/node.js';
import { noise } from './helpers.js';

let haveEspeak = true;
try {
  execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
} catch {
  haveEspeak = false;
}

const SR = 16000;

describe('openWakeWord (pretrained)', () => {
  it.skipIf(!haveEspeak)(`finds espeak "hey jarvis" in 20 s of noise and speech, with timestamps and no false alarms${haveEspeak ? '' : ' — skipped: espeak-ng not installed'}`, async () => {
    const long = noise(20 * SR, 0.01, 5);
    const put = (x: Float32Array, atS: number) => {
      const o = Math.round(atS * SR);
      for (let i = 0; i < x.length; i++) long[o + i]! += x[i]!;
      return { startMs: atS * 1000, endMs: Math.round(atS * 1000 + (x.length * 1000) / SR) };
    };
    const trim = (x: Float32Array) => {
      let a = 0;
      let b = x.length;
      while (a < b && Math.abs(x[a]!) < 0.01) a++;
      while (b > a && Math.abs(x[b - 1]!) < 0.01) b--;
      return x.subarray(a, b);
    };
    const jarvis1 = put(trim(await speak('hey jarvis', { voice: 'en-us', speed: 150, sampleRate: SR })), 3);
    put(trim(await speak('the weather is nice today', { voice: 'en-gb', speed: 160, sampleRate: SR })), 7.5);
    const jarvis2 = put(trim(await speak('hey jarvis', { voice: 'en-gb-x-rp+m3', speed: 140, sampleRate: SR })), 12);
    put(trim(await speak('turn the lights off please', { voice: 'en-us+f2', speed: 160, sampleRate: SR })), 16);
    const file = join(mkdtempSync(join(tmpdir(), 'speech-oww-')), 'long.wav');
    writeFileSync(file, encodeWav(long, SR));
    const oww = await OpenWakeWord.load();
    const events = await oww.detect(file, { wakeWord: 'hey_jarvis' });
    // A short clip that starts with the phrase still fires (the detector pads context).
    const short = noise(2 * SR, 0.01, 6);
    const phrase = trim(await speak('hey jarvis', { voice: 'en-us+m3', speed: 150, sampleRate: SR }));
    short.set(phrase.subarray(0, short.length - 0.2 * SR), 0.2 * SR);
    const shortEvents = await oww.detect({ samples: short, sampleRate: SR });
    await oww.dispose();
    expect(shortEvents).toHaveLength(1);
    expect(Math.abs(shortEvents[0]!.startMs - 200)).toBeLessThan(300);
    expect(events.map((e) => e.keyword)).toEqual(['hey_jarvis', 'hey_jarvis']);
    events.forEach((e, i) => {
      const truth = [jarvis1, jarvis2][i]!;
      expect(Math.abs(e.startMs - truth.startMs)).toBeLessThan(300);
      expect(Math.abs(e.endMs - truth.endMs)).toBeLessThan(300);
    });
    // The CLI path (`dlkit speech detect --pretrained openwakeword --wake-word hey_jarvis long.wav --json`).
    const cli = await detectCommand({ pretrained: 'openwakeword', wakeWord: 'hey_jarvis', file });
    expect(cli.events).toEqual(events);
    await expect(detectCommand({ pretrained: 'openwakeword', wakeWord: 'hey_siri', file })).rejects.toThrow(/wakeWord/);
  }, 180_000); // ~15 s on an idle machine; the 60 s default timed out at load ≈ 20
});

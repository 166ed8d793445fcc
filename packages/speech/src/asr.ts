/**
 * Speech recognition through transformers.js `automatic-speech-recognition` (Whisper, and the
 * CTC family: wav2vec2, HuBERT, UniSpeech, Parakeet-CTC) from a local folder or the hub, with
 * dlkit's audio inputs (path, bytes, Float32Array, chunk streams) and one result shape:
 * `{ text, chunks: [{ text, startMs, endMs }] }`.
 *
 * Whisper: transformers.js does the chunking (chunk_length_s / stride) and segment timestamps.
 * CTC: transformers.js neither chunks nor timestamps them, so we run its processor + model on
 * chunks cut at the quietest 10 ms near each boundary, greedy-decode the logits ourselves and
 * time every word from its frames (frame = product of config.conv_stride samples).
 * transformers.js is imported lazily (it is large).
 */
import { checkNumber, DlkitError, HF_DEVICES, HF_DTYPES, type HfPipelineOptions, loadHfPipeline } from '@dlkit/core';
import { type AudioInput, readAudio } from './audio.js';

/** transformers.js devices / weight variants (core's, under the names speech exports). */
export const ASR_DEVICES = HF_DEVICES;
export const ASR_DTYPES = HF_DTYPES;
const CTC_TYPES = ['wav2vec2', 'wav2vec2-bert', 'unispeech', 'unispeech-sat', 'hubert', 'parakeet_ctc'];

/** Hub id (e.g. 'Xenova/whisper-tiny.en', 'Xenova/wav2vec2-base-960h') or a folder under localModelPath, and how to load it. */
export type TranscriberOptions = HfPipelineOptions;

export interface TranscribeOptions {
  /** Audio longer than this is transcribed in chunks (default 30 s; 0 = never chunk CTC models). */
  chunkLengthS?: number;
  /** Whisper: overlap between chunks (default chunkLengthS / 6, as transformers.js). */
  strideLengthS?: number;
  /** Whisper: spoken language, e.g. 'english' (multilingual checkpoints only). */
  language?: string;
  /** Rate of a bare Float32Array input. */
  inputSampleRate?: number;
}

export interface TranscriptChunk {
  text: string;
  startMs: number;
  endMs: number;
}

export interface Transcript {
  text: string;
  /** Whisper: segments; CTC: words. */
  chunks: TranscriptChunk[];
}

// biome-ignore lint/suspicious/noExplicitAny: transformers.js pipelines are loosely typed unions.
type AnyPipeline = any;

export class Transcriber {
  private constructor(
    private readonly pipe: AnyPipeline,
    readonly model: string,
  ) {}

  static async create(o: TranscriberOptions): Promise<Transcriber> {
    const { pipe } = await loadHfPipeline(() => import('@huggingface/transformers'), 'automatic-speech-recognition', o, 'config.json, preprocessor_config.json, tokenizer.json and onnx/*.onnx');
    return new Transcriber(pipe, o.model);
  }

  /** The model's `config.model_type` (whisper, wav2vec2, ...). */
  get modelType(): string {
    return this.pipe.model?.config?.model_type ?? 'unknown';
  }

  get sampleRate(): number {
    return this.pipe.processor?.feature_extractor?.config?.sampling_rate ?? 16000;
  }

  async transcribe(input: AudioInput, o: TranscribeOptions = {}): Promise<Transcript> {
    const chunkS = checkNumber('chunkLengthS', o.chunkLengthS ?? 30, 0);
    const { samples } = await readAudio(input, { sampleRate: this.sampleRate, ...(o.inputSampleRate !== undefined ? { inputSampleRate: o.inputSampleRate } : {}) });
    if (this.modelType === 'whisper' || this.modelType === 'lite-whisper') return this.whisper(samples, chunkS, o);
    if (!CTC_TYPES.includes(this.modelType)) throw new DlkitError('UNSUPPORTED', `transcribe does not support model type ${JSON.stringify(this.modelType)}; expected whisper or a CTC model (${CTC_TYPES.join(', ')}).`);
    const sr = this.sampleRate;
    const chunks: TranscriptChunk[] = [];
    for (const [a, b] of cutPoints(samples, sr, chunkS)) {
      for (const w of await this.ctcWords(samples.subarray(a, b))) chunks.push({ text: w.text, startMs: Math.round(((a + w.start) * 1000) / sr), endMs: Math.round(((a + w.end) * 1000) / sr) });
    }
    return { text: chunks.map((c) => c.text).join(' '), chunks };
  }

  private async whisper(samples: Float32Array, chunkS: number, o: TranscribeOptions): Promise<Transcript> {
    const out = await this.pipe(samples, {
      return_timestamps: true,
      ...(chunkS > 0 ? { chunk_length_s: chunkS, stride_length_s: o.strideLengthS ?? chunkS / 6 } : {}),
      ...(o.language ? { language: o.language } : {}),
    });
    const chunks = ((out.chunks ?? []) as { text: string; timestamp: [number, number | null] }[]).map((c) => ({
      text: c.text.trim(),
      startMs: Math.round(c.timestamp[0] * 1000),
      endMs: Math.round((c.timestamp[1] ?? samples.length / this.sampleRate) * 1000),
    }));
    return { text: String(out.text).trim(), chunks };
  }

  /** Greedy CTC decoding of one chunk: words with their first/last sample. */
  private async ctcWords(x: Float32Array): Promise<{ text: string; start: number; end: number }[]> {
    const inputs = await this.pipe.processor(x);
    const output = await this.pipe.model(inputs);
    const logits = output.logits as { dims: number[]; data: Float32Array };
    const [, t, v] = logits.dims as [number, number, number];
    const tok = this.pipe.tokenizer;
    const vocab = tok.get_vocab() as Map<string, number> | Record<string, number>;
    const id2tok: string[] = [];
    for (const [k, i] of vocab instanceof Map ? vocab : Object.entries(vocab)) id2tok[i] = k;
    const delimiter = tok.config?.word_delimiter_token ?? '|';
    const special = new Set([tok.pad_token_id, tok.unk_token_id, tok.bos_token_id, tok.eos_token_id].filter((i) => i !== undefined && i !== null));
    const ratio = ((this.pipe.model.config?.conv_stride as number[] | undefined) ?? []).reduce((p, s) => p * s, 1);
    const frame = ratio > 1 ? ratio : x.length / Math.max(1, t);
    const words: { text: string; start: number; end: number }[] = [];
    let cur: { text: string; start: number; end: number } | undefined;
    let prev = -1;
    for (let f = 0; f < t; f++) {
      let best = 0;
      for (let j = 1; j < v; j++) if (logits.data[f * v + j]! > logits.data[f * v + best]!) best = j;
      const same = best === prev;
      prev = best;
      if (special.has(best)) continue; // blank (pad): ends a repeat, emits nothing
      const token = id2tok[best] ?? '';
      if (token === delimiter) {
        if (cur) words.push(cur);
        cur = undefined;
        continue;
      }
      const end = Math.min(x.length, Math.round((f + 1) * frame));
      if (same && cur) {
        cur.end = end;
        continue;
      }
      if (cur) {
        cur.text += token;
        cur.end = end;
      } else cur = { text: token, start: Math.round(f * frame), end };
    }
    if (cur) words.push(cur);
    return words;
  }

  async dispose(): Promise<void> {
    await this.pipe.dispose?.();
  }
}

/**
 * [start, end) sample ranges of at most chunkS seconds each, cut at the quietest 10 ms frame of
 * the last quarter of each chunk, so a word is rarely split.
 */
export function cutPoints(x: Float32Array, sampleRate: number, chunkS: number): [number, number][] {
  const max = Math.round(chunkS * sampleRate);
  if (chunkS <= 0 || x.length <= max) return [[0, x.length]];
  const hop = Math.max(1, Math.round(sampleRate / 100));
  const out: [number, number][] = [];
  let a = 0;
  while (x.length - a > max) {
    let cut = a + max;
    let quietest = Infinity;
    for (let s = a + Math.floor(max * 0.75); s + hop <= a + max; s += hop) {
      let e = 0;
      for (let i = s; i < s + hop; i++) e += x[i]! * x[i]!;
      if (e < quietest) [quietest, cut] = [e, s + (hop >> 1)];
    }
    out.push([a, cut]);
    a = cut;
  }
  out.push([a, x.length]);
  return out;
}

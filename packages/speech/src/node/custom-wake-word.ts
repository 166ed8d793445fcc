/**
 * Custom wake words from a handful of examples — a thin layer over KeywordSpotter.fineTune:
 * a two-class spotter ('_background_', keyword) on openWakeWord's frozen embeddings, whose head
 * then scores a long recording once per 80 ms embedding step (the recording is embedded once,
 * not once per window) with openWakeWord's event post-processing. The openWakeWord recipe,
 * minus its 100k-hour negative set: negatives are the other speech and noise clips you pass.
 */
import { checkInt, DlkitError, type tf } from '@dlkit/core';
import { type AudioInput, fitLength, readAudio } from '../audio.js';
import type { ClipSet } from '../clip-set.js';
import { KeywordSpotter } from '../spotter.js';
import type { KeywordEvent } from '../stream.js';
import { type OpenWakeWord, OWW_SAMPLE_RATE } from './openwakeword.js';

export const BACKGROUND = '_background_';

export interface CustomWakeWordFitOptions {
  epochs?: number;
  lr?: number;
  seed?: number;
  /** Clip length in ms (default 1500: room for a two-word phrase; at most 2000). */
  clipMs?: number;
  /** Augmented copies of every clip (default 0). */
  augmentCopies?: number;
  /** Rate of bare Float32Array clips. */
  inputSampleRate?: number;
  progress?: boolean;
}

export class CustomWakeWord {
  private constructor(
    readonly keyword: string,
    /** The underlying two-class spotter (save it with spotter.save; reload with CustomWakeWord.load). */
    readonly spotter: KeywordSpotter,
    private readonly oww: OpenWakeWord,
  ) {}

  /** Train from positive clips (~20 suffice) and negative clips (other words, noise). */
  static async train(oww: OpenWakeWord, keyword: string, positives: AudioInput[], negatives: AudioInput[], o: CustomWakeWordFitOptions = {}): Promise<CustomWakeWord> {
    if (positives.length < 3 || negatives.length < 3) throw new DlkitError('INVALID_INPUT', `Need at least 3 positive and 3 negative clips (got ${positives.length} and ${negatives.length}).`);
    if (keyword === BACKGROUND || keyword === '') throw new DlkitError('INVALID_OPTION', `Invalid option keyword: ${JSON.stringify(keyword)}; expected a name other than "${BACKGROUND}".`);
    const spotter = await KeywordSpotter.fromPretrained('openwakeword', { classes: [BACKGROUND, keyword], clipMs: o.clipMs ?? 1500, seed: o.seed ?? 0, embedder: oww });
    try {
      const l = spotter.clipSamples;
      const inputs = [...negatives, ...positives];
      const clips = new Float32Array(inputs.length * l);
      for (const [i, a] of inputs.entries()) {
        const { samples } = await readAudio(a, { sampleRate: OWW_SAMPLE_RATE, ...(o.inputSampleRate !== undefined ? { inputSampleRate: o.inputSampleRate } : {}) });
        clips.set(fitLength(samples, l), i * l);
      }
      const labels = Int32Array.from(inputs, (_, i) => (i < negatives.length ? 0 : 1));
      const set: ClipSet = { clips, labels, length: inputs.length, clipSamples: l, sampleRate: OWW_SAMPLE_RATE, classes: spotter.labels };
      // Balanced class weights: negatives usually outnumber the ~20 positives.
      await spotter.fineTune(set, { epochs: checkInt('epochs', o.epochs ?? 60, 1), batchSize: 16, lr: o.lr ?? 1e-3, seed: o.seed ?? 0, classWeight: 'balanced', augmentCopies: o.augmentCopies ?? 0, progress: o.progress ?? false });
      return new CustomWakeWord(keyword, spotter, oww);
    } catch (e) {
      spotter.dispose();
      throw e;
    }
  }

  /** A custom wake word saved with `kw.spotter.save(dir)`. */
  static async load(oww: OpenWakeWord, dir: string): Promise<CustomWakeWord> {
    const spotter = await KeywordSpotter.load(dir, { embedder: oww });
    const keyword = spotter.labels.find((l) => l !== BACKGROUND);
    if (spotter.labels.length !== 2 || !spotter.labels.includes(BACKGROUND) || !keyword) {
      spotter.dispose();
      throw new DlkitError('CORRUPT_DATA', `${dir} is not a custom wake word (labels ${JSON.stringify(spotter.labels)}; expected ["${BACKGROUND}", keyword]).`);
    }
    return new CustomWakeWord(keyword, spotter, oww);
  }

  /** Keyword score per 80 ms embedding step of a recording (0 for the first 15 steps). */
  async scores(samples: Float32Array): Promise<Float32Array> {
    const { frames, dim } = this.oww;
    const { data, n } = await this.oww.embeddings(samples);
    const out = new Float32Array(n);
    if (n < frames) return out;
    const m = n - frames + 1;
    const windows = new Float32Array(m * frames * dim);
    for (let k = 0; k < m; k++) windows.set(data.subarray(k * dim, (k + frames) * dim), k * frames * dim);
    const p = await this.spotter.probabilitiesOfEmbedded({ embeddings: windows, labels: new Int32Array(m), length: m, frames, dim });
    const c = this.spotter.labels.indexOf(this.keyword);
    for (let k = 0; k < m; k++) out[k + frames - 1] = p[k * 2 + c]!;
    return out;
  }

  /** Keyword events in a recording (same post-processing as the pretrained heads). */
  async detect(input: AudioInput, o: { threshold?: number; refractoryMs?: number; inputSampleRate?: number } = {}): Promise<KeywordEvent[]> {
    return this.oww.detectWithScores(input, this.keyword, (s) => this.scores(s), o);
  }

  get model(): tf.LayersModel {
    return this.spotter.model;
  }

  dispose(): void {
    this.spotter.dispose();
  }
}

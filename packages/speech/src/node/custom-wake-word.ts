/**
 * Custom wake words from a handful of examples: openWakeWord's frozen mel + speech-embedding
 * models turn each clip into 16 × 96 embeddings (≈ 2 s), and a small tfjs head (flatten → dense
 * → sigmoid) learns keyword vs. everything else — the openWakeWord training recipe, minus the
 * 100k-hour negative set. Negatives: other speech and noise clips you pass.
 */
import { checkInt, checkNumber, DlkitError, tf } from '@dlkit/core';
import { fit } from '@dlkit/train';
import { type AudioInput, readAudio } from '../audio.js';
import type { KeywordEvent } from '../stream.js';
import { type OpenWakeWord, OWW_SAMPLE_RATE } from './openwakeword.js';

const FRAMES = 16;
const DIM = 96;
const CLIP = 32_640; // 16 embeddings need (76 + 15·8) mel frames of 10 ms, plus the mel model's own context

/** The last 16 embeddings of a clip placed in ≈ 2 s (silence-padded; long clips keep their end), [16 × 96]. */
async function clipEmbedding(oww: OpenWakeWord, samples: Float32Array): Promise<Float32Array> {
  const x = new Float32Array(CLIP);
  if (samples.length <= CLIP) x.set(samples, CLIP - samples.length - Math.floor((CLIP - samples.length) / 4));
  else x.set(samples.subarray(samples.length - CLIP));
  const { data, n } = await oww.embeddings(x);
  if (n < FRAMES) throw new DlkitError('STATE', `Expected ${FRAMES} embeddings from ${CLIP} samples, got ${n}.`);
  return data.slice((n - FRAMES) * DIM, n * DIM);
}

export interface CustomWakeWordFitOptions {
  epochs?: number;
  lr?: number;
  seed?: number;
  /** Rate of bare Float32Array clips. */
  inputSampleRate?: number;
}

export class CustomWakeWord {
  private constructor(
    readonly keyword: string,
    readonly model: tf.LayersModel,
    private readonly oww: OpenWakeWord,
  ) {}

  /** Train a head from positive clips (~20 suffice) and negative clips (other words, noise). */
  static async train(oww: OpenWakeWord, keyword: string, positives: AudioInput[], negatives: AudioInput[], o: CustomWakeWordFitOptions = {}): Promise<CustomWakeWord> {
    if (positives.length < 3 || negatives.length < 3) throw new DlkitError('INVALID_INPUT', `Need at least 3 positive and 3 negative clips (got ${positives.length} and ${negatives.length}).`);
    const epochs = checkInt('epochs', o.epochs ?? 60, 1);
    const lr = checkNumber('lr', o.lr ?? 1e-3, 0);
    const rows: Float32Array[] = [];
    for (const a of [...positives, ...negatives]) rows.push(await clipEmbedding(oww, (await readAudio(a, { sampleRate: OWW_SAMPLE_RATE, ...(o.inputSampleRate !== undefined ? { inputSampleRate: o.inputSampleRate } : {}) })).samples));
    const xs = new Float32Array(rows.length * FRAMES * DIM);
    rows.forEach((r, i) => {
      xs.set(r, i * FRAMES * DIM);
    });
    const ys = Float32Array.from(rows, (_, i) => (i < positives.length ? 1 : 0));
    const model = tf.sequential({ name: 'wake_word_head' });
    model.add(tf.layers.flatten({ inputShape: [FRAMES, DIM] }));
    model.add(tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed ?? 0 }) }));
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: (o.seed ?? 0) + 1 }) }));
    model.compile({ optimizer: tf.train.adam(lr), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = tf.tensor3d(xs, [rows.length, FRAMES, DIM]);
    const y = tf.tensor2d(ys, [rows.length, 1]);
    // Balance the classes: negatives usually outnumber the ~20 positives.
    const pos = positives.length;
    const neg = negatives.length;
    try {
      await fit(model, x, y, { epochs, batchSize: 16, seed: o.seed ?? 0, classWeight: { 0: rows.length / (2 * neg), 1: rows.length / (2 * pos) } });
    } finally {
      tf.dispose([x, y]);
    }
    return new CustomWakeWord(keyword, model, oww);
  }

  /** Keyword score per 80 ms embedding step of a recording. */
  async scores(samples: Float32Array): Promise<Float32Array> {
    const { data, n } = await this.oww.embeddings(samples);
    const out = new Float32Array(n);
    if (n < FRAMES) return out;
    const m = n - FRAMES + 1;
    const windows = new Float32Array(m * FRAMES * DIM);
    for (let k = 0; k < m; k++) windows.set(data.subarray(k * DIM, (k + FRAMES) * DIM), k * FRAMES * DIM);
    const p = tf.tidy(() => this.model.predict(tf.tensor3d(windows, [m, FRAMES, DIM])) as tf.Tensor);
    out.set(await p.data(), FRAMES - 1);
    p.dispose();
    return out;
  }

  /** Keyword events in a recording (same post-processing as the pretrained heads). */
  async detect(input: AudioInput, o: { threshold?: number; refractoryMs?: number; inputSampleRate?: number } = {}): Promise<KeywordEvent[]> {
    return this.oww.detectWithScores(input, this.keyword, (s) => this.scores(s), o);
  }

  dispose(): void {
    this.model.optimizer?.dispose();
    this.model.dispose();
  }
}

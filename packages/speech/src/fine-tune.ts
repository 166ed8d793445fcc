/**
 * Transfer learning on a frozen speech embedder: every clip is embedded once (plus `copies`
 * waveform-augmented versions, since augmentation must happen before the frozen front end),
 * and the small head trains on that cache for many epochs — fastai's "pre-compute the body".
 */
import { checkInt, createProgress, DlkitError, Rng, tf } from '@dlkit/core';
import { type Callback, fit as fitModel, type History, progressBar } from '@dlkit/train';
import { type AugmentOptions, augmentWave, resolveAugment } from './augment.js';
import { type ClipSet, clip } from './clip-set.js';
import type { SpeechEmbedder } from './embedder.js';

/** Embedded clips: [length × frames × dim] row-major, with their labels. */
export interface EmbeddedSet {
  embeddings: Float32Array;
  labels: Int32Array;
  length: number;
  frames: number;
  dim: number;
}

export interface EmbedOptions {
  /** Waveform augmentation of the extra copies (SpecAugment masks do not apply here). */
  augment?: AugmentOptions;
  /** Augmented copies per clip, on top of the clip itself (default 0). */
  copies?: number;
  /** Background-noise clips for augment.noiseProb. */
  noise?: Float32Array[];
  seed?: number;
  progress?: boolean;
  /** Clips embedded per call (default 32). */
  batchSize?: number;
}

export const isEmbeddedSet = (x: unknown): x is EmbeddedSet => typeof x === 'object' && x !== null && (x as EmbeddedSet).embeddings instanceof Float32Array && (x as EmbeddedSet).labels instanceof Int32Array;

export async function embedClipSet(embedder: SpeechEmbedder, set: ClipSet, o: EmbedOptions = {}): Promise<EmbeddedSet> {
  const copies = checkInt('copies', o.copies ?? 0, 0, 100);
  const augment = copies > 0 ? resolveAugment(o.augment ?? {}) : undefined;
  if (augment && augment.noiseProb > 0 && !o.noise?.length) throw new DlkitError('INVALID_OPTION', 'Invalid option noise: none given but augment.noiseProb > 0; pass noise clips (e.g. the _silence_ class).');
  const l = set.clipSamples;
  const total = set.length * (1 + copies);
  const size = embedder.frames * embedder.dim;
  const embeddings = new Float32Array(total * size);
  const labels = new Int32Array(total);
  const rng = new Rng((o.seed ?? 0) * 7919 + 3);
  const batch = checkInt('batchSize', o.batchSize ?? 32, 1);
  const bar = o.progress === false ? undefined : createProgress({ label: `embedding (${embedder.id})`, total, unit: 'clip' });
  for (let s = 0; s < total; s += batch) {
    const b = Math.min(batch, total - s);
    const waves = new Float32Array(b * l);
    for (let i = 0; i < b; i++) {
      const k = s + i;
      const j = k % set.length; // copy 0 is the clip itself, copies 1.. are augmented
      const dst = waves.subarray(i * l, (i + 1) * l);
      if (k < set.length || !augment) dst.set(clip(set, j));
      else augmentWave(clip(set, j), dst, set.sampleRate, augment, rng, o.noise ?? []);
      labels[k] = set.labels[j]!;
    }
    embeddings.set(await embedder.embedClips(waves, b, l), s * size);
    bar?.update(s + b);
  }
  bar?.done();
  return { embeddings, labels, length: total, frames: embedder.frames, dim: embedder.dim };
}

export interface HeadFitOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  numClasses: number;
  validation?: EmbeddedSet;
  classWeight?: Record<number, number>;
  callbacks?: Callback[];
  progress?: boolean;
  signal?: AbortSignal;
}

function tensors(set: EmbeddedSet, k: number): [tf.Tensor3D, tf.Tensor2D] {
  return tf.tidy(() => [tf.tensor3d(set.embeddings, [set.length, set.frames, set.dim]), tf.oneHot(tf.tensor1d(set.labels, 'int32'), k).toFloat() as tf.Tensor2D]);
}

/** Train the head on cached embeddings with @dlkit/train's fit. */
export async function fitHead(model: tf.LayersModel, train: EmbeddedSet, o: HeadFitOptions): Promise<History> {
  const [x, y] = tensors(train, o.numClasses);
  const val = o.validation ? tensors(o.validation, o.numClasses) : undefined;
  try {
    return await fitModel(model, x, y, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      callbacks: [...(o.callbacks ?? []), ...(o.progress === false ? [] : [progressBar()])],
      ...(val ? { validationData: val } : {}),
      ...(o.classWeight ? { classWeight: o.classWeight } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } finally {
    tf.dispose([x, y, ...(val ?? [])]);
  }
}

/**
 * Variable-length sequences → CTC batches: each waveform is (optionally) augmented in JS (speed,
 * gain, white noise at a random SNR), turned into normalised features on its own (so padding
 * never enters the per-utterance statistics), zero-padded to the longest in the batch, and
 * SpecAugment-masked. Labels stay JS arrays; `frames` are each item's valid input frames.
 */
import { checkNumber, type Rng, tf } from '@dlkit/core';
import { type AugmentOptions, resolveAugment, specMask, stretch } from './augment.js';
import type { FeatureExtractor } from './features.js';

/**
 * The KWS augmentations minus the time shift (a sequence's alignment is free under CTC), with
 * sequence defaults (DEFAULT_SEQUENCE_AUGMENT): speed [0.9, 1.1], gain ±6 dB, white noise with
 * probability 0.5 at 10–40 dB SNR, 2 time masks up to 10 frames and 2 frequency masks up to 4 bands.
 */
export type SequenceAugment = Omit<AugmentOptions, 'shiftMs'>;

export const DEFAULT_SEQUENCE_AUGMENT: Required<SequenceAugment> = { speed: [0.9, 1.1], gainDb: [-6, 6], noiseProb: 0.5, snrDb: [10, 40], timeMasks: 2, timeMaskWidth: 10, freqMasks: 2, freqMaskWidth: 4 };

export interface CtcBatch {
  xs: tf.Tensor3D;
  /** Valid feature frames per item. */
  frames: number[];
  labels: number[][];
}

const uniform = (rng: Rng, [a, b]: [number, number]) => a + (b - a) * rng.next();

export function augmentSequence(x: Float32Array, a: Required<SequenceAugment>, rng: Rng): Float32Array {
  const f = uniform(rng, a.speed);
  const y = Math.abs(f - 1) > 1e-3 ? stretch(x, f) : x.slice();
  const g = 10 ** (uniform(rng, a.gainDb) / 20);
  let p = 0;
  for (let i = 0; i < y.length; i++) {
    y[i]! *= g;
    p += y[i]! * y[i]!;
  }
  if (rng.next() < a.noiseProb) {
    const sigma = Math.sqrt(p / y.length / 10 ** (uniform(rng, a.snrDb) / 10));
    // Sum of uniforms ≈ Gaussian; plenty for a noise floor.
    for (let i = 0; i < y.length; i++) y[i]! += sigma * (rng.next() + rng.next() + rng.next() - 1.5) * 2;
  }
  return y;
}

/** Normalised features of one waveform: [1, T, C]. Clips shorter than a frame are padded to one frame. */
export function sequenceFeatures(fx: FeatureExtractor, samples: Float32Array): tf.Tensor3D {
  const min = fx.options.frameLength;
  const x = samples.length >= min ? samples : Float32Array.from({ length: min }, (_, i) => samples[i] ?? 0);
  return tf.tidy(() => fx.compute(tf.tensor2d(x, [1, x.length])));
}

export function makeCtcBatch(fx: FeatureExtractor, waves: Float32Array[], labels: number[][], o: { augment?: Required<SequenceAugment>; rng?: Rng } = {}): CtcBatch {
  const a = o.augment;
  const rng = o.rng;
  const masks = a ? resolveAugment({ timeMasks: a.timeMasks, timeMaskWidth: a.timeMaskWidth, freqMasks: a.freqMasks, freqMaskWidth: a.freqMaskWidth }) : undefined;
  const maps = waves.map((w) => sequenceFeatures(fx, a && rng ? augmentSequence(w, a, rng) : w));
  const frames = maps.map((m) => m.shape[1]);
  const t = Math.max(...frames);
  const c = maps[0]!.shape[2];
  const xs = tf.tidy(() => {
    const padded = maps.map((m, i) => {
      let y: tf.Tensor3D = m;
      if (masks && rng) {
        const mask = specMask(frames[i]!, c, masks, rng);
        if (mask) y = y.mul(tf.tensor3d(mask, [1, frames[i]!, c]));
      }
      return y.pad([[0, 0], [0, t - frames[i]!], [0, 0]]) as tf.Tensor3D;
    });
    return tf.concat(padded, 0) as tf.Tensor3D;
  });
  tf.dispose(maps);
  return { xs, frames, labels };
}

export function resolveSequenceAugment(o: SequenceAugment = {}): Required<SequenceAugment> {
  const r = { ...DEFAULT_SEQUENCE_AUGMENT, ...o };
  checkNumber('noiseProb', r.noiseProb, 0, 1);
  checkNumber('speed[0]', r.speed[0], 0.5, r.speed[1]);
  checkNumber('speed[1]', r.speed[1], r.speed[0], 2);
  return r;
}

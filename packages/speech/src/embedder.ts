/**
 * A frozen pretrained speech embedder (openWakeWord's mel + speech-embedding ONNX models in
 * Node) in front of a trainable tfjs head: KeywordSpotter.fromPretrained / fineTune. Browser-safe
 * interface only; the Node implementation is installed as a hook by '@dlkit/speech/node'.
 */
import { DlkitError } from '@dlkit/core';

export interface SpeechEmbedder {
  readonly id: string;
  readonly sampleRate: number;
  /** Embeddings per clip (the head's time axis) and their size. */
  readonly frames: number;
  readonly dim: number;
  /** Every clip is centred in this many samples (silence-padded) before embedding. */
  readonly contextSamples: number;
  /** Embeddings of n clips of clipSamples each: [n × frames × dim] row-major. */
  embedClips(waves: Float32Array, n: number, clipSamples: number): Promise<Float32Array>;
  /** Embeddings of a whole recording, one per step: [n × dim]. */
  embeddings(samples: Float32Array): Promise<{ data: Float32Array; n: number }>;
  /** Samples between consecutive embeddings of a recording. */
  readonly stepSamples: number;
  dispose(): Promise<void> | void;
}

export const PRETRAINED_EMBEDDERS = ['openwakeword'] as const;

/** Centre each clip in `context` samples of silence (or keep its centre when longer). */
export function centreIn(waves: Float32Array, n: number, clipSamples: number, context: number): Float32Array {
  if (clipSamples > context) throw new DlkitError('INVALID_OPTION', `Invalid option clipMs: clips of ${clipSamples} samples are longer than the embedder's ${context}-sample context.`, { hint: 'Use clipMs ≤ 2000 with the openwakeword embedder.' });
  const out = new Float32Array(n * context);
  const pad = Math.floor((context - clipSamples) / 2);
  for (let i = 0; i < n; i++) out.set(waves.subarray(i * clipSamples, (i + 1) * clipSamples), i * context + pad);
  return out;
}

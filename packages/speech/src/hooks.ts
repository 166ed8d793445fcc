/**
 * Environment-specific pieces the browser-safe API delegates to (reading files, model
 * directories). `@dlkit/speech/node` installs the Node versions; without them these say so.
 */
import { DlkitError, type ModelCard, type tf } from '@dlkit/core';
import type { SpeechEmbedder } from './embedder.js';
import type { OwwRuntime } from './openwakeword.js';
import type { VadGate } from './stream.js';

export interface SpeechHooks {
  readFile?(path: string): Promise<Uint8Array>;
  save?(model: tf.LayersModel, dir: string, card: Partial<ModelCard> & { task: string }): Promise<ModelCard>;
  load?(dir: string): Promise<{ model: tf.LayersModel; card: ModelCard | undefined }>;
  /** A pretrained frozen speech embedder by id ('openwakeword'). */
  embedder?(id: string): Promise<SpeechEmbedder>;
  /** OpenWakeWord.load's default ONNX runtime and model folder (onnxruntime-node in Node, onnxruntime-web in a browser). */
  openWakeWordRuntime?(): Promise<OwwRuntime>;
  /** A VAD model by name ('silero') as a detect() gate, and how to release it. */
  vad?(name: string): Promise<{ gate: VadGate; dispose(): Promise<void> }>;
}

export const hooks: SpeechHooks = {};

export function installHooks(h: SpeechHooks): void {
  Object.assign(hooks, h);
}

export function need<K extends keyof SpeechHooks>(name: K, what: string): NonNullable<SpeechHooks[K]> {
  const f = hooks[name];
  if (!f) {
    throw new DlkitError('UNSUPPORTED', `${what} needs Node file access here.`, {
      hint: 'In Node, import from "@dlkit/speech/node"; in the browser pass WAV bytes or a Float32Array with its sampleRate.',
    });
  }
  return f as NonNullable<SpeechHooks[K]>;
}

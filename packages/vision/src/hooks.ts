/**
 * Environment-specific pieces the browser-safe ImageClassifier delegates to: decoding files and
 * buffers, saving/loading model directories, resolving pretrained weights. `@dlkit/vision/node`
 * installs the Node versions (sharp, fs, core's model IO); without them these features say so.
 */
import { DlkitError, type ModelCard, type tf } from '@dlkit/core';
import type { RawPixels } from './preprocess.js';

export interface PretrainedFiles {
  /** The loaded network exactly as published. */
  model: tf.LayersModel;
  labels: string[];
}

export interface VisionHooks {
  decode?(input: string | URL | Uint8Array): Promise<RawPixels>;
  save?(model: tf.LayersModel, dir: string, card: Partial<ModelCard> & { task: string }): Promise<ModelCard>;
  load?(dir: string): Promise<{ model: tf.LayersModel; card: ModelCard | undefined }>;
  pretrained?(id: string, options: { modelDir?: string; inputSize?: [number, number] }): Promise<PretrainedFiles>;
}

export const hooks: VisionHooks = {};

export function installHooks(h: VisionHooks): void {
  Object.assign(hooks, h);
}

export function need<K extends keyof VisionHooks>(name: K, what: string): NonNullable<VisionHooks[K]> {
  const f = hooks[name];
  if (!f) {
    throw new DlkitError('UNSUPPORTED', `${what} needs Node file access here.`, {
      hint: 'In Node, import from "@dlkit/vision/node"; in the browser pass ImageData, a canvas/image element or a tensor.',
    });
  }
  return f as NonNullable<VisionHooks[K]>;
}

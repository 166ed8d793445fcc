/**
 * The trainable head over a frozen embedder's [frames × dim] sequence: two 1-D convolutions
 * (k = 3) over rescaled embeddings and a global max-pool, so a keyword scores the same wherever it falls in the window
 * (as the heads in Lin et al. 2020, "Training keyword spotters with limited and synthesized
 * speech data", which introduced this embedding model), then dropout and softmax.
 */
import { checkInt, checkNumber, tf } from '@dlkit/core';

/** 1 / 16 ≈ 1 / the standard deviation of openWakeWord embeddings (15.75 over the 925 Speech Commands training clips). */
export const EMBEDDING_SCALE = 1 / 16;

export interface HeadOptions {
  frames: number;
  dim: number;
  classes: number;
  /** Conv channels (default 64). */
  width?: number;
  /** Dropout before the classifier (default 0.5; 0.3 between the convolutions). */
  dropout?: number;
}

export function embeddingHead(o: HeadOptions): tf.Sequential {
  const width = checkInt('width', o.width ?? 64, 1);
  const dropout = checkNumber('dropout', o.dropout ?? 0.5, 0, 0.95);
  const m = tf.sequential({ name: 'embedding_head' });
  // The embeddings range over ±100 (std ≈ 16): a fixed rescale keeps the first logits sane,
  // so a head learns from 20 examples too. (A LayerNormalization here did the same but made each
  // training step ~20× slower on the wasm backend.)
  m.add(tf.layers.rescaling({ inputShape: [o.frames, o.dim], scale: EMBEDDING_SCALE, name: 'scale' }));
  m.add(tf.layers.conv1d({ filters: width, kernelSize: 3, activation: 'relu', name: 'conv1' }));
  m.add(tf.layers.dropout({ rate: Math.min(0.3, dropout), name: 'drop1' }));
  m.add(tf.layers.conv1d({ filters: width, kernelSize: 3, activation: 'relu', name: 'conv2' }));
  m.add(tf.layers.globalMaxPooling1d({ name: 'pool' }));
  m.add(tf.layers.dropout({ rate: dropout, name: 'drop2' }));
  m.add(tf.layers.dense({ units: checkInt('classes', o.classes, 2), activation: 'softmax', name: 'logits' }));
  return m;
}

/**
 * KWS networks over a [frames, coefficients, 1] feature map: 'ds-cnn' (Zhang et al. 2017,
 * "Hello Edge": a strided conv then depthwise-separable blocks, global average pooling) and a
 * simpler 'cnn' (three conv/BN/pool stages, flatten, dense). Both end in a softmax.
 */
import { DlkitError, tf } from '@dlkit/core';

export const ARCHITECTURES = ['cnn', 'ds-cnn'] as const;
export type KwsArch = (typeof ARCHITECTURES)[number];

export interface ArchOptions {
  inputShape: [number, number, number];
  classes: number;
  /** Channels of the conv layers (default 64 for ds-cnn, [16, 32, 64] scaled from this for cnn). */
  width?: number;
  dropout?: number;
}

export function buildArchitecture(arch: string, o: ArchOptions): tf.LayersModel {
  if (arch === 'ds-cnn') return dsCnn(o);
  if (arch === 'cnn') return cnn(o);
  throw new DlkitError('INVALID_OPTION', `Invalid option arch: ${JSON.stringify(arch)}; expected one of ${ARCHITECTURES.map((a) => `"${a}"`).join(', ')}.`);
}

// BN momentum 0.9 (not Keras' 0.99): KWS sets are small, so the moving statistics must settle within a few hundred steps.
function bnRelu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  const b = tf.layers.batchNormalization({ momentum: 0.9, name: `${name}_bn` }).apply(x) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(b) as tf.SymbolicTensor;
}

function head(x: tf.SymbolicTensor, o: ArchOptions, pool: 'gap' | 'flatten'): tf.SymbolicTensor {
  let y = (pool === 'gap' ? tf.layers.globalAveragePooling2d({ name: 'gap' }) : tf.layers.flatten({ name: 'flatten' })).apply(x) as tf.SymbolicTensor;
  y = tf.layers.dropout({ rate: o.dropout ?? 0.2, name: 'dropout' }).apply(y) as tf.SymbolicTensor;
  return tf.layers.dense({ units: o.classes, activation: 'softmax', name: 'classifier' }).apply(y) as tf.SymbolicTensor;
}

function dsCnn(o: ArchOptions): tf.LayersModel {
  const c = o.width ?? 64;
  const input = tf.input({ shape: o.inputShape, name: 'features' });
  let x = tf.layers.conv2d({ filters: c, kernelSize: [10, 4], strides: 2, padding: 'same', useBias: false, name: 'conv0' }).apply(input) as tf.SymbolicTensor;
  x = bnRelu(x, 'conv0');
  for (let i = 1; i <= 4; i++) {
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: `dw${i}` }).apply(x) as tf.SymbolicTensor;
    x = bnRelu(x, `dw${i}`);
    x = tf.layers.conv2d({ filters: c, kernelSize: 1, useBias: false, name: `pw${i}` }).apply(x) as tf.SymbolicTensor;
    x = bnRelu(x, `pw${i}`);
  }
  return tf.model({ inputs: input, outputs: head(x, o, 'gap'), name: 'ds_cnn' });
}

function cnn(o: ArchOptions): tf.LayersModel {
  const c = o.width ?? 32;
  const input = tf.input({ shape: o.inputShape, name: 'features' });
  let x: tf.SymbolicTensor = input;
  [c / 2, c, c * 2].forEach((filters, i) => {
    x = tf.layers.conv2d({ filters: Math.max(4, Math.round(filters)), kernelSize: 3, padding: 'same', useBias: false, name: `conv${i}` }).apply(x) as tf.SymbolicTensor;
    x = bnRelu(x, `conv${i}`);
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `pool${i}` }).apply(x) as tf.SymbolicTensor;
  });
  // Flatten, not GAP: after three poolings the map is small, and where in time a formant moves is what tells words apart.
  return tf.model({ inputs: input, outputs: head(x, o, 'flatten'), name: 'kws_cnn' });
}

/**
 * A small VGG-style CNN for 28×28 / 32×32 inputs: two conv+pool stages, a valid 3×3 conv,
 * dropout, optional batch-norm. Without batch-norm the convs carry their ReLU, which keeps
 * training on wasm/cpu ~2× faster (BN's backward pass costs as much as the convs there).
 */
import { invalidOption, tf } from '@dlkit/core';

export interface CnnSmallOptions {
  inputShape: [number, number, number];
  classes: number;
  /** Filters of the three conv layers (default [32, 64, 128]). */
  filters?: [number, number, number];
  /** Units of the hidden dense layer (default 128). */
  dense?: number;
  dropout?: number;
  /** conv → batch-norm → ReLU instead of conv+ReLU (default false). */
  batchNorm?: boolean;
}

export function cnnSmall(o: CnnSmallOptions): tf.LayersModel {
  const [f1, f2, f3] = o.filters ?? [32, 64, 128];
  const drop = o.dropout ?? 0.4;
  // Two 2× pools then a valid 3×3 conv: smaller inputs would reach a zero-size feature map.
  if (Math.min(o.inputShape[0], o.inputShape[1]) < 12) throw invalidOption('inputShape', o.inputShape, 'at least 12×12 for cnn-small (two pools and a valid 3×3 conv)');
  const bn = o.batchNorm ?? false;
  const convBn = (filters: number, padding: 'same' | 'valid', name: string, first = false) => {
    const conv = tf.layers.conv2d({ ...(first ? { inputShape: o.inputShape } : {}), filters, kernelSize: 3, padding, useBias: !bn, activation: bn ? 'linear' : 'relu', name });
    return bn ? [conv, tf.layers.batchNormalization({ name: `${name}_bn` }), tf.layers.reLU({ name: `${name}_relu` })] : [conv];
  };
  return tf.sequential({
    name: 'cnn_small',
    layers: [
      ...convBn(f1, 'same', 'conv1', true),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      ...convBn(f2, 'same', 'conv2'),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      ...convBn(f3, 'valid', 'conv3'),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dropout({ rate: drop, name: 'dropout1' }),
      tf.layers.dense({ units: o.dense ?? 128, activation: 'relu', name: 'fc1' }),
      tf.layers.dropout({ rate: drop / 2, name: 'dropout2' }),
      tf.layers.dense({ units: o.classes, activation: 'softmax', name: 'predictions' }),
    ],
  });
}

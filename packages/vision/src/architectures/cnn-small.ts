/**
 * A small VGG-style CNN for 28×28 / 32×32 inputs: two conv+pool stages and a valid 3×3 conv,
 * batch-norm, dropout. Sized for CPU/wasm training (~5 M multiply-adds per 28×28 image) while
 * reaching >93% on Fashion-MNIST.
 */
import { tf } from '@dlkit/core';

export interface CnnSmallOptions {
  inputShape: [number, number, number];
  classes: number;
  /** Filters of the three conv layers (default [32, 64, 128]). */
  filters?: [number, number, number];
  /** Units of the hidden dense layer (default 128). */
  dense?: number;
  dropout?: number;
}

export function cnnSmall(o: CnnSmallOptions): tf.LayersModel {
  const [f1, f2, f3] = o.filters ?? [32, 64, 128];
  const drop = o.dropout ?? 0.4;
  const convBn = (filters: number, padding: 'same' | 'valid', name: string, first = false) => [
    tf.layers.conv2d({ ...(first ? { inputShape: o.inputShape } : {}), filters, kernelSize: 3, padding, useBias: false, name }),
    tf.layers.batchNormalization({ name: `${name}_bn` }),
    tf.layers.reLU({ name: `${name}_relu` }),
  ];
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

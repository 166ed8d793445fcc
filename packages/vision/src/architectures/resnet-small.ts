/**
 * A small ResNet for 28×28 / 32×32 inputs (He et al. 2016, CIFAR variant): 3×3 stem, three stages
 * of basic blocks (widths 16·w, 32·w, 64·w, stride 2 between stages), global average pooling.
 */
import { tf } from '@dlkit/core';

export interface ResnetSmallOptions {
  inputShape: [number, number, number];
  classes: number;
  /** Basic blocks per stage (default 1: a ResNet-8). 3 gives ResNet-20. */
  blocksPerStage?: number;
  /** Width multiplier (default 1). */
  width?: number;
}

type SymT = tf.SymbolicTensor;

function convBn(x: SymT, filters: number, strides: number, name: string, relu = true): SymT {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal', name }).apply(x) as SymT;
  y = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(y) as SymT;
  return relu ? (tf.layers.reLU({ name: `${name}_relu` }).apply(y) as SymT) : y;
}

function basicBlock(x: SymT, filters: number, strides: number, name: string): SymT {
  const inC = x.shape[3] as number;
  let y = convBn(x, filters, strides, `${name}_conv1`);
  y = convBn(y, filters, 1, `${name}_conv2`, false);
  let shortcut = x;
  if (strides !== 1 || inC !== filters) {
    shortcut = tf.layers.conv2d({ filters, kernelSize: 1, strides, useBias: false, name: `${name}_proj` }).apply(x) as SymT;
    shortcut = tf.layers.batchNormalization({ name: `${name}_proj_bn` }).apply(shortcut) as SymT;
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as SymT;
  return tf.layers.reLU({ name: `${name}_out` }).apply(sum) as SymT;
}

export function resnetSmall(o: ResnetSmallOptions): tf.LayersModel {
  const blocks = o.blocksPerStage ?? 1;
  const w = o.width ?? 1;
  const input = tf.input({ shape: o.inputShape, name: 'input' });
  let x = convBn(input, 16 * w, 1, 'stem');
  [16, 32, 64].forEach((f, s) => {
    for (let b = 0; b < blocks; b++) x = basicBlock(x, f * w, s > 0 && b === 0 ? 2 : 1, `stage${s + 1}_block${b + 1}`);
  });
  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as SymT;
  const out = tf.layers.dense({ units: o.classes, activation: 'softmax', name: 'predictions' }).apply(x) as SymT;
  return tf.model({ inputs: input, outputs: out, name: 'resnet_small' });
}

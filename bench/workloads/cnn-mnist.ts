/**
 * The MNIST-shaped CNN of the foundation issue: conv3×3×32 → maxpool → conv3×3×64 → maxpool →
 * dense128 → dense10, batch 64, Adam, categorical cross-entropy. Random inputs: speed does not
 * depend on the pixel values.
 */
import { tf } from '@dlkit/core';
import type { Workload } from './types.js';

const BATCH = 64;

export function buildMnistCnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function data() {
  const xs = tf.randomNormal([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10));
  return { xs, ys };
}

export const cnnMnistTrain: Workload = {
  name: 'cnn-mnist-train',
  description: 'MNIST CNN training step (batch 64, Adam)',
  samplesPerStep: BATCH,
  pytorch: { script: 'cnn_mnist.py', args: ['train'] },
  async setup() {
    const model = buildMnistCnn();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const { xs, ys } = data();
    return {
      async step() {
        // trainOnBatch reads the loss back, so device work has finished when it resolves.
        await model.trainOnBatch(xs, ys);
      },
      dispose() {
        tf.dispose([xs, ys]);
        model.optimizer.dispose();
        model.dispose();
      },
    };
  },
};

export const cnnMnistInfer: Workload = {
  name: 'cnn-mnist-infer',
  description: 'MNIST CNN inference (batch 64)',
  samplesPerStep: BATCH,
  pytorch: { script: 'cnn_mnist.py', args: ['infer'] },
  async setup() {
    const model = buildMnistCnn();
    const { xs, ys } = data();
    return {
      async step() {
        const p = model.predict(xs) as tf.Tensor;
        await p.data();
        p.dispose();
      },
      dispose() {
        tf.dispose([xs, ys]);
        model.dispose();
      },
    };
  },
};

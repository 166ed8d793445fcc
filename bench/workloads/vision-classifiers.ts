/**
 * @dlkit/vision's release architectures: cnn-small as trained for models/mnist-cnn (filters
 * 24/48/96, 28×28×1, batch 128), ResNet-8 on 32×32×3, and MobileNet v1 α=0.25 (ImageNet
 * inference at 224×224, fine-tuning steps at 96×96). Random inputs: speed does not depend on
 * pixel values.
 */
import { tf } from '@dlkit/core';
import { ImageClassifier } from '@dlkit/vision';
import type { Workload } from './types.js';

interface Spec {
  name: string;
  description: string;
  batch: number;
  build: () => Promise<ImageClassifier>;
  train: boolean;
}

function workload(s: Spec): Workload {
  return {
    name: s.name,
    description: s.description,
    samplesPerStep: s.batch,
    async setup() {
      const clf = await s.build();
      const [h, w] = clf.preprocessing.size;
      const xs = tf.randomNormal([s.batch, h, w, clf.preprocessing.channels], 0, 1, 'float32', 1);
      const k = clf.labels.length;
      const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([s.batch], 0, k, 'int32', 2), k));
      if (s.train) clf.compile(1e-3);
      return {
        async step() {
          if (s.train) {
            await clf.model.trainOnBatch(xs, ys);
          } else {
            const p = clf.model.predict(xs) as tf.Tensor;
            await p.data();
            p.dispose();
          }
        },
        dispose() {
          tf.dispose([xs, ys]);
          clf.dispose();
        },
      };
    },
  };
}

const cnn = () => ImageClassifier.create({ arch: 'cnn-small', classes: 10, inputShape: [28, 28, 1], filters: [24, 48, 96], seed: 0 });
const resnet = () => ImageClassifier.create({ arch: 'resnet-small', classes: 10, inputShape: [32, 32, 3], seed: 0 });
const mobilenet = (size: number, classes: number) => () => ImageClassifier.create({ arch: 'mobilenet-v1', alpha: 0.25, classes, inputShape: [size, size, 3], seed: 0 });

export const VISION_WORKLOADS: Workload[] = [
  workload({ name: 'vision-cnn-small-train', description: 'cnn-small 24/48/96 training step, 28×28×1 (batch 128, Adam)', batch: 128, build: cnn, train: true }),
  workload({ name: 'vision-cnn-small-infer', description: 'cnn-small 24/48/96 inference, 28×28×1 (batch 128)', batch: 128, build: cnn, train: false }),
  workload({ name: 'vision-resnet8-train', description: 'ResNet-8 training step, 32×32×3 (batch 64, Adam)', batch: 64, build: resnet, train: true }),
  workload({ name: 'vision-mobilenet-0.25-infer', description: 'MobileNet v1 α=0.25 inference, 224×224×3 (batch 8)', batch: 8, build: mobilenet(224, 1000), train: false }),
  workload({ name: 'vision-mobilenet-0.25-train', description: 'MobileNet v1 α=0.25 training step, 96×96×3 (batch 32, Adam)', batch: 32, build: mobilenet(96, 10), train: true }),
];

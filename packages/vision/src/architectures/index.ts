/** Architectures buildable by name (`ImageClassifier.create({ arch })`, `dlkit vision train --arch`). */
import { invalidOption, type tf } from '@dlkit/core';
import { cnnSmall } from './cnn-small.js';
import { mobileNetV1 } from './mobilenet-v1.js';
import { resnetSmall } from './resnet-small.js';

export const ARCHITECTURES = ['cnn-small', 'resnet-small', 'resnet-20', 'mobilenet-v1'] as const;
export type ArchName = (typeof ARCHITECTURES)[number];

export interface BuildOptions {
  inputShape: [number, number, number];
  classes: number;
  /** MobileNet width multiplier. */
  alpha?: number;
  dropout?: number;
  /** cnn-small: conv filters of its three conv layers. */
  filters?: [number, number, number];
  /** cnn-small: batch-norm after each conv. */
  batchNorm?: boolean;
}

export function buildArchitecture(arch: string, o: BuildOptions): tf.LayersModel {
  switch (arch) {
    case 'cnn-small':
      return cnnSmall({ inputShape: o.inputShape, classes: o.classes, dropout: o.dropout, filters: o.filters, batchNorm: o.batchNorm });
    case 'resnet-small':
      return resnetSmall({ inputShape: o.inputShape, classes: o.classes, blocksPerStage: 1 });
    case 'resnet-20':
      return resnetSmall({ inputShape: o.inputShape, classes: o.classes, blocksPerStage: 3 });
    case 'mobilenet-v1':
      return mobileNetV1({ inputShape: o.inputShape, classes: o.classes, alpha: o.alpha ?? 0.25, dropout: o.dropout });
    default:
      throw invalidOption('arch', arch, ARCHITECTURES.map((a) => `"${a}"`).join(', '));
  }
}

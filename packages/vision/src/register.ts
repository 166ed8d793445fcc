// Registers the 'image-classification' task (and its `dlkit vision` verbs) in core's task registry.
import { registerTask } from '@dlkit/core';
import { type CreateOptions, ImageClassifier } from './classifier.js';
import { visionCli } from './cli.js';

export interface VisionTaskOptions extends CreateOptions {
  /** A pretrained model id ('darknet-tiny', 'mobilenet-v1-0.25', 'doodlenet'). */
  pretrained?: string;
  modelDir?: string;
}

registerTask<VisionTaskOptions, ImageClassifier>({
  id: 'image-classification',
  aliases: ['vision', 'image-classifier'],
  modality: 'image',
  description: 'Image classification: train small CNNs/ResNets, run and fine-tune DarkNet-tiny, MobileNet v1, DoodleNet',
  defaultModel: 'darknet-tiny',
  async create(options = {}) {
    const { pretrained, modelDir, ...rest } = options;
    if (pretrained) return ImageClassifier.fromPretrained(pretrained, { modelDir });
    return ImageClassifier.create(rest);
  },
  cli: visionCli,
});

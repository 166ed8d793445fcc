/**
 * @dlkit/speech: log-mel feature extraction (16 kHz, 25/10 ms, 40 mels; one step = 32 one-second
 * clips, so samples/s is the real-time factor) and KWS inference latency (DS-CNN and CNN on
 * 1 s at 16 kHz, features included, batch 1). Random audio: speed does not depend on values.
 */
import { tf } from '@dlkit/core';
import { FeatureExtractor, KeywordSpotter } from '@dlkit/speech';
import type { Workload } from './types.js';

const features: Workload = {
  name: 'speech-logmel-features',
  description: 'log-mel 40×98 of 32 one-second 16 kHz clips (samples/s = × real time)',
  samplesPerStep: 32,
  async setup() {
    const fx = new FeatureExtractor({ sampleRate: 16000, nMels: 40 });
    const x = tf.randomUniform([32, 16000], -0.5, 0.5, 'float32', 1) as tf.Tensor2D;
    return {
      async step() {
        const y = fx.compute(x);
        await y.data();
        y.dispose();
      },
      dispose() {
        x.dispose();
        fx.dispose();
      },
    };
  },
};

function infer(arch: 'ds-cnn' | 'cnn'): Workload {
  return {
    name: `speech-kws-${arch}-infer`,
    description: `${arch} keyword spotter, 12 classes, one 1 s clip at 16 kHz incl. features (batch 1: latency)`,
    samplesPerStep: 1,
    async setup() {
      const spotter = await KeywordSpotter.create({ arch, classes: 12, seed: 0 });
      const clip = new Float32Array(16000).map((_, i) => Math.sin(i * 0.1) * 0.3);
      return {
        async step() {
          await spotter.probabilities(clip, 1);
        },
        dispose() {
          spotter.dispose();
        },
      };
    },
  };
}

export const SPEECH_WORKLOADS: Workload[] = [features, infer('ds-cnn'), infer('cnn')];

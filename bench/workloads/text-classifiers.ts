/**
 * @dlkit/text's model zoo at the shape: sequence length 200, batch 64, vocabulary 20,000,
 * Adam, sparse categorical cross-entropy; training steps and inference for fastText (bag of
 * embeddings), Kim CNN, BiLSTM and the small Transformer. Random ids (no padding): speed does
 * not depend on which words they are. PyTorch measuring stick: bench/pytorch/text_classifiers.py.
 */
import { tf } from '@dlkit/core';
import { buildTextModel, type TextArch } from '@dlkit/text';
import type { Workload } from './types.js';

const BATCH = 64;
const LENGTH = 200;
const VOCAB = 20_000;

function workload(arch: TextArch, train: boolean): Workload {
  return {
    name: `text-${arch}-${train ? 'train' : 'infer'}`,
    description: `${arch} text classifier ${train ? 'training step' : 'inference'} (seq 200, batch 64, vocab 20k)`,
    samplesPerStep: BATCH,
    pytorch: { script: 'text_classifiers.py', args: [arch, train ? 'train' : 'infer'] },
    async setup() {
      const model = buildTextModel({ arch, vocabSize: VOCAB, numClasses: 2, maxLength: LENGTH, embeddingDim: arch === 'fasttext' ? 32 : 64, units: 64 });
      // ids in [1, VOCAB): 0 is padding.
      const xs = tf.tidy(() => tf.add(tf.randomUniform([BATCH, LENGTH], 0, VOCAB - 1, 'int32', 1), 1));
      const ys = tf.tidy(() => tf.randomUniform([BATCH], 0, 2, 'int32', 2).toFloat());
      if (train) model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
      return {
        async step() {
          if (train) await model.trainOnBatch(xs, ys);
          else {
            const p = model.predict(xs, { batchSize: BATCH }) as tf.Tensor; // one batch of 64, not predict's default 32s
            await p.data();
            p.dispose();
          }
        },
        dispose() {
          tf.dispose([xs, ys]);
          model.optimizer?.dispose();
          model.dispose();
        },
      };
    },
  };
}

const ARCHS: TextArch[] = ['fasttext', 'cnn', 'bilstm', 'transformer'];
export const TEXT_WORKLOADS: Workload[] = ARCHS.flatMap((a) => [workload(a, true), workload(a, false)]);

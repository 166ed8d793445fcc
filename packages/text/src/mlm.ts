/**
 * Masked-language-model pretraining of the small Transformer encoder (BERT recipe): 15% of the
 * tokens are chosen; of those 80% become [MASK], 10% a random token, 10% stay; the loss is the
 * cross-entropy of predicting the original ids at the chosen positions only (a gather before
 * the vocabulary projection keeps the softmax small). Browser-safe.
 */
import { checkInt, checkNumber, DlkitError, Rng, seedMathRandom, tf } from '@dlkit/core';
import { runPretrainSteps } from './pretrain-loop.js';
import { padSequences } from './tokenizers/truncate.js';
import type { Tokenizer } from './tokenizers/types.js';

export interface MlmOptions {
  steps?: number;
  batchSize?: number;
  maskRate?: number;
  learningRate?: number;
  seed?: number;
  /** Called every `logEvery` steps with the step (1-based) and the mean loss since the last call. */
  onLog?: (step: number, loss: number) => void;
  logEvery?: number;
  signal?: AbortSignal;
}

export interface MaskedBatch {
  input: Int32Array;
  shape: [number, number];
  /** Flat positions (row * T + col) that were chosen, and the original ids there. */
  positions: Int32Array;
  targets: Int32Array;
}

/** Masks a batch of id sequences. Special ids (below `firstWordId`, and [CLS]/[SEP]) are never chosen. */
export function maskBatch(seqs: readonly (readonly number[])[], tok: Tokenizer, rng: Rng, rate = 0.15, firstWordId = 4): MaskedBatch {
  const { data, shape } = padSequences(seqs, { value: tok.padId });
  const special = new Set([tok.padId, tok.unkId, tok.clsId, tok.maskId, (tok as { sepId?: number }).sepId ?? -1]);
  const positions: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const id = data[i]!;
    if (special.has(id) || id < firstWordId || rng.next() >= rate) continue;
    positions.push(i);
    targets.push(id);
    const r = rng.next();
    if (r < 0.8) data[i] = tok.maskId;
    else if (r < 0.9) data[i] = firstWordId + rng.int(tok.vocabSize - firstWordId);
  }
  // A batch with nothing chosen still trains on one token, so every step has a loss.
  if (positions.length === 0) {
    const i = data.findIndex((id) => !special.has(id));
    if (i >= 0) {
      positions.push(i);
      targets.push(data[i]!);
      data[i] = tok.maskId;
    }
  }
  return { input: data, shape, positions: Int32Array.from(positions), targets: Int32Array.from(targets) };
}

/** Output head for MLM: hidden [M, d] → logits [M, V]. Created per pretraining run, then dropped. */
class MlmHead {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  constructor(d: number, v: number) {
    // tidy frees the initial values; the variables keep their own copies.
    this.kernel = tf.tidy(() => tf.variable(tf.randomNormal([d, v], 0, 0.02), true));
    this.bias = tf.tidy(() => tf.variable(tf.zeros([v]), true));
  }
  dispose() {
    tf.dispose([this.kernel, this.bias]);
  }
}

/** Pretrains `encoder` (ids → [b, T, d]) in place on id sequences; returns the logged losses. */
export async function pretrainMlm(encoder: tf.LayersModel, tok: Tokenizer, seqs: readonly (readonly number[])[], options: MlmOptions = {}): Promise<{ step: number; loss: number }[]> {
  const steps = checkInt('steps', options.steps ?? 1000, 1);
  const batchSize = checkInt('batchSize', options.batchSize ?? 64, 1);
  const rate = checkNumber('maskRate', options.maskRate ?? 0.15, 0.01, 0.9);
  const lr = checkNumber('learningRate', options.learningRate ?? 1e-3, 0);
  const logEvery = checkInt('logEvery', options.logEvery ?? 50, 1);
  if (seqs.length === 0) throw new DlkitError('INVALID_INPUT', 'pretrainMlm: no texts to pretrain on.');
  const rng = new Rng(options.seed ?? 0);
  // The head's init and the encoder's dropout masks draw from Math.random: seeded for the run.
  const random = seedMathRandom(options.seed ?? 0);
  const d = encoder.outputs[0]!.shape[2] as number;
  const head = new MlmHead(d, tok.vocabSize);
  const optimizer = tf.train.adam(lr);
  const vars = [...encoder.trainableWeights.map((w) => w.read() as tf.Variable), head.kernel, head.bias];
  try {
    return await runPretrainSteps({ steps, logEvery, onLog: options.onLog, signal: options.signal }, () => {
      const batch = Array.from({ length: batchSize }, () => seqs[rng.int(seqs.length)]!);
      const m = maskBatch(batch, tok, rng, rate);
      return tf.tidy(() => {
        const x = tf.tensor2d(m.input, m.shape, 'int32');
        const pos = tf.tensor1d(m.positions, 'int32');
        const y = tf.oneHot(tf.tensor1d(m.targets, 'int32'), tok.vocabSize);
        return optimizer.minimize(
          () => {
            const h = (encoder.apply(x, { training: true }) as tf.Tensor).reshape([-1, d]);
            const logits = tf.add(tf.matMul(tf.gather(h, pos), head.kernel), head.bias);
            return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
          },
          true,
          vars,
        )!;
      });
    });
  } finally {
    random.restore();
    head.dispose();
    optimizer.dispose();
  }
}

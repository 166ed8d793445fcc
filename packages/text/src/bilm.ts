/**
 * Bidirectional language-model pretraining of the recurrent classifiers' body (ELMo / ULMFiT
 * style): the forward RNN's output at t predicts token t+1, the backward RNN's predicts t−1.
 * The prediction is scored against the (tied) input embedding with a sampled softmax: the true
 * word against `negatives` words drawn once per step from the unigram^0.75 distribution, shared by
 * every position, so a step costs a [positions × negatives] matmul instead of a full-vocabulary
 * softmax. The body's layers carry the classifier's names ('embedding', 'bigru' / 'bilstm'), so
 * `SentimentClassifier.create({ encoder })` starts from them. Browser-safe.
 */
import { checkInt, checkNumber, DlkitError, Rng, tf, withSeededMathRandom } from '@dlkit/core';
import type { TextArch } from './models/build.js';
import { runPretrainSteps } from './pretrain-loop.js';
import { padSequences } from './tokenizers/truncate.js';

/** The model-card task of a saved pretrained body (`dlkit sentiment pretrain --objective lm`). */
export const LM_TASK = 'bidirectional-language-model';

export interface BiLmBodyOptions {
  arch: Extract<TextArch, 'bigru' | 'bilstm'>;
  vocabSize: number;
  embeddingDim: number;
  units: number;
  /** Initial embedding rows [vocabSize × embeddingDim] (e.g. from word vectors). */
  embedding?: Float32Array;
  seed?: number;
}

/** ids [b, T] → per-token outputs [b, T, 2·units] of the bidirectional RNN (forward half first). */
export function buildBiLmBody(o: BiLmBodyOptions): tf.LayersModel {
  return withSeededMathRandom(o.seed ?? 0, () => {
    const ids = tf.input({ shape: [null], dtype: 'int32', name: 'ids' });
    const table = tf.layers.embedding({ inputDim: o.vocabSize, outputDim: o.embeddingDim, maskZero: true, name: 'embedding', embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }) });
    const e = table.apply(ids) as tf.SymbolicTensor;
    const cell = o.arch === 'bilstm' ? tf.layers.lstm({ units: o.units, returnSequences: true }) : tf.layers.gru({ units: o.units, returnSequences: true, resetAfter: false } as Parameters<typeof tf.layers.gru>[0]);
    const h = tf.layers.bidirectional({ layer: cell as unknown as tf.layers.RNN, mergeMode: 'concat', name: o.arch }).apply(e) as tf.SymbolicTensor;
    const model = tf.model({ inputs: ids, outputs: h, name: `${o.arch}_lm_body` });
    if (o.embedding) {
      if (o.embedding.length !== o.vocabSize * o.embeddingDim) throw new DlkitError('SHAPE_MISMATCH', `embedding has ${o.embedding.length} values; expected ${o.vocabSize} × ${o.embeddingDim}.`);
      const t = tf.tensor2d(o.embedding, [o.vocabSize, o.embeddingDim]);
      table.setWeights([t]);
      t.dispose();
    }
    return model;
  });
}

export interface BiLmOptions {
  steps?: number;
  batchSize?: number;
  /** Negatives per step, shared by all positions (default 512). */
  negatives?: number;
  learningRate?: number;
  seed?: number;
  /** Ids below this are specials ([PAD], [UNK], [CLS], [MASK]): never targets or negatives (default 4). */
  firstWordId?: number;
  onLog?: (step: number, loss: number) => void;
  logEvery?: number;
  signal?: AbortSignal;
}

/** Cumulative unigram^0.75 table over the words in `seqs` (ids ≥ firstWordId). */
function noiseTable(seqs: readonly (readonly number[])[], vocabSize: number, firstWordId: number): Float64Array {
  const counts = new Float64Array(vocabSize);
  for (const s of seqs) for (const id of s) if (id >= firstWordId) counts[id]!++;
  let total = 0;
  const cum = new Float64Array(vocabSize);
  for (let i = 0; i < vocabSize; i++) {
    total += counts[i]! ** 0.75;
    cum[i] = total;
  }
  if (total === 0) throw new DlkitError('INVALID_INPUT', 'pretrainBiLm: the texts contain no vocabulary words.', { hint: 'Check that the tokenizer was built for this text.' });
  for (let i = 0; i < vocabSize; i++) cum[i]! /= total;
  return cum;
}

function drawNoise(cum: Float64Array, rng: Rng): number {
  const u = rng.next();
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Pretrains `body` (buildBiLmBody) in place on id sequences; returns the logged losses (nats per predicted token). */
export async function pretrainBiLm(body: tf.LayersModel, seqs: readonly (readonly number[])[], options: BiLmOptions = {}): Promise<{ step: number; loss: number }[]> {
  const steps = checkInt('steps', options.steps ?? 1000, 1);
  const batchSize = checkInt('batchSize', options.batchSize ?? 64, 1);
  const k = checkInt('negatives', options.negatives ?? 512, 1);
  const lr = checkNumber('learningRate', options.learningRate ?? 1e-3, 0);
  const logEvery = checkInt('logEvery', options.logEvery ?? 50, 1);
  const first = checkInt('firstWordId', options.firstWordId ?? 4, 1);
  const usable = seqs.filter((s) => s.length >= 2);
  if (usable.length === 0) throw new DlkitError('INVALID_INPUT', 'pretrainBiLm: no sequence has two or more ids to predict from.');
  const embedding = body.getLayer('embedding');
  const table = embedding.trainableWeights[0]!.read() as tf.Variable;
  const [vocabSize, dim] = table.shape as [number, number];
  const units = (body.outputs[0]!.shape[2] as number) / 2;
  const cum = noiseTable(usable, vocabSize, first);
  const rng = new Rng(options.seed ?? 0);
  // Output projections (hidden → embedding space), one per direction; dropped after pretraining.
  const proj = withSeededMathRandom(options.seed ?? 0, () => [0, 1].map(() => tf.tidy(() => tf.variable(tf.randomNormal([units, dim], 0, 1 / Math.sqrt(units)), true))));
  const optimizer = tf.train.adam(lr);
  const vars = [...body.trainableWeights.map((w) => w.read() as tf.Variable), ...proj];
  try {
    return await runPretrainSteps({ steps, logEvery, onLog: options.onLog, signal: options.signal }, () => {
      const batch = Array.from({ length: batchSize }, () => usable[rng.int(usable.length)]!);
      const { data, shape } = padSequences(batch, { value: 0 });
      const T = shape[1];
      // Flat positions whose next (forward) / previous (backward) token is a word, and that word.
      const fPos: number[] = [];
      const fTgt: number[] = [];
      const bPos: number[] = [];
      const bTgt: number[] = [];
      batch.forEach((s, i) => {
        for (let t = 0; t < s.length; t++) {
          if (t + 1 < s.length && s[t + 1]! >= first) {
            fPos.push(i * T + t);
            fTgt.push(s[t + 1]!);
          }
          if (t >= 1 && s[t - 1]! >= first) {
            bPos.push(i * T + t);
            bTgt.push(s[t - 1]!);
          }
        }
      });
      if (fPos.length + bPos.length === 0) return undefined;
      const neg = Int32Array.from({ length: k }, () => drawNoise(cum, rng));
      return tf.tidy(() => {
        const x = tf.tensor2d(data, shape, 'int32');
        const negIds = tf.tensor1d(neg, 'int32');
        const parts = [
          { pos: tf.tensor1d(fPos, 'int32'), tgt: tf.tensor1d(fTgt, 'int32'), half: 0 },
          { pos: tf.tensor1d(bPos, 'int32'), tgt: tf.tensor1d(bTgt, 'int32'), half: 1 },
        ].filter((p) => p.pos.size > 0);
        return optimizer.minimize(
          () => {
            const h = (body.apply(x, { training: true }) as tf.Tensor).reshape([-1, 2 * units]);
            const negRows = tf.gather(table, negIds); // [k, dim]
            const losses = parts.map(({ pos, tgt, half }) => {
              const hd = tf.matMul(tf.gather(h, pos).slice([0, half * units], [-1, units]), proj[half]!); // [n, dim]
              const trueLogit = tf.sum(tf.mul(hd, tf.gather(table, tgt)), 1, true); // [n, 1]
              const negLogits = tf.matMul(hd, negRows, false, true); // [n, k]
              // Sampled softmax: the true word is class 0 among itself and the k negatives.
              const logits = tf.concat([trueLogit, negLogits], 1);
              return tf.sum(tf.neg(tf.sub(trueLogit.squeeze([1]), tf.logSumExp(logits, 1))));
            });
            return tf.div(tf.addN(losses), fPos.length + bPos.length) as tf.Scalar;
          },
          true,
          vars,
        )!;
      });
    });
  } finally {
    tf.dispose(proj);
    optimizer.dispose();
  }
}

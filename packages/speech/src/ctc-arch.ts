/**
 * Acoustic models for CTC over a variable-length [frames, coefficients] feature map, ending in
 * per-frame logits (no softmax: ctcLoss applies log-softmax itself).
 * - 'conv': two stride-2 1-D convs (4× fewer frames: 40 ms per output at a 10 ms hop) then
 *   `blocks` 1-D convs with BN/ReLU; receptive field ≈ 0.7 s with the defaults, about one digit.
 * - 'crnn': the same front end, one conv block, then a bidirectional GRU for context.
 * Both downsample time by 4 with 'same' padding, so an input of T frames gives ceil(T / 4).
 */
import { DlkitError, tf } from '@dlkit/core';

export const CTC_ARCHITECTURES = ['conv', 'crnn'] as const;
export const CTC_TIME_STRIDE = 4;

export interface CtcArchOptions {
  /** Feature coefficients per frame. */
  coefficients: number;
  /** Output classes including the blank. */
  classes: number;
  /** Conv channels (default 96). */
  width?: number;
  /** Conv blocks after the front end ('conv', default 3). */
  blocks?: number;
  /** GRU units per direction ('crnn', default 64). */
  rnnUnits?: number;
  dropout?: number;
}

function convBnRelu(x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string): tf.SymbolicTensor {
  let y = tf.layers.conv1d({ filters, kernelSize, strides, padding: 'same', useBias: false, name }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ momentum: 0.9, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(y) as tf.SymbolicTensor;
}

export function buildCtcArchitecture(arch: string, o: CtcArchOptions): tf.LayersModel {
  if (!(CTC_ARCHITECTURES as readonly string[]).includes(arch)) {
    throw new DlkitError('INVALID_OPTION', `Invalid option arch: ${JSON.stringify(arch)}; expected one of ${CTC_ARCHITECTURES.map((a) => `"${a}"`).join(', ')}.`);
  }
  const c = o.width ?? 96;
  const input = tf.input({ shape: [null, o.coefficients], name: 'features' });
  let x = convBnRelu(input, Math.round((c * 2) / 3), 5, 2, 'conv0');
  x = convBnRelu(x, c, 5, 2, 'conv1');
  const blocks = arch === 'conv' ? (o.blocks ?? 3) : 1;
  for (let i = 0; i < blocks; i++) x = convBnRelu(x, c, 5, 1, `conv${i + 2}`);
  if (arch === 'crnn') {
    const gru = tf.layers.gru({ units: o.rnnUnits ?? 64, returnSequences: true, name: 'gru' });
    x = tf.layers.bidirectional({ layer: gru, mergeMode: 'concat', name: 'bigru' }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.dropout({ rate: o.dropout ?? 0.2, name: 'dropout' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.conv1d({ filters: o.classes, kernelSize: 1, name: 'logits' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: `ctc_${arch}` });
}

/** Output frames for an input of `frames` frames. */
export function ctcOutputFrames(frames: number): number {
  return Math.ceil(frames / CTC_TIME_STRIDE);
}

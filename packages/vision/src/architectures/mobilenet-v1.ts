/**
 * MobileNet v1 (Howard et al. 2017) built in code with the Keras application's layer names
 * (conv1, conv_dw_N, conv_pw_N, *_bn, conv_preds), so Keras-exported weights load by name even
 * when the checkpoint has no topology (../shared/models/mobilenet-v1-0.25-224).
 */
import { DlkitError, invalidOption, tf } from '@dlkit/core';

export interface MobileNetV1Options {
  /** Width multiplier α (any positive number; Keras ships 0.25, 0.5, 0.75, 1). */
  alpha?: number;
  inputShape?: [number, number, number];
  classes?: number;
  /** Include the 1×1-conv classifier (conv_preds + softmax); false ends at global average pooling. */
  includeTop?: boolean;
  dropout?: number;
}

type SymT = tf.SymbolicTensor;

// (pointwise filters, stride) of the 13 depthwise-separable blocks.
const BLOCKS: [number, number][] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

export function mobileNetV1(o: MobileNetV1Options = {}): tf.LayersModel {
  const alpha = o.alpha ?? 1;
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw invalidOption('alpha', o.alpha, 'a positive width multiplier such as 0.25, 0.5, 0.75 or 1');
  const classes = o.classes ?? 1000;
  const input = tf.input({ shape: o.inputShape ?? [224, 224, 3], name: 'input_1' });
  const relu6 = (x: SymT, name: string) => tf.layers.reLU({ maxValue: 6, name }).apply(x) as SymT;
  const bn = (x: SymT, name: string) => tf.layers.batchNormalization({ epsilon: 1e-3, momentum: 0.99, name }).apply(x) as SymT;
  const pad = (x: SymT, name: string) => tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name }).apply(x) as SymT;

  let x = pad(input, 'conv1_pad');
  x = tf.layers.conv2d({ filters: Math.round(32 * alpha), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv1' }).apply(x) as SymT;
  x = relu6(bn(x, 'conv1_bn'), 'conv1_relu');
  BLOCKS.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride !== 1) x = pad(x, `conv_pad_${id}`);
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `conv_dw_${id}` }).apply(x) as SymT;
    x = relu6(bn(x, `conv_dw_${id}_bn`), `conv_dw_${id}_relu`);
    x = tf.layers.conv2d({ filters: Math.round(filters * alpha), kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}` }).apply(x) as SymT;
    x = relu6(bn(x, `conv_pw_${id}_bn`), `conv_pw_${id}_relu`);
  });
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d_1' }).apply(x) as SymT;
  if (o.includeTop !== false) {
    const c = x.shape[1] as number;
    x = tf.layers.reshape({ targetShape: [1, 1, c], name: 'reshape_1' }).apply(x) as SymT;
    x = tf.layers.dropout({ rate: o.dropout ?? 1e-3, name: 'dropout' }).apply(x) as SymT;
    x = tf.layers.conv2d({ filters: classes, kernelSize: 1, padding: 'same', name: 'conv_preds' }).apply(x) as SymT;
    x = tf.layers.reshape({ targetShape: [classes], name: 'reshape_2' }).apply(x) as SymT;
    x = tf.layers.activation({ activation: 'softmax', name: 'act_softmax' }).apply(x) as SymT;
  }
  return tf.model({ inputs: input, outputs: x, name: `mobilenet_${alpha}` });
}

/**
 * Assign `name → tensor` weights (Keras names such as `conv_dw_3/depthwise_kernel`) to a model by
 * layer name. Every model weight must be found with the right shape; extra entries are returned.
 */
export function assignWeightsByName(model: tf.LayersModel, named: Record<string, tf.Tensor>, source: string): string[] {
  const used = new Set<string>();
  const missing: string[] = [];
  for (const layer of model.layers) {
    const values: tf.Tensor[] = [];
    for (const w of layer.weights) {
      // originalName is "layer/weight"; tfjs may suffix the live name (_1) for uniqueness.
      const short = w.originalName.split('/').pop()!;
      const key = `${layer.name}/${short}`;
      const t = named[key];
      if (!t) {
        missing.push(key);
        continue;
      }
      if (t.shape.join() !== w.shape.join()) {
        throw new DlkitError('SHAPE_MISMATCH', `Weight ${key} in ${source} has shape [${t.shape}] but the model expects [${w.shape}].`, {
          hint: 'Build the model with the same alpha, input channels and class count as the checkpoint.',
          details: { file: source, weight: key },
        });
      }
      used.add(key);
      values.push(t);
    }
    if (values.length === layer.weights.length && values.length > 0) layer.setWeights(values);
  }
  if (missing.length) {
    throw new DlkitError('CORRUPT_DATA', `${source} lacks ${missing.length} weight(s) the model needs, e.g. ${missing.slice(0, 3).join(', ')}.`, {
      hint: 'Check that the checkpoint is a Keras MobileNet v1 export (layer names conv1, conv_dw_N, conv_pw_N).',
      details: { file: source, missing },
    });
  }
  return Object.keys(named).filter((k) => !used.has(k));
}

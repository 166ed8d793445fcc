/**
 * A training step written against the model's compiled loss and metrics, for what
 * `model.trainOnBatch` cannot do: class weights, a chosen subset of variables (frozen base),
 * and several optimizers at once (discriminative learning rates: a lower LR for base layers
 * works for Adam too, where scaling gradients would be normalised away).
 * It mirrors tfjs-layers' own makeTrainFunction so logs line up with `model.metricsNames`.
 */
import { DlkitError, tf } from '@dlkit/core';
import { orderedTensors } from './tensors.js';
import type { TensorContainer } from './types.js';

export interface VariableGroup {
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
}

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

interface CompiledModel {
  lossFunctions?: LossFn[];
  metricsTensors?: Array<[LossFn, number]>;
  metricsNames?: string[];
  outputs: unknown[];
  calculateLosses(): tf.Scalar[];
}

/** Trainable variables of the layers that are trainable now (tfjs only refreshes its own list on compile). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Per-sample weights from Keras-style `classWeight` ({classIndex: weight}) and one-hot or index targets. */
export function classSampleWeights(y: tf.Tensor, classWeight: Record<number, number>): tf.Tensor1D {
  const idx = tf.tidy(() => {
    if (y.rank === 1) return y.toInt();
    if (y.rank === 2 && y.shape[1] === 1) return y.reshape([y.shape[0]!]).toInt();
    if (y.rank === 2) return y.argMax(1);
    throw new DlkitError('SHAPE_MISMATCH', `classWeight needs targets of rank 1 (indices) or 2 (one-hot); got shape [${y.shape}].`);
  });
  const classes = idx.dataSync();
  idx.dispose();
  const w = new Float32Array(classes.length);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i]!;
    const v = classWeight[c];
    if (v === undefined) {
      throw new DlkitError('INVALID_OPTION', `classWeight has no weight for class ${c}, which occurs in the targets.`, {
        hint: 'Give a weight for every class index present in y.',
        details: { option: 'classWeight', class: c },
      });
    }
    w[i] = v;
  }
  return tf.tensor1d(w);
}

/**
 * One step; returns [loss, ...] aligned with `model.metricsNames`.
 * Variables not in any group receive no update.
 */
export function customTrainStep(
  model: tf.LayersModel,
  xs: TensorContainer,
  ys: TensorContainer,
  groups: VariableGroup[],
  sampleWeight?: tf.Tensor,
): number[] {
  // tf.Sequential keeps the compiled state (loss functions, metrics) on its inner LayersModel.
  const m = ((model as unknown as { model?: CompiledModel }).model ?? model) as unknown as CompiledModel;
  const lossFns = m.lossFunctions;
  if (!lossFns || lossFns.length === 0) {
    throw new DlkitError('STATE', 'The model is not compiled, so it has no loss to train with.', {
      hint: 'Call model.compile({ optimizer, loss }) first.',
    });
  }
  const inputs = orderedTensors(xs, model.inputNames, 'xs');
  const targets = orderedTensors(ys, model.outputNames, 'ys');
  const vars = groups.flatMap((g) => g.variables);
  if (vars.length === 0) throw new DlkitError('STATE', 'No trainable variables to update (every layer is frozen).');
  const metricValues: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: true }) as tf.Tensor | tf.Tensor[];
    const outputs = Array.isArray(out) ? out : [out];
    const perOutput: tf.Scalar[] = [];
    let total: tf.Tensor | undefined;
    for (let i = 0; i < lossFns.length; i++) {
      let loss = lossFns[i]!(targets[i]!, outputs[i]!);
      if (sampleWeight && i === 0) loss = tf.mul(loss, sampleWeight);
      perOutput.push(tf.mean(loss) as tf.Scalar);
      total = total ? tf.add(total, loss) : loss;
    }
    for (let i = 0; i < (m.metricsTensors ?? []).length; i++) {
      const [fn, o] = m.metricsTensors![i]!;
      const v = m.outputs.length > 1 && i < m.outputs.length ? perOutput[i]! : (tf.mean(fn(targets[o]!, outputs[o]!)) as tf.Scalar);
      metricValues.push(tf.keep(v));
    }
    let scalar = tf.mean(total!) as tf.Scalar;
    for (const reg of m.calculateLosses()) scalar = tf.add(scalar, reg) as tf.Scalar;
    return scalar;
  }, vars);
  try {
    for (const g of groups) {
      const sub: tf.NamedTensorMap = {};
      for (const v of g.variables) if (grads[v.name]) sub[v.name] = grads[v.name]!;
      if (Object.keys(sub).length > 0) g.optimizer.applyGradients(sub);
    }
    return [value.dataSync()[0]!, ...metricValues.map((t) => t.dataSync()[0]!)];
  } finally {
    tf.dispose([value, ...Object.values(grads), ...metricValues]);
  }
}

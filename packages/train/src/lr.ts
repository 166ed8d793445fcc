/**
 * Learning-rate access for tfjs optimizers. Their fields differ (tfjs-core 4.22): SGD and
 * Momentum keep the rate as a kept scalar `c = -lr` that only `setLearningRate()` refreshes;
 * Adam, Adamax, RMSProp, Adagrad and Adadelta read the plain `learningRate` field on every step.
 * Writing only the field would silently leave SGD at the old rate, hence this helper.
 */
import { checkNumber, DlkitError, type tf } from '@dlkit/core';
import type { LrHandle } from './types.js';

type AnyOptimizer = tf.Optimizer & { learningRate?: number; setLearningRate?: (lr: number) => void };

function asOptimizer(optimizer: unknown): AnyOptimizer {
  const o = optimizer as AnyOptimizer | undefined;
  if (!o || typeof o !== 'object' || typeof o.applyGradients !== 'function') {
    throw new DlkitError('INVALID_INPUT', 'Expected a tfjs Optimizer (tf.train.sgd/adam/...).', {
      hint: 'Compile the model with an optimizer object or name first: model.compile({ optimizer: "adam", loss }).',
    });
  }
  return o;
}

export function getLearningRate(optimizer: tf.Optimizer): number {
  const o = asOptimizer(optimizer);
  if (typeof o.learningRate !== 'number') {
    throw new DlkitError('UNSUPPORTED', `Optimizer ${o.getClassName()} has no numeric learningRate field.`);
  }
  return o.learningRate;
}

export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  checkNumber('learningRate', lr, 0);
  const o = asOptimizer(optimizer);
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr); // SGD, Momentum: refresh scalar `c`
  else if (typeof o.learningRate === 'number') o.learningRate = lr;
  else throw new DlkitError('UNSUPPORTED', `Optimizer ${o.getClassName()} has no learning rate dlkit knows how to set.`);
}

/** An LrHandle over one optimizer. */
export function optimizerLr(optimizer: tf.Optimizer): LrHandle {
  return { get: () => getLearningRate(optimizer), set: (lr) => setLearningRate(optimizer, lr) };
}

/**
 * A fresh optimizer of the same class and config (no slot variables). Used where sharing the
 * model's optimizer would corrupt it: lrFind's sweep, fineTune's phases (tfjs optimizers index
 * their slots by variable position, so changing the trainable set needs a new optimizer).
 */
export function cloneOptimizer(optimizer: tf.Optimizer): tf.Optimizer {
  const o = asOptimizer(optimizer);
  const cls = o.constructor as unknown as tf.serialization.SerializableConstructor<tf.Optimizer> & {
    fromConfig(cls: unknown, config: tf.serialization.ConfigDict): tf.Optimizer;
  };
  return cls.fromConfig(cls, o.getConfig());
}

/** The compiled optimizer of a model, or a clear error when the model is not compiled. */
export function modelOptimizer(model: tf.LayersModel): tf.Optimizer {
  const opt = (model as unknown as { optimizer?: tf.Optimizer }).optimizer;
  if (!opt || typeof opt !== 'object') {
    throw new DlkitError('STATE', 'The model is not compiled, so it has no optimizer or loss to train with.', {
      hint: 'Call model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] }) first.',
    });
  }
  return opt;
}

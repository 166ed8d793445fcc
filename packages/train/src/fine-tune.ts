/**
 * fastai-style fine-tuning: freeze the base, train the head for `freezeEpochs`, unfreeze, then
 * train everything with discriminative learning rates (base layers at baseLr × lrMult).
 * Two optimizers (head and base) rather than scaled gradients, because Adam-like optimizers
 * normalise gradient scale away. Fresh optimizers per phase: tfjs optimizers index their slot
 * variables by position, so the model's own optimizer cannot follow a changing trainable set.
 */
import { checkInt, checkNumber, DlkitError, type tf } from '@dlkit/core';
import { isTensorContainer } from './data.js';
import { type FitOptions, fit } from './fit.js';
import { cloneOptimizer, getLearningRate, modelOptimizer, setLearningRate } from './lr.js';
import { trainableVariables } from './step.js';
import type { BatchSource, History, TensorContainer } from './types.js';

export interface FineTuneOptions extends Omit<FitOptions, 'initialEpoch' | 'variableGroups' | 'history'> {
  /** The base: the first N layers, or these layer names. */
  baseLayers?: number | string[];
  /** The base is every layer before this one (name or index). */
  freezeUntil?: string | number;
  freezeEpochs?: number;
  /** Epochs after unfreezing. */
  epochs?: number;
  /** Head learning rate (default: the compiled optimizer's). */
  baseLr?: number;
  /** Base-layer LR = baseLr × lrMult after unfreezing (default 0.1). */
  lrMult?: number;
}

function baseLayerSet(model: tf.LayersModel, o: FineTuneOptions): Set<tf.layers.Layer> {
  const layers = model.layers;
  let base: tf.layers.Layer[];
  if (o.baseLayers !== undefined && o.freezeUntil !== undefined) {
    throw new DlkitError('INVALID_OPTION', 'Pass baseLayers or freezeUntil, not both.');
  }
  if (typeof o.baseLayers === 'number') base = layers.slice(0, checkInt('baseLayers', o.baseLayers, 1, layers.length - 1));
  else if (Array.isArray(o.baseLayers)) {
    base = o.baseLayers.map((name) => {
      const l = layers.find((x) => x.name === name);
      if (!l) throw new DlkitError('INVALID_OPTION', `baseLayers: no layer named "${name}"; layers are ${layers.map((x) => x.name).join(', ')}.`);
      return l;
    });
  } else if (o.freezeUntil !== undefined) {
    const idx = typeof o.freezeUntil === 'number' ? o.freezeUntil : layers.findIndex((l) => l.name === o.freezeUntil);
    if (idx <= 0 || idx >= layers.length) {
      throw new DlkitError('INVALID_OPTION', `freezeUntil ${JSON.stringify(o.freezeUntil)} does not name a layer after the first; layers are ${layers.map((x) => x.name).join(', ')}.`);
    }
    base = layers.slice(0, idx);
  } else {
    // Default: everything but the last layer is the base (a new classification head).
    base = layers.slice(0, -1);
  }
  return new Set(base);
}

/** Freeze → train head → unfreeze → train all with discriminative LRs. One History over both phases. */
export async function fineTune(model: tf.LayersModel, data: BatchSource, options?: FineTuneOptions): Promise<History>;
export async function fineTune(model: tf.LayersModel, x: TensorContainer, y: TensorContainer, options?: FineTuneOptions): Promise<History>;
export async function fineTune(model: tf.LayersModel, a: unknown, b?: unknown, c?: FineTuneOptions): Promise<History> {
  const tensors = isTensorContainer(a);
  const o = (tensors ? c : (b as FineTuneOptions | undefined)) ?? {};
  const freezeEpochs = checkInt('freezeEpochs', o.freezeEpochs ?? 1, 0);
  const epochs = checkInt('epochs', o.epochs ?? 1, 0);
  const lrMult = checkNumber('lrMult', o.lrMult ?? 0.1, 0);
  const compiled = modelOptimizer(model);
  const baseLr = checkNumber('baseLr', o.baseLr ?? getLearningRate(compiled), 0);
  const base = baseLayerSet(model, o);
  const { baseLayers: _b, freezeUntil: _f, freezeEpochs: _fe, epochs: _e, baseLr: _bl, lrMult: _m, ...fitOptions } = o;
  const run = (opts: FitOptions) => (tensors ? fit(model, a as TensorContainer, b as TensorContainer, opts) : fit(model, a as BatchSource, opts));

  const original = new Map(model.layers.map((l) => [l, l.trainable] as const));
  const optimizers: tf.Optimizer[] = [];
  const fresh = (lr: number) => {
    const opt = cloneOptimizer(compiled);
    setLearningRate(opt, lr);
    optimizers.push(opt);
    return opt;
  };
  try {
    // Phase 1: head only.
    for (const l of base) l.trainable = false;
    const head = fresh(baseLr);
    let history = await run({
      ...fitOptions,
      epochs: freezeEpochs,
      variableGroups: { groups: [{ optimizer: head, variables: trainableVariables(model) }], lr: { get: () => getLearningRate(head), set: (lr) => setLearningRate(head, lr) } },
    });
    if (history.interrupted || epochs === 0) return history;
    // Phase 2: everything, base at a lower LR.
    for (const [l, t] of original) l.trainable = t;
    const baseVars = new Set(model.layers.filter((l) => base.has(l)).flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable)));
    const all = trainableVariables(model);
    const headOpt = fresh(baseLr);
    const baseOpt = fresh(baseLr * lrMult);
    history = await run({
      ...fitOptions,
      epochs: freezeEpochs + epochs,
      initialEpoch: freezeEpochs,
      history,
      variableGroups: {
        groups: [
          { optimizer: headOpt, variables: all.filter((v) => !baseVars.has(v)) },
          { optimizer: baseOpt, variables: all.filter((v) => baseVars.has(v)) },
        ],
        lr: {
          get: () => getLearningRate(headOpt),
          set: (lr) => {
            setLearningRate(headOpt, lr);
            setLearningRate(baseOpt, lr * lrMult);
          },
        },
      },
    });
    return history;
  } finally {
    for (const [l, t] of original) l.trainable = t;
    for (const opt of optimizers) opt.dispose();
  }
}

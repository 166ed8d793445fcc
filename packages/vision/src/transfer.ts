/**
 * Pretrained networks and transfer heads. A transfer model is the pretrained network cut at its
 * manifest's feature layer, then [global average pooling] → dropout → dense softmax. The head's
 * layers have fixed names so the feature cache and a reloaded model can find the cut again.
 */
import { DlkitError, invalidOption, tf } from '@dlkit/core';
import { need } from './hooks.js';
import { type Preprocessing, validatePreprocessing } from './preprocess.js';
import { type PretrainedSpec, pretrainedSpec } from './pretrained.js';

export const HEAD_POOL = 'head_pool';
export const HEAD_DROPOUT = 'head_dropout';
export const HEAD_DENSE = 'head_dense';

export interface PretrainedOptions {
  /** Folder holding the model's folder (default DLKIT_MODEL_DIR, then the cache, then download). */
  modelDir?: string;
  /** New classes for transfer learning: replaces the original classifier with a fresh head. */
  classes?: number | string[];
  /** Input [height, width] for resizable (fully convolutional) bases, e.g. [96, 96] for CIFAR. */
  inputSize?: [number, number];
  dropout?: number;
  /** Override parts of the published preprocessing, e.g. { invert: false } for light-on-dark digits with DoodleNet. */
  preprocessing?: Partial<Preprocessing>;
  /** Seed of the new head's initialisation. */
  seed?: number;
}

export async function loadPretrained(id: string, o: PretrainedOptions): Promise<{ model: tf.LayersModel; labels: string[]; spec: PretrainedSpec; preprocessing: Preprocessing }> {
  const spec = pretrainedSpec(id);
  if (o.inputSize !== undefined) {
    const s = o.inputSize;
    if (!Array.isArray(s) || s.length !== 2 || s.some((n) => !Number.isInteger(n) || n < 16)) throw invalidOption('inputSize', s, '[height, width] of integers ≥ 16');
    if (!spec.resizable && (s[0] !== spec.preprocessing.size[0] || s[1] !== spec.preprocessing.size[1])) {
      throw invalidOption('inputSize', s, `[${spec.preprocessing.size}] (${spec.id} has dense layers, so its input size is fixed)`);
    }
  }
  const { model, labels } = await need('pretrained', `fromPretrained("${id}")`)(spec.id, { modelDir: o.modelDir, inputSize: o.inputSize });
  const { invert: _i, ...published } = spec.preprocessing;
  const overrides = { ...(spec.preprocessing.invert ? { invert: true } : {}), ...o.preprocessing };
  const preprocessing = validatePreprocessing({ ...published, ...overrides, size: o.inputSize ? [o.inputSize[0], o.inputSize[1]] : spec.preprocessing.size, channels: spec.preprocessing.channels }, 'preprocessing');
  return { model, labels, spec, preprocessing };
}

/** Cut `model` at the spec's feature layer and add a new head; layers past the cut are disposed. */
export function buildTransferModel(model: tf.LayersModel, spec: PretrainedSpec, classes: number, dropout: number): { model: tf.LayersModel; baseLayers: string[] } {
  let feature: tf.SymbolicTensor;
  try {
    feature = model.getLayer(spec.featureLayer).output as tf.SymbolicTensor;
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `${spec.id} has no layer "${spec.featureLayer}" to cut at.`, { cause: e });
  }
  let x = feature;
  if (x.shape.length === 4) x = tf.layers.globalAveragePooling2d({ name: HEAD_POOL }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: dropout, name: HEAD_DROPOUT }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: classes, activation: 'softmax', name: HEAD_DENSE }).apply(x) as tf.SymbolicTensor;
  const transfer = tf.model({ inputs: model.inputs, outputs: out, name: `${spec.id.replace(/[^a-z0-9_]/gi, '_')}_transfer` });
  const kept = new Set(transfer.layers);
  const baseLayers = model.layers.filter((l) => kept.has(l)).map((l) => l.name);
  for (const l of model.layers) if (!kept.has(l)) l.dispose();
  return { model: transfer, baseLayers };
}

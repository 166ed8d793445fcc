/**
 * Recommender save/load through core's model IO: saveModel's atomic directory swap and weight
 * checksums, with the weights as named tensors (no layers topology) and everything else — model
 * type and config, id maps, titles, side info, each user's training items — in model-card.json.
 */
import { DlkitError, type ModelCard, tf } from '@dlkit/core';
import { fileSystem, readModelCard, saveModel } from '@dlkit/core/node';
import type { SideInfo } from '../interactions.js';
import { createModel } from '../models/create.js';
import { MODEL_TYPES, type ModelType, type NamedWeights } from '../models/types.js';
import { Recommender } from '../recommender.js';

export const RECOMMENDER_TASK = 'recommendation';
const FORMAT = 'dlkit-recommender-weights';

export interface SaveExtra {
  /** Training command recorded in the card. */
  command?: string;
  metrics?: Record<string, number | Record<string, unknown>>;
  backend?: string;
  dataset?: { name: string; split?: string; examples?: number };
  extra?: Record<string, unknown>;
}

/** Named weights as tfjs artifacts; saveModel only needs something with `save(handler)`. */
function weightsSaver(w: NamedWeights): { save(handler: tf.io.IOHandler): Promise<tf.io.SaveResult> } {
  return {
    async save(handler) {
      const tensors: tf.NamedTensorMap = {};
      for (const [name, { data, shape }] of Object.entries(w)) tensors[name] = tf.tensor(data, shape, 'float32');
      try {
        const { data, specs } = await tf.io.encodeWeights(tensors);
        return await handler.save!({ modelTopology: { format: FORMAT }, weightSpecs: specs, weightData: data, format: FORMAT, generatedBy: 'dlkit' });
      } finally {
        tf.dispose(Object.values(tensors));
      }
    },
  };
}

export async function saveRecommender(rec: Recommender, dir: string, extra: SaveExtra = {}): Promise<ModelCard> {
  if (!rec.state) throw new DlkitError('STATE', 'Cannot save an unfitted Recommender.', { hint: 'Call fit() first.' });
  const w = await rec.model.getWeights();
  const s = rec.state;
  return saveModel(weightsSaver(w) as unknown as tf.LayersModel, dir, {
    task: RECOMMENDER_TASK,
    name: `${rec.modelType}-recommender`,
    labels: s.side.itemTitles,
    ...(extra.metrics ? { metrics: extra.metrics } : {}),
    ...(extra.dataset ? { dataset: extra.dataset } : {}),
    training: {
      command: extra.command,
      wallTimeSeconds: +rec.wallTime.toFixed(2),
      backend: extra.backend ?? tf.getBackend(),
      date: new Date().toISOString(),
      hyperparameters: rec.model.config(),
    },
    extra: {
      modelType: rec.modelType,
      modelConfig: rec.model.config(),
      userIds: s.userIds,
      itemIds: s.itemIds,
      ratingRange: s.ratingRange,
      side: { ...s.side, itemTitles: undefined },
      seen: s.seen,
      ...extra.extra,
    },
  });
}

export async function loadRecommender(dir: string): Promise<Recommender> {
  const card = await readModelCard(dir);
  const x = (card.extra ?? {}) as Record<string, unknown>;
  const type = x.modelType as ModelType;
  if (card.task !== RECOMMENDER_TASK || !MODEL_TYPES.includes(type)) {
    throw new DlkitError('CORRUPT_DATA', `${dir} is not a saved Recommender (model-card.json task ${JSON.stringify(card.task)}, modelType ${JSON.stringify(type)}).`, {
      hint: 'Pass a directory written by Recommender.save() / `dlkit recommend train --out DIR`.',
      details: { file: dir },
    });
  }
  const artifacts = await fileSystem(dir, { expectedWeights: card.weights }).load!();
  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const w: NamedWeights = {};
  for (const [name, t] of Object.entries(tensors)) {
    w[name] = { data: (await t.data()) as Float32Array, shape: t.shape };
    t.dispose();
  }
  const config = (x.modelConfig ?? {}) as Record<string, unknown>;
  const model = createModel(type, modelOptions(config));
  Object.assign(model, restoredFields(config));
  model.setWeights(w);
  const rec = new Recommender({ modelType: type }, model);
  rec.setState({
    userIds: x.userIds as string[],
    itemIds: x.itemIds as string[],
    side: { ...(x.side as SideInfo), itemTitles: card.labels },
    ratingRange: x.ratingRange as [number, number],
    seen: x.seen as number[][],
  });
  return rec;
}

// config() mixes constructor options with fitted fields (center, range, sizes); split them back.
const FITTED = ['center', 'range', 'numUsers', 'numItems'];
function modelOptions(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => !FITTED.includes(k)));
}
function restoredFields(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => FITTED.includes(k)));
}

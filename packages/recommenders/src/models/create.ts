import { checkOneOf } from '@dlkit/core';
import { MeanBaseline, PopularityBaseline } from './baselines.js';
import { BprModel } from './bpr.js';
import { FactorModel } from './factor.js';
import { NeuMFModel } from './neumf.js';
import { TwoTowerModel } from './two-tower.js';
import { MODEL_TYPES, type ModelType, type RecModel } from './types.js';

/** A fresh, unfitted model of this type; `options` are the model's own (see each class). */
export function createModel(type: string, options: Record<string, unknown> = {}): RecModel {
  const t = checkOneOf('modelType', type, MODEL_TYPES) as ModelType;
  switch (t) {
    case 'mf':
    case 'svdpp':
      return new FactorModel(t, options);
    case 'mean':
      return new MeanBaseline(options);
    case 'popularity':
      return new PopularityBaseline();
    case 'bpr':
      return new BprModel(options);
    case 'two-tower':
      return new TwoTowerModel(options);
    case 'neumf':
      return new NeuMFModel(options);
  }
}

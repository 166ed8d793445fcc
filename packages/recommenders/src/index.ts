// Browser-safe public API of @dlkit/recommenders. File loaders, save/load and CLI commands are in '@dlkit/recommenders/node'.
import './register.js';

export { recommendCli } from './cli.js';
export type { CrossValidateOptions, CrossValidateResult, ImplicitEvalOptions } from './cross-validate.js';
export { crossValidate, leaveLastOutEval } from './cross-validate.js';
export type { EvaluateOptions, RankingMetrics, RatingMetrics } from './evaluate.js';
export { meanStd, rankingMetrics, ratingMetrics } from './evaluate.js';
export type { DuplicatePolicy, FromRowsOptions, RatingRow, SideInfo, UserInfo } from './interactions.js';
export { Interactions } from './interactions.js';
export type { MeanOptions } from './models/baselines.js';
export { MeanBaseline, PopularityBaseline } from './models/baselines.js';
export type { BprOptions } from './models/bpr.js';
export { BPR_DEFAULTS, BprModel, bprGradients } from './models/bpr.js';
export { createModel } from './models/create.js';
export type { FactorConstants, FactorOptions } from './models/factor.js';
export { FACTOR_DEFAULTS, FactorModel, factorGradients } from './models/factor.js';
export type { FeatureVocab } from './models/features.js';
export { encodeItem, encodeUser, featureMatrices, featureVocab } from './models/features.js';
export type { TwoTowerOptions } from './models/two-tower.js';
export { TWO_TOWER_DEFAULTS, TwoTowerModel } from './models/two-tower.js';
export type { FitOptions, ModelType, NamedWeights, RecModel } from './models/types.js';
export { EXPLICIT_TYPES, IMPLICIT_TYPES, MODEL_TYPES } from './models/types.js';
export type { EvaluationReport, Recommendation, RecommenderOptions, RecommenderState, RecommendOptions } from './recommender.js';
export { Recommender } from './recommender.js';
export type { Split } from './splits.js';
export { holdoutPerUser, kFold, leaveLastOut } from './splits.js';
export { topK } from './topk.js';

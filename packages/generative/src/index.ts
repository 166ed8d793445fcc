// Browser-safe public API of @dlkit/generative. Node-only pieces (save/load, PNG/GIF, training commands) are in '@dlkit/generative/node'.
import './register.js';

export { binarize } from './binarize.js';
export type { ClassifierMetricsResult } from './classifier-metrics.js';
export { classifierMetrics, featureModel } from './classifier-metrics.js';
export { generateCli } from './cli.js';
export type { CvaeGenerateOptions, PretrainedLoader } from './cvae.js';
export { Cvae, setPretrainedLoader } from './cvae.js';
export type { FitVaeOptions, FitVaeResult, ImageSet } from './fit-vae.js';
export { fitVae } from './fit-vae.js';
export { frechetDistance, meanCov, symmetricEigen } from './frechet.js';
export type { GanTrainOptions } from './gan.js';
export { Gan } from './gan.js';
export type { GanOptions, ResolvedGanOptions } from './gan-model.js';
export { buildGanGraph, ganViews, resolveGanOptions } from './gan-model.js';
export type { Grid, GridOptions } from './grid.js';
export { tileImages } from './grid.js';
export type { InterpolationMode } from './latent.js';
export { interpolatePath, lerp, slerp } from './latent.js';
export type { ResolvedVaeOptions, VaeArch, VaeOptions } from './options.js';
export { resolveVaeOptions, VAE_ARCHS } from './options.js';
export type { PretrainedGenerator } from './pretrained.js';
export { PRETRAINED, pretrainedGenerator } from './pretrained.js';
export { SpectralNorm } from './spectral-norm.js';
export type { EvalOptions, LossTerms, SampleOptions } from './vae.js';
export { Vae } from './vae.js';
export { buildVaeGraph, vaeViews } from './vae-model.js';

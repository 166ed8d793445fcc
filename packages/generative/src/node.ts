// Node-only API of @dlkit/generative: save/load, PNG/GIF grids (sharp), pretrained file resolution, CLI command functions.
import './node/pretrained-files.js';

export type { EvalCommandOptions, EvalResult, InterpolateCommandOptions, SampleCommandOptions } from './node/commands.js';
export { evalCommand, interpolateCommand, parseLabel, sampleCommand, sampleImages, vaeSource } from './node/commands.js';
export { loadGan, saveGan } from './node/gan-io.js';
export { gridPng, writeImages } from './node/grid-file.js';
export type { LabeledImages } from './node/images.js';
export { idxFolderImages, registryImages } from './node/images.js';
export { loadPretrainedFiles } from './node/pretrained-files.js';
export type { SampleMetrics, SampleSource } from './node/sample-metrics.js';
export { sampleMetrics } from './node/sample-metrics.js';
export type { TrainGanCommand } from './node/train-gan.js';
export { ganSource, trainGan } from './node/train-gan.js';
export type { TrainVaeCommand } from './node/train-vae.js';
export { trainVae, vaeTrainCommandLine } from './node/train-vae.js';
export { loadVae, saveVae, VAE_TASK } from './node/vae-io.js';

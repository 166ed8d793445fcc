// Node-only API of @dlkit/train: file loggers, model checkpoints, Ctrl-C-safe fit/resume, PNG plots.
// `fit` here is the browser `fit` plus `checkpointDir` / `resumeFrom`.

export type { ModelCheckpointOptions } from './node/checkpoint.js';
export { modelCheckpoint } from './node/checkpoint.js';
export type { TrainState } from './node/checkpoint-state.js';
export { readTrainState, restoreCheckpoint, saveCheckpoint, TRAIN_STATE } from './node/checkpoint-state.js';
export type { NodeFitOptions } from './node/interrupt.js';
export { fit, resume } from './node/interrupt.js';
export type { CsvLoggerOptions, JsonlLoggerOptions } from './node/loggers.js';
export { csvLogger, jsonlLogger } from './node/loggers.js';
export { writePlot } from './node/plot.js';

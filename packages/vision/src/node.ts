// Node-only API of @dlkit/vision: sharp decoding, file-system save/load, pretrained weights
// resolution, `--data` opening and the CLI command functions. Importing it installs the Node hooks.
import { loadModel, saveModel } from '@dlkit/core/node';
import { installHooks } from './hooks.js';
import { decodePixels } from './node/decode.js';
import { loadPretrainedFiles } from './node/pretrained.js';

installHooks({ decode: decodePixels, save: saveModel, load: (dir) => loadModel(dir), pretrained: loadPretrainedFiles });

export * from './index.js';
export type { EvalCommandOptions, FineTuneCommandOptions, LrFindCommandOptions, PredictCommandOptions, TrainCommandOptions } from './node/commands.js';
export { evalCommand, fineTuneCommand, lrFindCommand, predictCommand, trainCommand } from './node/commands.js';
export type { OpenDataOptions, OpenedData } from './node/data.js';
export { openImageData } from './node/data.js';
export { decodePixels } from './node/decode.js';
export { loadPretrainedFiles } from './node/pretrained.js';

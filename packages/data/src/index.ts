// Browser-safe public API of @dlkit/data. Node-only loaders and decoders live in '@dlkit/data/node'.

export type { DatasetSource, ShuffleOptions, SplitOptions } from './dataset.js';
export { Dataset } from './dataset.js';
export type { AudioExample, Example, ImageExample, RatingExample, RatingIdMaps, TextExample } from './examples.js';
export { bytesToUnit } from './examples.js';
export type { IdxArray, IdxDtype } from './idx.js';
export { decodeIdx, encodeIdx } from './idx.js';
export type { DatasetManifest, DatasetTask, ManifestFile, ManifestSplit } from './manifest.js';
export { getManifest, listDatasets } from './manifest.js';
export { resample } from './resample.js';
export type { TensorBatch, TensorBatchOptions } from './tensors.js';
export { toTensorBatches } from './tensors.js';
export type { DecodedWav, DecodeWavOptions, WavInfo } from './wav.js';
export { decodeWav, encodeWav, readWavHeader } from './wav.js';

// Node-only model IO, downloads and asset resolution (exported from '@dlkit/core/node').

export type { AssetSource, AssetSpec } from './assets.js';
export { assetCandidates, locateAsset, resolveAsset } from './assets.js';
export { atomicWriteFile, fsyncDir } from './atomic.js';
export type { DownloadOptions } from './download.js';
export { download } from './download.js';
export type { FileSystemOptions } from './file-system.js';
export { fileSystem, MODEL_JSON, readFileOrThrow, WEIGHTS_BIN } from './file-system.js';
export { sha256Bytes, sha256File } from './hash.js';
export type { LoadModelOptions, SaveModelOptions } from './model-io.js';
export { loadModel, MODEL_CARD, readModelCard, saveModel } from './model-io.js';
export type { QuantizeOptions } from './quantize.js';
export { quantizeArtifacts, quantizingHandler } from './quantize.js';

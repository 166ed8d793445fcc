// Node-only API of @dlkit/text: save/load, labelled-text readers (TSV/CSV, pos/ neg/ folders), CLI command functions.
export * from './index.js';
export type { TrainCommandOptions } from './node/commands.js';
export { evalCommand, loadWordVectors, predictCommand, trainCommand } from './node/commands.js';
export type { EnsembleCommandOptions } from './node/ensemble.js';
export { ensembleCommand } from './node/ensemble.js';
export type { KnownWordVectors } from './node/known-vectors.js';
export { KNOWN_WORD_VECTORS } from './node/known-vectors.js';
export { decodeUtf8, labelIndex, readLabelledFolder, readLabelledTable, readLabelledText } from './node/labelled-data.js';
export type { MlmCommandOptions } from './node/mlm.js';
export { loadEncoder, MLM_TASK, mlmPretrainCommand } from './node/mlm.js';
export type { Word2VecCommandOptions } from './node/pretrain.js';
export { word2vecCommand } from './node/pretrain.js';
export type { QuantizeCommandOptions } from './node/quantize.js';
export { quantizeCommand } from './node/quantize.js';
export type { SaveCardExtra } from './node/save.js';
export { loadClassifier, saveClassifier } from './node/save.js';
export { diskCachedEmbedder, loadSentenceEncoder, SENTENCE_ENCODER_SOURCES, sentenceEncoderDir, USE_LITE_PACKAGE } from './node/sentence-encoder.js';

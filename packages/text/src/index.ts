// Browser-safe public API of @dlkit/text. Node-only pieces (file IO, CLI commands) are in '@dlkit/text/node'.
import './register.js';

export { bucketedSource, idBatch } from './batches.js';
export type { SentimentClassifierOptions, SentimentPrediction, SentimentReport, SentimentState, TextFitOptions } from './classifier.js';
export { SENTIMENT_TASK, SentimentClassifier } from './classifier.js';
export { sentimentCli } from './cli.js';
export type { WordVectors } from './embeddings.js';
export { embeddingMatrix, parseWordVectorsJson, parseWordVectorsText } from './embeddings.js';
export type { EmbedOptions, HfOptions, HfTask } from './hf.js';
export { HF_DEVICES, HF_DTYPES, HfFeatureExtractor, HfTextClassifier } from './hf.js';
export type { MaskedBatch, MlmOptions } from './mlm.js';
export { maskBatch, pretrainMlm } from './mlm.js';
export type { TextArch, TextModelSpec } from './models/build.js';
export { buildTextEncoder, buildTextModel, resolveSpec, TEXT_ARCHS } from './models/build.js';
export { BagOfEmbeddings, ClsPooling, LayerNorm, PaddingMask, PositionEmbedding, registerTextLayers, TransformerBlock } from './models/layers.js';
export type { BucketOptions } from './tokenizers/bucket.js';
export { bucketBatches } from './tokenizers/bucket.js';
export { tokenizerFromJSON } from './tokenizers/from-json.js';
export type { NormalizeOptions } from './tokenizers/normalize.js';
export { fnv1a, ngrams, normalizeText, wordTokens } from './tokenizers/normalize.js';
export type { PadOptions, Truncation } from './tokenizers/truncate.js';
export { padSequences, TRUNCATIONS, truncate } from './tokenizers/truncate.js';
export type { EncodeOptions, Tokenizer, TokenizerJSON } from './tokenizers/types.js';
export type { WordTokenizerOptions } from './tokenizers/word.js';
export { SPECIAL_TOKENS, WordTokenizer } from './tokenizers/word.js';
export { WordPieceTokenizer } from './tokenizers/wordpiece.js';
export type { Word2VecOptions } from './word2vec.js';
export { formatWordVectors, trainWord2Vec } from './word2vec.js';

// Browser-safe public API of @dlkit/vision. In Node import '@dlkit/vision/node' (file decoding,
// save/load, pretrained weights from disk/cache).
import './register.js';

export type { CnnSmallOptions } from './architectures/cnn-small.js';
export { cnnSmall } from './architectures/cnn-small.js';
export type { ArchName, BuildOptions } from './architectures/index.js';
export { ARCHITECTURES, buildArchitecture } from './architectures/index.js';
export type { MobileNetV1Options } from './architectures/mobilenet-v1.js';
export { assignWeightsByName, mobileNetV1 } from './architectures/mobilenet-v1.js';
export type { ResnetSmallOptions } from './architectures/resnet-small.js';
export { resnetSmall } from './architectures/resnet-small.js';
export type { AugmentOptions } from './augment.js';
export { augmentInto, validateAugment } from './augment.js';
export type { BatchOptions } from './batches.js';
export { ImageBatches } from './batches.js';
export type { DrawableLike, ImageDataLike } from './browser-pixels.js';
export { drawableToPixels, imageDataToPixels } from './browser-pixels.js';
export type { ClassifierFitOptions, ClassifierInfo, CreateOptions, EvaluationReport, ImageData_ as ImageDataInput, TopK, Tta } from './classifier.js';
export { IMAGE_CLASSIFICATION, ImageClassifier, TTA_MODES } from './classifier.js';
export { visionCli } from './cli.js';
export type { FineTuneOptions } from './fine-tune.js';
export type { HfImageClassifierOptions } from './hf.js';
export { HF_DEVICES, HF_DTYPES, HfImageClassifier } from './hf.js';
export type { PretrainedFiles, VisionHooks } from './hooks.js';
export { installHooks } from './hooks.js';
export type { ImageSet, ToImageSetOptions } from './image-set.js';
export { splitImageSet, splitIndices, subset, toImageSet } from './image-set.js';
export type { ImageSource } from './inputs.js';
export { toInputBatch, toPixels } from './inputs.js';
export type { Preprocessing, RawPixels } from './preprocess.js';
export { convertChannels, preprocessPixels, unitPreprocessing, validatePreprocessing } from './preprocess.js';
export type { PretrainedSpec } from './pretrained.js';
export { PRETRAINED, parseLabels, pretrainedSpec } from './pretrained.js';
export type { PretrainedOptions } from './transfer.js';
export { buildTransferModel, HEAD_DENSE, HEAD_DROPOUT, HEAD_POOL } from './transfer.js';

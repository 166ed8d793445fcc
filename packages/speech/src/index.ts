// Browser-safe public API of @dlkit/speech. Node-only pieces (files, model dirs, espeak) are in '@dlkit/speech/node'.
import './register.js';

export type { ArchOptions, KwsArch } from './architectures.js';
export { ARCHITECTURES, buildArchitecture } from './architectures.js';
export type { TranscribeOptions, TranscriberOptions, Transcript, TranscriptChunk } from './asr.js';
export { ASR_DEVICES, ASR_DTYPES, cutPoints, Transcriber } from './asr.js';
export type { AudioChunks, AudioInput, ReadAudioOptions, Samples } from './audio.js';
export { fitLength, readAudio } from './audio.js';
export type { AugmentOptions, ResolvedAugment } from './augment.js';
export { augmentWave, resolveAugment, specMask } from './augment.js';
export { ClipBatches, featureBatch } from './batches.js';
export { speechCli } from './cli.js';
export type { ClipSet } from './clip-set.js';
export { concatClipSets, groupSplitClipSet, isClipSet, speakerOf, splitClipSet, toClipSet } from './clip-set.js';
export type { SpeechEmbedder } from './embedder.js';
export { centreIn, PRETRAINED_EMBEDDERS } from './embedder.js';
export type { FeatureKind, FeatureOptions, ResolvedFeatureOptions, WindowKind } from './features.js';
export { dctMatrix, dftMatrices, FeatureExtractor, frameSignal, hzToMel, melFilterbank, melToHz, normalizeUtterance, numFrames, resolveFeatures, windowFunction } from './features.js';
export type { EmbeddedSet, EmbedOptions } from './fine-tune.js';
export { embedClipSet, isEmbeddedSet } from './fine-tune.js';
export type { HeadOptions } from './head.js';
export { embeddingHead } from './head.js';
export type { SpeechHooks } from './hooks.js';
export { installHooks } from './hooks.js';
export type { AudioData, CreateOptions, EvaluationReport, FromPretrainedOptions, PredictOptions, SpotterFineTuneOptions, SpotterFitOptions, SpotterInfo, TopK } from './spotter.js';
export { KEYWORD_SPOTTING, KeywordSpotter } from './spotter.js';
export type { DetectOptions, KeywordEvent, VadGate, VoiceActivity, WindowScorer } from './stream.js';
export { detectWith, rmsDb } from './stream.js';

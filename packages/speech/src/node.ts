// Node-only API of @dlkit/speech: file reading, file-system save/load, dataset opening, espeak-ng
// synthesis and the CLI command functions. Importing it installs the Node hooks.
import './node/install.js';

export * from './index.js';
export type { DetectCommandOptions, FineTuneCommandOptions, TrainCommandOptions, TranscribeCommandOptions } from './node/commands.js';
export { detectCommand, evalCommand, fineTuneCommand, predictCommand, synthDataCommand, trainCommand, transcribeCommand } from './node/commands.js';
export type { EvalCtcOptions, TrainCtcCommandOptions } from './node/ctc-commands.js';
export { ESPEAK_TEST_SEED, evalCtcCommand, FSDD_TEST_SEED, HELD_OUT_ACCENTS, HELD_OUT_SPEAKERS, HELD_OUT_VARIANTS, isCtcModel, trainCtcCommand, transcribeCtcCommand } from './node/ctc-commands.js';
export type { CustomWakeWordFitOptions } from './node/custom-wake-word.js';
export { BACKGROUND, CustomWakeWord } from './node/custom-wake-word.js';
export type { OpenAudioOptions, OpenedAudio } from './node/data.js';
export { openAudioData } from './node/data.js';
export type { EspeakSequenceOptions, FsddPoolOptions } from './node/digit-data.js';
export { espeakSequences, FSDD_SPEAKERS, fsddPool, fsddSequences, readSequenceFolder, writeSequenceFolder } from './node/digit-data.js';
export { readAudioFile } from './node/install.js';
export type { OwwDetectOptions } from './node/openwakeword.js';
export { OpenWakeWord, OWW_SAMPLE_RATE, OWW_WAKE_WORDS } from './node/openwakeword.js';
export { SileroVad } from './node/silero-vad.js';
export type { SynthOptions } from './node/synth.js';
export { ACCENTS, espeakAvailable, speak, UNKNOWN_WORDS, VARIANTS } from './node/synth.js';

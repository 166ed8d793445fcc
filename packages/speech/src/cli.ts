/**
 * `dlkit speech train|eval|predict|detect|synth-data`, declared library-free (core's TaskCli);
 * the work is in node/commands.ts, imported lazily so this file stays browser-safe.
 */
import { invalidOption, type TaskCli } from '@dlkit/core';

const backendOption = { flags: '--backend <name>', description: 'tfjs backend: auto, wasm, cpu, webgpu, tensorflow (default: DLKIT_BACKEND or auto)' };
const modelOption = { flags: '--model <dir>', description: 'directory written by `speech train` / KeywordSpotter.save' };

export const speechCli: TaskCli = {
  command: 'speech',
  description: 'Speech: keyword spotting (train, fine-tune on a pretrained embedding, evaluate, predict, detect in long audio), a CTC digit-sequence recogniser (train-ctc), transcription and synthetic data',
  verbs: [
    {
      name: 'train',
      description: 'train a keyword spotter (DS-CNN or CNN over log-mel) on a dataset or a folder of class subfolders',
      options: [
        { flags: '--data <spec>', description: 'registry dataset (fsdd, speech-commands) or folder of <class>/*.wav; comma-separate to combine' },
        { flags: '--split <name>', description: 'registry split (fsdd: train | test)' },
        { flags: '--out <dir>', description: 'where to save the model (checkpoints go to <dir>.ckpt; a rerun resumes)' },
        { flags: '--arch <name>', description: 'ds-cnn or cnn', default: 'ds-cnn', choices: ['ds-cnn', 'cnn'] },
        { flags: '--epochs <n>', description: 'epochs', default: 30, parse: 'int' },
        { flags: '--batch-size <n>', description: 'batch size', default: 64, parse: 'int' },
        { flags: '--lr <x>', description: 'peak learning rate (Adam, cosine decay)', default: 0.003, parse: 'float' },
        { flags: '--seed <s>', description: 'seed (init, shuffles, augmentation, hold-out split)', default: 0, parse: 'int' },
        { flags: '--sample-rate <hz>', description: 'feature sample rate (inputs are resampled)', default: 16000, parse: 'int' },
        { flags: '--clip-ms <ms>', description: 'model input length', default: 1000, parse: 'float' },
        { flags: '--n-mels <n>', description: 'mel bands', default: 40, parse: 'int' },
        { flags: '--hop-ms <ms>', description: 'feature hop', default: 10, parse: 'float' },
        { flags: '--test-split <name>', description: 'registry split evaluated after training and recorded in the card (fsdd: test)' },
        { flags: '--features <kind>', description: 'log-mel or mfcc', default: 'log-mel', choices: ['log-mel', 'mfcc'] },
        { flags: '--width <n>', description: 'conv channels', parse: 'int' },
        { flags: '--holdout <f>', description: 'stratified seeded fraction of --data never trained on; accuracy reported in the card', parse: 'float' },
        { flags: '--holdout-dir <dir>', description: 'write the held-out clips here as <class>/*.wav (for `speech eval`)' },
        { flags: '--extra <spec>', description: 'extra training data (e.g. synth-data output), never held out' },
        { flags: '--augment <kind>', description: 'none or standard (±50 ms shift, ±6 dB gain, 0.9–1.1 speed, noise from _silence_, one time + one frequency mask)', default: 'standard', choices: ['none', 'standard'] },
        { flags: '--noise-class <name>', description: 'class whose clips are background noise (default _silence_ when present)' },
        { flags: '--unknown-weight <w>', description: 'class weight of _unknown_', parse: 'float' },
        backendOption,
      ],
      async run(_args, opts, io) {
        const { trainCommand } = await import('./node/commands.js');
        const out = need(opts, 'out', '--out', 'the directory to save the model in');
        return trainCommand({
          data: need(opts, 'data', '--data', 'a registry dataset name or a folder of <class>/*.wav'),
          out,
          split: opts.split as string | undefined,
          arch: opts.arch as string,
          epochs: opts.epochs as number,
          batchSize: opts.batchSize as number,
          lr: opts.lr as number,
          seed: opts.seed as number,
          sampleRate: opts.sampleRate as number,
          clipMs: opts.clipMs as number,
          nMels: opts.nMels as number,
          hopMs: opts.hopMs as number,
          testSplit: opts.testSplit as string | undefined,
          kind: opts.features as 'log-mel' | 'mfcc',
          width: opts.width as number | undefined,
          holdout: opts.holdout as number | undefined,
          holdoutDir: opts.holdoutDir as string | undefined,
          extra: opts.extra as string | undefined,
          augment: opts.augment as 'none' | 'standard',
          noiseClass: opts.noiseClass as string | undefined,
          unknownWeight: opts.unknownWeight as number | undefined,
          backend: opts.backend as string | undefined,
          progress: !io.json,
          log: io.json ? undefined : io.log,
        });
      },
    },
    {
      name: 'fine-tune',
      description: 'train a keyword head over a frozen pretrained speech embedder (openwakeword) — few examples suffice',
      options: [
        { flags: '--pretrained <name>', description: 'frozen embedder: openwakeword (Google speech embedding via openWakeWord, Apache-2.0)', default: 'openwakeword', choices: ['openwakeword'] },
        { flags: '--data <spec>', description: 'registry dataset (speech-commands, fsdd) or folder of <class>/*.wav; comma-separate to combine' },
        { flags: '--split <name>', description: 'registry split' },
        { flags: '--out <dir>', description: 'where to save the model (embeddings are cached in <dir>.ckpt; a rerun reuses them)' },
        { flags: '--epochs <n>', description: 'head epochs', default: 40, parse: 'int' },
        { flags: '--batch-size <n>', description: 'batch size', default: 32, parse: 'int' },
        { flags: '--lr <x>', description: 'Adam learning rate', default: 0.001, parse: 'float' },
        { flags: '--seed <s>', description: 'seed (head init, shuffles, augmentation, hold-out split)', default: 0, parse: 'int' },
        { flags: '--clip-ms <ms>', description: 'clip length (≤ 2000)', default: 1000, parse: 'float' },
        { flags: '--width <n>', description: 'head conv channels', parse: 'int' },
        { flags: '--holdout <f>', description: 'fraction of --data never trained on; accuracy reported in the card', parse: 'float' },
        { flags: '--holdout-by <kind>', description: 'clip (stratified clips) or speaker (whole speakers held out)', default: 'clip', choices: ['clip', 'speaker'] },
        { flags: '--holdout-dir <dir>', description: 'write the held-out clips here as <class>/*.wav (for `speech eval`)' },
        { flags: '--extra <spec>', description: 'extra training data (e.g. synth-data output), never held out' },
        { flags: '--augment-copies <n>', description: 'augmented copies per training clip (shift, gain, speed, noise from _silence_), embedded once', default: 0, parse: 'int' },
        { flags: '--noise-class <name>', description: 'class whose clips are background noise (default _silence_ when present)' },
        { flags: '--unknown-weight <w>', description: 'class weight of _unknown_', parse: 'float' },
        backendOption,
      ],
      async run(_args, opts, io) {
        const { fineTuneCommand } = await import('./node/commands.js');
        return fineTuneCommand({
          pretrained: opts.pretrained as string,
          data: need(opts, 'data', '--data', 'a registry dataset name or a folder of <class>/*.wav'),
          out: need(opts, 'out', '--out', 'the directory to save the model in'),
          split: opts.split as string | undefined,
          epochs: opts.epochs as number,
          batchSize: opts.batchSize as number,
          lr: opts.lr as number,
          seed: opts.seed as number,
          clipMs: opts.clipMs as number,
          width: opts.width as number | undefined,
          holdout: opts.holdout as number | undefined,
          holdoutBy: opts.holdoutBy as 'clip' | 'speaker',
          holdoutDir: opts.holdoutDir as string | undefined,
          extra: opts.extra as string | undefined,
          augmentCopies: opts.augmentCopies as number,
          noiseClass: opts.noiseClass as string | undefined,
          unknownWeight: opts.unknownWeight as number | undefined,
          backend: opts.backend as string | undefined,
          progress: !io.json,
          log: io.json ? undefined : io.log,
        });
      },
    },
    {
      name: 'train-ctc',
      description: 'train a CTC digit-sequence recogniser on concatenated FSDD digits + espeak-ng sequences; reports WER/CER on held-out FSDD speakers and espeak voices',
      options: [
        { flags: '--out <dir>', description: 'where to save the model (checkpoints and the espeak corpus go to <dir>.ckpt; a rerun resumes)' },
        { flags: '--arch <name>', description: 'conv (1-D convs) or crnn (convs + BiGRU)', default: 'conv', choices: ['conv', 'crnn'] },
        { flags: '--epochs <n>', description: 'epochs', default: 30, parse: 'int' },
        { flags: '--batch-size <n>', description: 'batch size', default: 32, parse: 'int' },
        { flags: '--lr <x>', description: 'peak learning rate (Adam, cosine decay)', default: 0.003, parse: 'float' },
        { flags: '--seed <s>', description: 'seed (init, sequences, augmentation)', default: 0, parse: 'int' },
        { flags: '--sample-rate <hz>', description: 'feature sample rate (FSDD is 8 kHz; espeak is resampled)', default: 8000, parse: 'int' },
        { flags: '--n-mels <n>', description: 'mel bands', default: 32, parse: 'int' },
        { flags: '--hop-ms <ms>', description: 'feature hop (the model emits one frame per 4 hops)', default: 20, parse: 'float' },
        { flags: '--width <n>', description: 'conv channels', default: 96, parse: 'int' },
        { flags: '--blocks <n>', description: 'conv blocks after the stride-4 front end', default: 3, parse: 'int' },
        { flags: '--held-out-speakers <list>', description: 'FSDD speakers never trained on', default: 'theo,yweweler', parse: 'list' },
        { flags: '--held-out-accents <list>', description: 'espeak-ng accents never trained on', default: 'en-029,en-gb-scotland', parse: 'list' },
        { flags: '--held-out-variants <list>', description: 'espeak-ng voice variants never trained on', default: 'm3,f2,klatt2,Annie,grandpa', parse: 'list' },
        { flags: '--fsdd-per-epoch <n>', description: 'fresh concatenated FSDD sequences per epoch', default: 800, parse: 'int' },
        { flags: '--espeak-train <n>', description: 'espeak-ng training sequences (synthesised once, cached)', default: 800, parse: 'int' },
        { flags: '--fsdd-test <n>', description: 'held-out FSDD sequences evaluated', default: 200, parse: 'int' },
        { flags: '--espeak-test <n>', description: 'held-out espeak sequences evaluated (0: skip)', default: 100, parse: 'int' },
        { flags: '--holdout-dir <dir>', description: 'write the held-out espeak sequences here (a sequence folder for `speech eval --data DIR`)' },
        { flags: '--augment <kind>', description: 'standard (speed 0.9–1.1, ±6 dB, white noise 10–40 dB SNR, 2 time + 2 frequency masks) or none', default: 'standard', choices: ['none', 'standard'] },
        backendOption,
      ],
      async run(_args, opts, io) {
        const { trainCtcCommand } = await import('./node/ctc-commands.js');
        const list = (v: unknown) => (typeof v === 'string' ? v.split(',').filter(Boolean) : (v as string[]));
        return trainCtcCommand({
          out: need(opts, 'out', '--out', 'the directory to save the model in'),
          arch: opts.arch as 'conv' | 'crnn',
          epochs: opts.epochs as number,
          batchSize: opts.batchSize as number,
          lr: opts.lr as number,
          seed: opts.seed as number,
          sampleRate: opts.sampleRate as number,
          nMels: opts.nMels as number,
          hopMs: opts.hopMs as number,
          width: opts.width as number,
          blocks: opts.blocks as number,
          heldOutSpeakers: list(opts.heldOutSpeakers),
          heldOutAccents: list(opts.heldOutAccents),
          heldOutVariants: list(opts.heldOutVariants),
          fsddPerEpoch: opts.fsddPerEpoch as number,
          espeakTrain: opts.espeakTrain as number,
          fsddTest: opts.fsddTest as number,
          espeakTest: opts.espeakTest as number,
          holdoutDir: opts.holdoutDir as string | undefined,
          augment: opts.augment !== 'none',
          backend: opts.backend as string | undefined,
          progress: !io.json,
          log: io.json ? undefined : io.log,
        });
      },
    },
    {
      name: 'eval',
      description: 'evaluate a saved model: a keyword spotter → {accuracy, n, perClass, confusion}; a CTC recogniser → {wer, cer, sentenceAccuracy, n}',
      options: [
        modelOption,
        { flags: '--data <spec>', description: 'keyword spotter: registry dataset or folder of <class>/*.wav; CTC: fsdd, espeak or a sequence folder (WAVs + transcripts.tsv)' },
        { flags: '--split <name>', description: 'registry split (fsdd: test)' },
        { flags: '--speakers <list>', description: 'CTC, --data fsdd: FSDD speakers whose digits are concatenated (default theo,yweweler)', parse: 'list' },
        { flags: '--voices <list>', description: 'CTC, --data espeak: espeak-ng voices such as en-029+m3 (default the held-out voices)', parse: 'list' },
        { flags: '--sequences <n>', description: 'CTC, --data fsdd|espeak: sequences to build', parse: 'int' },
        { flags: '--seed <s>', description: 'CTC, --data fsdd|espeak: seed of the built sequences', parse: 'int' },
        { flags: '--beam-width <n>', description: 'CTC: prefix beam search width (default 1 = greedy)', parse: 'int' },
        backendOption,
      ],
      async run(_args, opts, io) {
        const model = need(opts, 'model', '--model', 'a saved model directory');
        const data = need(opts, 'data', '--data', 'a dataset name or folder');
        const { isCtcModel, evalCtcCommand } = await import('./node/ctc-commands.js');
        if (await isCtcModel(model)) {
          const r = await evalCtcCommand({
            model,
            data,
            speakers: opts.speakers as string[] | undefined,
            voices: opts.voices as string[] | undefined,
            sequences: opts.sequences as number | undefined,
            seed: opts.seed as number | undefined,
            beamWidth: opts.beamWidth as number | undefined,
            backend: opts.backend as string | undefined,
          });
          io.log(`${r.data}: WER ${((r.wer as number) * 100).toFixed(2)}%, CER ${((r.cer as number) * 100).toFixed(2)}%, sentence accuracy ${((r.sentenceAccuracy as number) * 100).toFixed(2)}% on ${r.n} sequences`);
          return r;
        }
        const { evalCommand } = await import('./node/commands.js');
        const r = await evalCommand({ model, data, split: opts.split as string | undefined, backend: opts.backend as string | undefined });
        io.log(`${r.data}: accuracy ${((r.accuracy as number) * 100).toFixed(2)}% on ${r.n} clips\n${r.report}`);
        return r;
      },
    },
    {
      name: 'predict',
      description: 'top-k keywords for WAV files',
      args: ['<files...>'],
      options: [modelOption, { flags: '--top-k <k>', description: 'labels per file', default: 3, parse: 'int' }, backendOption],
      async run(args, opts, io) {
        const { predictCommand } = await import('./node/commands.js');
        const r = await predictCommand({ model: need(opts, 'model', '--model', 'a saved model directory'), files: args, topK: opts.topK as number, backend: opts.backend as string | undefined });
        for (const p of r.predictions as { file: string; top: { label: string; score: number }[] }[]) io.log(`${p.file}: ${p.top.map((t) => `${t.label} ${(t.score * 100).toFixed(1)}%`).join(', ')}`);
        return r;
      },
    },
    {
      name: 'detect',
      description: 'keyword events {keyword, score, startMs, endMs} in a long recording',
      args: ['<file>'],
      options: [
        { ...modelOption, description: 'directory written by `speech train` (or use --pretrained)' },
        { flags: '--pretrained <name>', description: 'openwakeword: the pretrained openWakeWord detector (heads CC BY-NC-SA 4.0)', choices: ['openwakeword'] },
        { flags: '--wake-word <name>', description: 'openWakeWord head: hey_jarvis, alexa, hey_mycroft, hey_rhasspy, timer, weather', default: 'hey_jarvis' },
        { flags: '--threshold <p>', description: 'score needed to fire (default 0.7; openWakeWord 0.5)', parse: 'float' },
        { flags: '--hop-ms <ms>', description: 'hop between windows', default: 100, parse: 'float' },
        { flags: '--refractory-ms <ms>', description: 'quiet time after an event', default: 1000, parse: 'float' },
        { flags: '--vad <kind>', description: 'voice-activity gate for --model: silero (Silero VAD ONNX) or energy (RMS ≥ -50 dBFS)', default: 'silero', choices: ['silero', 'energy'] },
        backendOption,
      ],
      async run(args, opts, io) {
        const { detectCommand } = await import('./node/commands.js');
        const r = await detectCommand({
          ...(opts.pretrained ? { pretrained: opts.pretrained as 'openwakeword', wakeWord: opts.wakeWord as string } : { model: need(opts, 'model', '--model', 'a saved model directory, or --pretrained openwakeword') }),
          file: args[0]!,
          threshold: opts.threshold as number | undefined,
          hopMs: opts.hopMs as number,
          refractoryMs: opts.refractoryMs as number,
          vad: opts.vad as 'silero' | 'energy',
          backend: opts.backend as string | undefined,
        });
        for (const e of r.events as { keyword: string; score: number; startMs: number; endMs: number }[]) io.log(`${e.startMs}–${e.endMs} ms  ${e.keyword}  ${e.score.toFixed(3)}`);
        return r;
      },
    },
    {
      name: 'transcribe',
      description: 'speech to text with timestamps: a transformers.js ASR model (Whisper, wav2vec2-CTC ...) from a folder or the hub',
      args: ['<files...>'],
      options: [
        { flags: '--model <id|dir>', description: 'a dlkit CTC model (`speech train-ctc`, e.g. models/digits-ctc), a transformers.js model folder (config.json, tokenizer.json, onnx/) or hub id such as Xenova/whisper-tiny.en' },
        { flags: '--beam-width <n>', description: 'dlkit CTC model: prefix beam search width (default 1 = greedy)', parse: 'int' },
        { flags: '--local-model-path <dir>', description: 'folder holding <model>/ (transformers.js localModelPath)' },
        { flags: '--allow-remote', description: 'download from the Hugging Face hub when not found locally' },
        { flags: '--device <name>', description: 'onnxruntime device: auto, cpu, wasm, webgpu, cuda', default: 'auto', choices: ['auto', 'cpu', 'wasm', 'webgpu', 'cuda'] },
        { flags: '--dtype <name>', description: 'weights variant: auto, fp32, fp16, q8, int8, uint8, q4, bnb4, q4f16', default: 'auto' },
        { flags: '--chunk-s <s>', description: 'transcribe longer audio in chunks of this many seconds', default: 30, parse: 'float' },
        { flags: '--language <name>', description: 'Whisper: spoken language (multilingual checkpoints)' },
      ],
      async run(args, opts, io) {
        const model = need(opts, 'model', '--model', 'a model folder or hub id');
        const { isCtcModel, transcribeCtcCommand } = await import('./node/ctc-commands.js');
        if (await isCtcModel(model)) {
          // A dlkit CTC recogniser (`speech train-ctc`), e.g. models/digits-ctc.
          const r = await transcribeCtcCommand({ model, files: args, beamWidth: opts.beamWidth as number | undefined });
          for (const t of r.transcripts as { file: string; text: string }[]) io.log(`${t.file}: ${t.text}`);
          return r;
        }
        const { transcribeCommand } = await import('./node/commands.js');
        const r = await transcribeCommand({
          model,
          files: args,
          localModelPath: opts.localModelPath as string | undefined,
          allowRemote: opts.allowRemote === true,
          device: opts.device as 'auto',
          dtype: opts.dtype as 'auto',
          chunkS: opts.chunkS as number,
          language: opts.language as string | undefined,
        });
        for (const t of r.transcripts as { file: string; text: string }[]) io.log(`${t.file}: ${t.text}`);
        return r;
      },
    },
    {
      name: 'synth-data',
      description: 'synthesise a keyword corpus with espeak-ng (accents × voices × speeds × pitches) as <out>/<word>/*.wav',
      options: [
        { flags: '--words <list>', description: 'comma-separated words (_unknown_ = other words)', parse: 'list' },
        { flags: '--out <dir>', description: 'output folder' },
        { flags: '--per-word <n>', description: 'clips per word', default: 100, parse: 'int' },
        { flags: '--sample-rate <hz>', description: 'output rate', default: 16000, parse: 'int' },
        { flags: '--seed <s>', description: 'seed of the voice/speed/pitch draws', default: 0, parse: 'int' },
      ],
      async run(_args, opts, io) {
        const { synthDataCommand } = await import('./node/commands.js');
        const words = opts.words as string[] | undefined;
        if (!words || words.length === 0) throw invalidOption('--words', opts.words, 'comma-separated words, e.g. yes,no,up,down');
        return synthDataCommand({ words, out: need(opts, 'out', '--out', 'an output folder'), perWord: opts.perWord as number, sampleRate: opts.sampleRate as number, seed: opts.seed as number, log: io.json ? undefined : io.log });
      },
    },
  ],
};

function need(opts: Record<string, unknown>, key: string, flag: string, what: string): string {
  const v = opts[key];
  if (typeof v !== 'string' || v === '') throw invalidOption(flag, v, what);
  return v;
}

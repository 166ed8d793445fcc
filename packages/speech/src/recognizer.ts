/**
 * CtcRecognizer: a small speech recogniser of our own, trained with CTC on tfjs features —
 * create / fit / evaluate ({wer, cer}) / transcribe / save / load / dispose, the Keras-shaped API
 * of the other dlkit task packages. The vocabulary is a list of whole tokens (digits by default);
 * a transcript is its tokens joined by spaces.
 */
import { checkInt, checkNumber, DlkitError, invalidOption, type ModelCard, Rng, tf, withSeededMathRandom } from '@dlkit/core';
import { resample as resampleTo } from '@dlkit/data';
import { type Callback, cosineDecay, type History, learningRateScheduler, progressBar, runLoop, trainableVariables } from '@dlkit/train';
import { type AudioInput, readAudio } from './audio.js';
import { ctcLoss } from './ctc.js';
import { buildCtcArchitecture, CTC_TIME_STRIDE, ctcOutputFrames } from './ctc-arch.js';
import { ctcBeamDecode, ctcGreedyDecode } from './ctc-decode.js';
import { DIGITS, type SequenceExample } from './digit-sequences.js';
import { FeatureExtractor, type FeatureOptions, resolveFeatures } from './features.js';
import { need } from './hooks.js';
import { type CtcBatch, makeCtcBatch, resolveSequenceAugment, type SequenceAugment, sequenceFeatures } from './sequence-batches.js';
import { type ErrorRates, errorRates } from './wer.js';

export const SPEECH_RECOGNITION_CTC = 'speech-recognition-ctc';
const BLANK = '<blank>';

export interface RecognizerInfo {
  arch: string;
  /** Tokens without the blank (index i of the model output is vocabulary[i - 1]; 0 is the blank). */
  vocabulary: string[];
  features: FeatureOptions;
}

export interface CtcRecognizerCreateOptions {
  arch?: 'conv' | 'crnn';
  vocabulary?: string[];
  /** Feature settings (default log-mel, 40 bands, 25 ms / 10 ms at 16 kHz). */
  features?: FeatureOptions;
  width?: number;
  blocks?: number;
  rnnUnits?: number;
  dropout?: number;
  seed?: number;
}

export interface CtcFitOptions {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  schedule?: 'constant' | 'cosine';
  seed?: number;
  /** Waveform + SpecAugment augmentation of training sequences; false for none. */
  augment?: SequenceAugment | false;
  /** Evaluated (greedy WER/CER) at each epoch end and logged as val_wer / val_cer. */
  validationData?: SequenceExample[];
  callbacks?: Callback[];
  progress?: boolean;
  signal?: AbortSignal;
  initialEpoch?: number;
  history?: History;
}

export interface DecodeOptions {
  /** 1 (default) = greedy best path; more = prefix beam search of that width. */
  beamWidth?: number;
}

export interface Transcription {
  text: string;
  /** Each token with the time of the output frame where it fired. */
  tokens: { token: string; startMs: number }[];
}

export interface CtcEvaluation extends ErrorRates {
  /** Per utterance: reference and hypothesis. */
  utterances: { ref: string; hyp: string; file?: string }[];
}

export class CtcRecognizer {
  readonly extractor: FeatureExtractor;
  private disposed = false;

  constructor(
    readonly model: tf.LayersModel,
    readonly info: RecognizerInfo,
  ) {
    const k = model.outputs[0]!.shape.at(-1) as number;
    if (info.vocabulary.length + 1 !== k) throw new DlkitError('SHAPE_MISMATCH', `The model has ${k} outputs but the vocabulary has ${info.vocabulary.length} tokens (+1 blank).`);
    this.extractor = new FeatureExtractor(info.features);
  }

  get vocabulary(): string[] {
    return this.info.vocabulary;
  }

  get sampleRate(): number {
    return this.extractor.options.sampleRate;
  }

  static async create(o: CtcRecognizerCreateOptions = {}): Promise<CtcRecognizer> {
    const vocabulary = o.vocabulary ?? DIGITS;
    if (!Array.isArray(vocabulary) || vocabulary.length === 0 || new Set(vocabulary).size !== vocabulary.length || vocabulary.some((t) => typeof t !== 'string' || t === '' || /\s/.test(t) || t === BLANK)) {
      throw invalidOption('vocabulary', vocabulary, `distinct non-empty tokens without spaces (not "${BLANK}")`);
    }
    const { frameLength: _f, hop: _h, nBins: _n, ...features } = resolveFeatures(o.features);
    const arch = o.arch ?? 'conv';
    const coefficients = features.kind === 'mfcc' ? features.nMfcc : features.nMels;
    const model = withSeededMathRandom(o.seed ?? 0, () =>
      buildCtcArchitecture(arch, {
        coefficients,
        classes: vocabulary.length + 1,
        ...(o.width ? { width: o.width } : {}),
        ...(o.blocks !== undefined ? { blocks: o.blocks } : {}),
        ...(o.rnnUnits ? { rnnUnits: o.rnnUnits } : {}),
        ...(o.dropout !== undefined ? { dropout: o.dropout } : {}),
      }),
    );
    return new CtcRecognizer(model, { arch, vocabulary: [...vocabulary], features });
  }

  static async load(dir: string): Promise<CtcRecognizer> {
    const { model, card } = await need('load', 'CtcRecognizer.load')(dir);
    return CtcRecognizer.fromModel(model, card, dir);
  }

  static fromModel(model: tf.LayersModel, card: ModelCard | undefined, source: string): CtcRecognizer {
    const x = (card?.extra ?? {}) as Partial<RecognizerInfo>;
    if (!card || card.task !== SPEECH_RECOGNITION_CTC || !x.features || !card.labels || card.labels[0] !== BLANK) {
      model.dispose();
      throw new DlkitError('CORRUPT_DATA', `${source} is not a saved CTC recogniser (model-card.json task is ${JSON.stringify(card?.task)}, expected "${SPEECH_RECOGNITION_CTC}" with features and labels starting with "${BLANK}").`, {
        hint: 'Pass a directory written by CtcRecognizer.save() or `dlkit speech train-ctc`.',
        details: { file: source },
      });
    }
    try {
      return new CtcRecognizer(model, { arch: x.arch ?? 'custom', vocabulary: card.labels.slice(1), features: x.features });
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** Transcript text → token indices (1-based: 0 is the blank). */
  encode(text: string): number[] {
    return text
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((tok) => {
        const i = this.info.vocabulary.indexOf(tok);
        if (i < 0) throw new DlkitError('INVALID_INPUT', `Transcript token ${JSON.stringify(tok)} (in "${text}") is not in the vocabulary [${this.info.vocabulary.join(' ')}].`);
        return i + 1;
      });
  }

  decode(ids: number[]): string {
    return ids.map((i) => this.info.vocabulary[i - 1]!).join(' ');
  }

  compile(lr = 1e-3): void {
    checkNumber('lr', lr, 0);
    // The loss is ctcLoss in fit(); compile only attaches the optimizer (checkpoints save its state).
    this.model.compile({ optimizer: tf.train.adam(lr), loss: 'meanSquaredError' });
  }

  private resampled(examples: SequenceExample[]): Float32Array[] {
    return examples.map((e) => (e.sampleRate === this.sampleRate ? e.samples : resampleTo(e.samples, e.sampleRate, this.sampleRate)));
  }

  async fit(train: SequenceExample[] | ((epoch: number) => SequenceExample[]), o: CtcFitOptions = {}): Promise<History> {
    this.live();
    const epochs = checkInt('epochs', o.epochs ?? 20, 1);
    const batchSize = checkInt('batchSize', o.batchSize ?? 32, 1);
    const lr = checkNumber('lr', o.lr ?? 1e-3, 0);
    const seed = o.seed ?? 0;
    const augment = o.augment === false ? undefined : resolveSequenceAugment(o.augment ?? {});
    const epochData = typeof train === 'function' ? train : () => train;
    const first = epochData(o.initialEpoch ?? 0);
    if (first.length === 0) throw new DlkitError('INVALID_INPUT', 'No training sequences.');
    const steps = Math.ceil(first.length / batchSize);
    if (!this.model.optimizer) this.compile(lr);
    const optimizer = this.model.optimizer;
    const vars = trainableVariables(this.model);
    const callbacks: Callback[] = [...(o.callbacks ?? [])];
    if (o.schedule === 'cosine') callbacks.unshift(learningRateScheduler(cosineDecay({ initialLr: lr, decaySteps: epochs * steps, per: 'step' })));
    else if (o.schedule !== undefined && o.schedule !== 'constant') throw invalidOption('schedule', o.schedule, '"constant" or "cosine"');
    if (o.progress !== false) callbacks.push(progressBar());
    const self = this;
    function* batches(epoch: number): Generator<CtcBatch> {
      const data = epoch === (o.initialEpoch ?? 0) ? first : epochData(epoch);
      const labels = data.map((e) => self.encode(e.text));
      const waves = self.resampled(data);
      const rng = new Rng(seed * 1_000_003 + epoch);
      const order = rng.permutation(data.length);
      for (let s = 0; s < data.length; s += batchSize) {
        const idx = Array.from(order.subarray(s, s + batchSize));
        yield makeCtcBatch(
          self.extractor,
          idx.map((i) => waves[i]!),
          idx.map((i) => labels[i]!),
          augment ? { augment, rng } : {},
        );
      }
    }
    return runLoop<CtcBatch>({
      epochs,
      data: batches,
      model: this.model,
      optimizer,
      callbacks,
      ...(o.initialEpoch !== undefined ? { initialEpoch: o.initialEpoch } : {}),
      ...(o.history ? { history: o.history } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      trainStep: (b) => {
        const loss = optimizer.minimize(
          () => ctcLoss(this.model.apply(b.xs, { training: true }) as tf.Tensor3D, b.labels, { inputLengths: b.frames.map(ctcOutputFrames), zeroInfinity: true }) as tf.Scalar,
          true,
          vars,
        )!;
        const v = loss.dataSync()[0]!;
        loss.dispose();
        return { loss: v };
      },
      disposeBatch: (b) => b.xs.dispose(),
      ...(o.validationData?.length
        ? {
            validate: async () => {
              const r = await this.evaluate(o.validationData!);
              return { wer: r.wer, cer: r.cer };
            },
          }
        : {}),
    });
  }

  /** Per-frame log-probabilities [T', K] of each waveform (at this model's rate), batched. */
  private async logProbs(waves: Float32Array[], batchSize = 32): Promise<{ lp: Float32Array; frames: number }[]> {
    const out: { lp: Float32Array; frames: number }[] = [];
    const k = this.info.vocabulary.length + 1;
    for (let s = 0; s < waves.length; s += batchSize) {
      const b = makeCtcBatch(this.extractor, waves.slice(s, s + batchSize), []);
      const lp = tf.tidy(() => tf.logSoftmax(this.model.predict(b.xs) as tf.Tensor3D));
      const t = lp.shape[1]!;
      const data = (await lp.data()) as Float32Array;
      tf.dispose([lp, b.xs]);
      b.frames.forEach((f, i) => {
        const n = Math.min(t, ctcOutputFrames(f));
        out.push({ lp: data.slice(i * t * k, (i * t + n) * k), frames: n });
      });
    }
    return out;
  }

  private decodeOne(lp: Float32Array, frames: number, o: DecodeOptions): { tokens: number[]; frames: number[] } {
    const k = this.info.vocabulary.length + 1;
    const width = checkInt('beamWidth', o.beamWidth ?? 1, 1);
    return width === 1 ? ctcGreedyDecode(lp, k, frames) : ctcBeamDecode(lp, k, frames, { beamWidth: width });
  }

  async evaluate(examples: SequenceExample[], o: DecodeOptions = {}): Promise<CtcEvaluation> {
    this.live();
    if (examples.length === 0) throw new DlkitError('INVALID_INPUT', 'No sequences to evaluate.');
    const refs = examples.map((e) => this.decode(this.encode(e.text)));
    const lps = await this.logProbs(this.resampled(examples));
    const hyps = lps.map(({ lp, frames }) => this.decode(this.decodeOne(lp, frames, o).tokens));
    return { ...errorRates(refs, hyps), utterances: refs.map((ref, i) => ({ ref, hyp: hyps[i]!, ...(examples[i]!.file ? { file: examples[i]!.file } : {}) })) };
  }

  async transcribe(input: AudioInput, o: DecodeOptions & { inputSampleRate?: number } = {}): Promise<Transcription> {
    this.live();
    const { samples } = await readAudio(input, { sampleRate: this.sampleRate, ...(o.inputSampleRate !== undefined ? { inputSampleRate: o.inputSampleRate } : {}) });
    const [{ lp, frames }] = (await this.logProbs([samples])) as [{ lp: Float32Array; frames: number }];
    const d = this.decodeOne(lp, frames, o);
    const msPerFrame = this.extractor.options.hopMs * CTC_TIME_STRIDE;
    return { text: this.decode(d.tokens), tokens: d.tokens.map((t, i) => ({ token: this.info.vocabulary[t - 1]!, startMs: d.frames[i] !== undefined ? Math.round(d.frames[i]! * msPerFrame) : Number.NaN })) };
  }

  /** Feature map of one waveform (for inspection): [T, C]. */
  async features(samples: Float32Array): Promise<{ data: Float32Array; shape: [number, number] }> {
    const y = sequenceFeatures(this.extractor, samples);
    const data = (await y.data()) as Float32Array;
    const shape: [number, number] = [y.shape[1], y.shape[2]];
    y.dispose();
    return { data, shape };
  }

  cardFields(): Partial<ModelCard> & { task: string; extra: Record<string, unknown> } {
    return {
      task: SPEECH_RECOGNITION_CTC,
      labels: [BLANK, ...this.info.vocabulary],
      preprocessing: { sampleRate: this.sampleRate, features: this.info.features, timeStride: CTC_TIME_STRIDE, blank: 0 },
      extra: { arch: this.info.arch, vocabulary: this.info.vocabulary, features: this.info.features },
    };
  }

  async save(dir: string, card: Partial<ModelCard> = {}): Promise<ModelCard> {
    this.live();
    const base = this.cardFields();
    return need('save', 'CtcRecognizer.save')(this.model, dir, { ...card, ...base, extra: { ...base.extra, ...card.extra } });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.optimizer?.dispose();
    this.model.dispose();
    this.extractor.dispose();
  }

  private live(): void {
    if (this.disposed) throw new DlkitError('STATE', 'This CtcRecognizer was disposed.');
  }
}

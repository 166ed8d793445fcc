/**
 * The text model zoo as tfjs LayersModels: input int ids [batch, T] (0 = padding), output class
 * probabilities [batch, numClasses]. Every model saves/loads through core saveModel/loadModel.
 */
import { invalidOption, tf } from '@dlkit/core';
import { SENTENCE_ENCODERS, type SentenceEncoderName } from '../sentence-encoder.js';
import { BagOfEmbeddings, ClsPooling, LayerNorm, MaskedMaxPooling, PaddingMask, PositionEmbedding, registerTextLayers, TransformerBlock } from './layers.js';

export type RnnPooling = 'last' | 'max';
/** 'ensemble' = members' probabilities averaged (built by `ensembleClassifiers`, not trained as one). */
/** 'sentence' = a head on the sentence-encoder vector alone (the ids are not read). */
export type TextArch = 'fasttext' | 'cnn' | 'bilstm' | 'bigru' | 'transformer' | 'sentence' | 'ensemble';
/** The architectures a classifier can be trained from scratch with. */
export const TEXT_ARCHS: readonly TextArch[] = ['fasttext', 'cnn', 'bilstm', 'bigru', 'transformer', 'sentence'];

export interface TextModelSpec {
  arch: TextArch;
  vocabSize: number;
  numClasses: number;
  /** Embedding width (default: fasttext 32, transformer 64, others 128). */
  embeddingDim?: number;
  /** Longest input in ids; the Transformer's position table has this many rows (default 256). */
  maxLength?: number;
  /** Dropout before the classifier (default 0.5 for cnn/rnn, 0 fasttext, 0.1 transformer). */
  dropout?: number;
  /**
   * CNN/RNN: word dropout — each token's whole embedding vector is zeroed with this probability
   * while training (noise shape [batch, time, 1]), so the model cannot lean on any single word
   * (default 0).
   */
  embeddingDropout?: number;
  /** CNN: filters per kernel size (default 100) and kernel sizes (default [3, 4, 5]). */
  filters?: number;
  kernelSizes?: number[];
  /** RNN: units per direction (default 128). */
  units?: number;
  /** RNN: the final states of both directions ('last', default) or the max over time of every output ('max'). */
  pooling?: RnnPooling;
  /**
   * CNN/RNN: Kim's multichannel — a second, frozen copy of the (pretrained) embedding beside the
   * trained one, concatenated per token, so words never seen in training keep vectors consistent
   * with the frozen copies of the words that were (default false).
   */
  multichannel?: boolean;
  /** Ensemble: the members' specs (vocabSize, numClasses and maxLength come from the ensemble). */
  members?: TextModelSpec[];
  /**
   * A frozen pretrained sentence encoder whose vector is a second model input ('sentence',
   * [batch, sentenceDim]) joined to the text features before the classifier — Cer et al. 2018's
   * "sentence embedding + word-level model" hybrid (default 'none').
   */
  sentenceEncoder?: 'none' | SentenceEncoderName;
  /** Width of the sentence vector (default 512, USE-lite's). */
  sentenceDim?: number;
  /** Units of a ReLU layer on the sentence vector before the join (default 0 = the vector itself). */
  sentenceHidden?: number;
  /** Transformer: blocks (default 2), heads (default 4), feed-forward width (default 4·dim). */
  layers?: number;
  heads?: number;
  ffDim?: number;
}

function posInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalidOption(name, v, 'a positive integer');
  return v;
}

/** The spec with every default filled in (what the model card stores). */
export function resolveSpec(spec: TextModelSpec): Required<TextModelSpec> {
  if (!TEXT_ARCHS.includes(spec.arch) && spec.arch !== 'ensemble') throw invalidOption('arch', spec.arch, [...TEXT_ARCHS, 'ensemble'].join(' | '));
  const dim = spec.embeddingDim ?? (spec.arch === 'fasttext' ? 32 : spec.arch === 'transformer' ? 64 : 128);
  const full: Required<TextModelSpec> = {
    arch: spec.arch,
    vocabSize: posInt('vocabSize', spec.vocabSize),
    numClasses: posInt('numClasses', spec.numClasses),
    embeddingDim: posInt('embeddingDim', dim),
    maxLength: posInt('maxLength', spec.maxLength ?? 256),
    dropout: spec.dropout ?? (spec.arch === 'fasttext' ? 0 : spec.arch === 'transformer' ? 0.1 : 0.5),
    embeddingDropout: spec.embeddingDropout ?? 0,
    filters: posInt('filters', spec.filters ?? 100),
    kernelSizes: spec.kernelSizes ?? [3, 4, 5],
    units: posInt('units', spec.units ?? 128),
    pooling: spec.pooling ?? 'last',
    multichannel: spec.multichannel ?? false,
    members: [],
    sentenceEncoder: spec.sentenceEncoder ?? 'none',
    sentenceDim: posInt('sentenceDim', spec.sentenceDim ?? 512),
    sentenceHidden: spec.sentenceHidden ?? 0,
    layers: posInt('layers', spec.layers ?? 2),
    heads: posInt('heads', spec.heads ?? 4),
    ffDim: posInt('ffDim', spec.ffDim ?? 4 * dim),
  };
  if (full.numClasses < 2) throw invalidOption('numClasses', full.numClasses, 'at least 2');
  if (!(full.dropout >= 0 && full.dropout < 1)) throw invalidOption('dropout', full.dropout, 'a number in [0, 1)');
  if (!(full.embeddingDropout >= 0 && full.embeddingDropout < 1)) throw invalidOption('embeddingDropout', full.embeddingDropout, 'a number in [0, 1)');
  if (full.embeddingDropout > 0 && !['cnn', 'bilstm', 'bigru'].includes(full.arch)) throw invalidOption('embeddingDropout', full.embeddingDropout, "0 unless arch is 'cnn', 'bilstm' or 'bigru'");
  if (full.arch === 'transformer' && full.embeddingDim % full.heads !== 0) {
    throw invalidOption('heads', full.heads, `a divisor of embeddingDim (${full.embeddingDim})`);
  }
  if (typeof full.multichannel !== 'boolean') throw invalidOption('multichannel', full.multichannel, 'true or false');
  if (full.multichannel && !['cnn', 'bilstm', 'bigru'].includes(full.arch)) throw invalidOption('multichannel', true, "false unless arch is 'cnn', 'bilstm' or 'bigru'");
  if (full.pooling !== 'last' && full.pooling !== 'max') throw invalidOption('pooling', full.pooling, "'last' | 'max'");
  if (full.sentenceEncoder !== 'none' && !SENTENCE_ENCODERS.includes(full.sentenceEncoder)) throw invalidOption('sentenceEncoder', full.sentenceEncoder, ['none', ...SENTENCE_ENCODERS].join(' | '));
  if (!Number.isInteger(full.sentenceHidden) || full.sentenceHidden < 0) throw invalidOption('sentenceHidden', full.sentenceHidden, 'a non-negative integer');
  if (full.arch === 'sentence' && full.sentenceEncoder === 'none') throw invalidOption('sentenceEncoder', 'none', `one of ${SENTENCE_ENCODERS.join(', ')} (arch 'sentence' classifies its vector alone)`);
  if (full.arch === 'ensemble') {
    if (!Array.isArray(spec.members) || spec.members.length === 0) throw invalidOption('members', spec.members, 'a non-empty array of member specs');
    full.members = spec.members.map((m) => resolveSpec({ ...m, vocabSize: full.vocabSize, numClasses: full.numClasses, maxLength: full.maxLength }));
    // Hybrid members share the ensemble's one sentence input: same encoder, same width.
    full.members.forEach((m, i) => {
      if (m.sentenceEncoder !== 'none' && (m.sentenceEncoder !== full.sentenceEncoder || m.sentenceDim !== full.sentenceDim)) {
        throw invalidOption(`members[${i}].sentenceEncoder`, `${m.sentenceEncoder} (${m.sentenceDim}-d)`, `the ensemble's: ${full.sentenceEncoder} (${full.sentenceDim}-d)`);
      }
    });
  } else if (spec.members?.length) throw invalidOption('members', 'given', "only with arch 'ensemble'");
  full.kernelSizes.forEach((k, i) => { posInt(`kernelSizes[${i}]`, k); });
  return full;
}

/** The Transformer encoder body: ids → hidden states [b, T, d] (layer names shared with the classifier). */
function transformerHidden(ids: tf.SymbolicTensor, s: Required<TextModelSpec>): tf.SymbolicTensor {
  const mask = new PaddingMask({ name: 'padding_mask' }).apply(ids) as tf.SymbolicTensor;
  let x = tf.layers
    .embedding({ inputDim: s.vocabSize, outputDim: s.embeddingDim, name: 'embedding', embeddingsInitializer: tf.initializers.randomNormal({ stddev: 0.02 }) })
    .apply(ids) as tf.SymbolicTensor;
  x = new PositionEmbedding({ maxLength: s.maxLength, name: 'positions' }).apply(x) as tf.SymbolicTensor;
  for (let i = 0; i < s.layers; i++) {
    x = new TransformerBlock({ heads: s.heads, ffDim: s.ffDim, dropout: s.dropout, name: `block_${i}` }).apply([x, mask]) as tf.SymbolicTensor;
  }
  return new LayerNorm({ name: 'final_norm' }).apply(x) as tf.SymbolicTensor;
}

/** A Transformer encoder alone (ids → [b, T, d]), for masked-language-model pretraining. */
export function buildTextEncoder(spec: Omit<TextModelSpec, 'arch' | 'numClasses'>): tf.LayersModel {
  registerTextLayers();
  const s = resolveSpec({ ...spec, arch: 'transformer', numClasses: 2 });
  const ids = tf.input({ shape: [null], dtype: 'int32', name: 'ids' });
  return tf.model({ inputs: ids, outputs: transformerHidden(ids, s), name: 'text_encoder' });
}

/** ids → class probabilities for one (non-ensemble) spec; every layer name starts with `prefix`. */
function classifierOutput(ids: tf.SymbolicTensor, s: Required<TextModelSpec>, prefix: string, sentence?: tf.SymbolicTensor): tf.SymbolicTensor {
  const n = (name: string) => `${prefix}${name}`;
  const table = (maskZero: boolean, name: string) =>
    tf.layers.embedding({ inputDim: s.vocabSize, outputDim: s.embeddingDim, maskZero, name: n(name), embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }) });
  // The trained table, plus (multichannel) its frozen twin; the classifier loads both with the vectors.
  const embedIds = (maskZero: boolean): tf.SymbolicTensor => {
    let e = table(maskZero, 'embedding').apply(ids) as tf.SymbolicTensor;
    if (s.multichannel) {
      const frozen = table(maskZero, STATIC_EMBEDDING);
      frozen.trainable = false;
      e = tf.layers.concatenate({ name: n('channels') }).apply([e, frozen.apply(ids) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    }
    if (s.embeddingDropout === 0) return e;
    // Whole tokens (every channel) dropped; Dropout passes the padding mask through to the RNN.
    return tf.layers.dropout({ rate: s.embeddingDropout, noiseShape: [null, null, 1] as unknown as number[], name: n('word_dropout') }).apply(e) as tf.SymbolicTensor;
  };
  let features: tf.SymbolicTensor | undefined;
  switch (s.arch) {
    case 'sentence':
      // Only the sentence vector (joined below); a late-fusion member of an ensemble.
      break;
    case 'fasttext':
      features = new BagOfEmbeddings({ inputDim: s.vocabSize, outputDim: s.embeddingDim, name: n('embedding') }).apply(ids) as tf.SymbolicTensor;
      break;
    case 'cnn': {
      // Kim (2014): parallel convolutions of several widths, max-over-time pooling.
      const e = embedIds(false);
      const pooled = s.kernelSizes.map((k) => {
        const c = tf.layers.conv1d({ filters: s.filters, kernelSize: k, activation: 'relu', padding: 'same', name: n(`conv_${k}`) }).apply(e);
        return tf.layers.globalMaxPooling1d({ name: n(`maxpool_${k}`) }).apply(c) as tf.SymbolicTensor;
      });
      features = pooled.length > 1 ? (tf.layers.concatenate({ name: n('concat') }).apply(pooled) as tf.SymbolicTensor) : pooled[0]!;
      break;
    }
    case 'bilstm':
    case 'bigru': {
      const e = embedIds(true);
      const returnSequences = s.pooling === 'max';
      const cell = s.arch === 'bilstm' ? tf.layers.lstm({ units: s.units, returnSequences }) : tf.layers.gru({ units: s.units, returnSequences, resetAfter: false } as Parameters<typeof tf.layers.gru>[0]);
      features = tf.layers.bidirectional({ layer: cell as unknown as tf.layers.RNN, mergeMode: 'concat', name: n(s.arch) }).apply(e) as tf.SymbolicTensor;
      if (returnSequences) {
        const mask = new PaddingMask({ name: n('padding_mask') }).apply(ids) as tf.SymbolicTensor;
        features = new MaskedMaxPooling({ name: n('maxpool') }).apply([features, mask]) as tf.SymbolicTensor;
      }
      break;
    }
    case 'transformer':
      if (prefix) throw invalidOption('members', 'a transformer', 'fasttext, cnn, bilstm or bigru members (the transformer encodes with a [CLS] id)');
      features = new ClsPooling({ name: 'cls' }).apply(transformerHidden(ids, s)) as tf.SymbolicTensor;
      break;
    case 'ensemble':
      throw invalidOption('members', 'an ensemble', 'single models (an ensemble of ensembles is one flat ensemble)');
  }
  if (features && s.dropout > 0 && s.arch !== 'transformer') features = tf.layers.dropout({ rate: s.dropout, name: n('dropout') }).apply(features) as tf.SymbolicTensor;
  if (sentence) {
    let v = sentence;
    if (s.sentenceHidden > 0) v = tf.layers.dense({ units: s.sentenceHidden, activation: 'relu', name: n('sentence_hidden') }).apply(v) as tf.SymbolicTensor;
    if (s.dropout > 0) v = tf.layers.dropout({ rate: s.dropout, name: n('sentence_dropout') }).apply(v) as tf.SymbolicTensor;
    features = features ? (tf.layers.concatenate({ name: n('join') }).apply([features, v]) as tf.SymbolicTensor) : v;
  }
  if (!features) throw invalidOption('sentenceEncoder', 'none', "a sentence encoder (arch 'sentence' classifies its vector alone)");
  return tf.layers.dense({ units: s.numClasses, activation: 'softmax', name: n('classifier') }).apply(features) as tf.SymbolicTensor;
}

/** The frozen table's layer name in multichannel models. */
export const STATIC_EMBEDDING = 'embedding_static';

/** Layer-name prefix of ensemble member `i` (its layers keep their single-model names after it). */
export const memberPrefix = (i: number): string => `m${i}_`;

/**
 * Builds an uncompiled model for `spec`. An 'ensemble' spec is one graph: every member reads the
 * same ids and the output is the mean of their class probabilities (so it saves, loads and runs —
 * browser included — like any single model).
 */
export function buildTextModel(spec: TextModelSpec): tf.LayersModel {
  registerTextLayers();
  const s = resolveSpec(spec);
  const ids = tf.input({ shape: [null], dtype: 'int32', name: 'ids' });
  // Hybrid models take [ids, sentence vectors]; the order is what the classifier feeds.
  const sentence = s.sentenceEncoder === 'none' ? undefined : tf.input({ shape: [s.sentenceDim], name: 'sentence' });
  const probs =
    s.arch === 'ensemble'
      ? (tf.layers.average({ name: 'average' }).apply(s.members.map((m, i) => classifierOutput(ids, m as Required<TextModelSpec>, memberPrefix(i), m.sentenceEncoder === 'none' ? undefined : sentence))) as tf.SymbolicTensor)
      : classifierOutput(ids, s, '', sentence);
  // Arch 'sentence' reads no ids: its only input is the vector (a saved model keeps only used inputs).
  const inputs = !sentence ? ids : s.arch === 'sentence' ? sentence : [ids, sentence];
  return tf.model({ inputs, outputs: probs, name: `text_${s.arch}` });
}

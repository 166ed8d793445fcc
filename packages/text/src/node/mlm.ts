/**
 * `dlkit sentiment pretrain --objective mlm` and the encoder it saves: a word tokenizer learned
 * on the unlabelled text, the small Transformer encoder trained by pretrainMlm, saved through
 * core saveModel with the tokenizer and spec in its model card; `fine-tune --from` reads it back.
 */
import { DlkitError, ready, type tf, withSeededMathRandom } from '@dlkit/core';
import { loadModel, saveModel } from '@dlkit/core/node';
import { LM_TASK } from '../bilm.js';
import { pretrainMlm } from '../mlm.js';
import { buildTextEncoder, resolveSpec, type TextModelSpec } from '../models/build.js';
import { registerTextLayers } from '../models/layers.js';
import { tokenizerFromJSON } from '../tokenizers/from-json.js';
import type { Tokenizer, TokenizerJSON } from '../tokenizers/types.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { readLabelledText } from './labelled-data.js';

export const MLM_TASK = 'masked-language-model';

export interface MlmCommandOptions {
  data: string[];
  out: string;
  steps?: number;
  batchSize?: number;
  learningRate?: number;
  maxLength?: number;
  embeddingDim?: number;
  layers?: number;
  heads?: number;
  minFrequency?: number;
  maxVocab?: number;
  seed?: number;
  log?: (line: string) => void;
  command?: string;
}

export async function mlmPretrainCommand(o: MlmCommandOptions): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const backend = (await ready()).selected;
  const texts = await readTexts(o.data, o.log);
  const tok = WordTokenizer.fit(texts, { minFrequency: o.minFrequency ?? 3, maxSize: o.maxVocab ?? 20000 });
  const spec = resolveSpec({ arch: 'transformer', numClasses: 2, vocabSize: tok.vocabSize, maxLength: o.maxLength ?? 64, embeddingDim: o.embeddingDim, layers: o.layers, heads: o.heads });
  const seqs = texts.map((t) => tok.encode(t, { maxLength: spec.maxLength, addCls: true })).filter((s) => s.length > 2);
  o.log?.(`vocabulary ${tok.vocabSize}, ${seqs.length} sequences of ≤ ${spec.maxLength} ids; backend ${backend}`);
  const encoder = withSeededMathRandom(o.seed ?? 0, () => buildTextEncoder(spec));
  try {
    const log = await pretrainMlm(encoder, tok, seqs, {
      steps: o.steps,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: o.seed,
      onLog: (step, loss) => o.log?.(`step ${step}: mlm loss ${loss.toFixed(4)}`),
    });
    const seconds = await saveEncoder(encoder, { task: MLM_TASK, lossName: 'Mlm', spec, tokenizer: tok, log, examples: seqs.length, options: o, t0, backend });
    return { out: o.out, vocabulary: tok.vocabSize, sequences: seqs.length, firstLoss: log[0]!.loss, finalLoss: log.at(-1)!.loss, seconds, backend };
  } finally {
    encoder.dispose();
  }
}

/** The texts of labelled-text sources (labels ignored), in order. */
export async function readTexts(sources: readonly string[], log?: (line: string) => void): Promise<string[]> {
  const texts: string[] = [];
  for (const src of sources) {
    const ex = await readLabelledText(src, ['negative', 'positive']);
    for (const e of ex) texts.push(e.text);
    log?.(`${src}: ${ex.length} texts`);
  }
  return texts;
}

/** Saves a pretrained encoder with what loadEncoder needs (spec, tokenizer) and its loss log; returns the run's seconds. */
export async function saveEncoder(
  model: tf.LayersModel,
  e: { task: string; lossName: string; spec: Required<TextModelSpec>; tokenizer: Tokenizer; log: { step: number; loss: number }[]; examples: number; options: { data: string[]; out: string; command?: string }; t0: number; backend: string },
): Promise<number> {
  const o = e.options;
  const seconds = +((performance.now() - e.t0) / 1000).toFixed(1);
  await saveModel(model, o.out, {
    task: e.task,
    name: o.out.split('/').pop(),
    metrics: { [`final${e.lossName}Loss`]: e.log.at(-1)!.loss, [`first${e.lossName}Loss`]: e.log[0]!.loss },
    dataset: { name: o.data.join(','), examples: e.examples },
    training: { command: o.command, wallTimeSeconds: seconds, backend: e.backend, date: new Date().toISOString(), hyperparameters: { ...o, log: undefined, command: undefined } },
    extra: { spec: e.spec, tokenizer: e.tokenizer.toJSON(), lossLog: e.log },
  });
  return seconds;
}

/** Loads an encoder saved by mlmPretrainCommand (Transformer) or lmPretrainCommand (bigru/bilstm body) with its tokenizer and spec. */
export async function loadEncoder(dir: string): Promise<{ encoder: tf.LayersModel; tokenizer: Tokenizer; spec: Required<TextModelSpec> }> {
  registerTextLayers();
  // Tensors must be created after the backend is chosen (auto or DLKIT_BACKEND).
  await ready();
  const { model, card } = await loadModel(dir);
  if (!card || (card.task !== MLM_TASK && card.task !== LM_TASK) || !card.extra?.spec || !card.extra?.tokenizer) {
    model.dispose();
    throw new DlkitError('CORRUPT_DATA', `${dir} is not a pretrained encoder (model-card.json task ${JSON.stringify(card?.task)}, expected "${MLM_TASK}" or "${LM_TASK}").`, {
      hint: 'Pass a directory written by `dlkit sentiment pretrain --objective mlm` or `--objective lm`.',
    });
  }
  return { encoder: model, tokenizer: tokenizerFromJSON(card.extra.tokenizer as TokenizerJSON), spec: card.extra.spec as Required<TextModelSpec> };
}

/**
 * `dlkit sentiment pretrain --objective lm`: bidirectional language-model pretraining of a
 * bigru/bilstm body (pretrainBiLm) on unlabelled text, saved like the MLM encoder (core saveModel,
 * tokenizer and spec in the card), so `fine-tune --from DIR` trains a classifier from it.
 * The vocabulary comes from `vocabFrom` (default: the pretraining text) plus up to `vectorVocab`
 * words of the word vectors, which also initialise the embedding.
 */
import { checkInt, DlkitError, invalidOption, ready } from '@dlkit/core';
import { buildBiLmBody, LM_TASK, pretrainBiLm } from '../bilm.js';
import { embeddingMatrix } from '../embeddings.js';
import { resolveSpec } from '../models/build.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { loadWordVectors } from './commands.js';
import { readTexts, saveEncoder } from './mlm.js';

export interface LmCommandOptions {
  /** Text sources (labels ignored), in order: each text is cut into windows of maxLength ids. */
  data: string[];
  out: string;
  arch?: 'bigru' | 'bilstm';
  /** Sources whose words make the vocabulary (default: data). */
  vocabFrom?: string[];
  minFrequency?: number;
  maxVocab?: number;
  wordVectors?: string;
  vectorVocab?: number;
  embeddingDim?: number;
  units?: number;
  maxLength?: number;
  steps?: number;
  batchSize?: number;
  negatives?: number;
  learningRate?: number;
  seed?: number;
  log?: (line: string) => void;
  command?: string;
}

/** Windows shorter than this many ids are dropped: too little context to predict from. */
const MIN_WINDOW = 5;

export async function lmPretrainCommand(o: LmCommandOptions): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const backend = (await ready()).selected;
  const arch = o.arch ?? 'bigru';
  if (arch !== 'bigru' && arch !== 'bilstm') throw invalidOption('--arch', arch, "'bigru' | 'bilstm' (the recurrent classifiers' body)");
  const seed = o.seed ?? 0;
  // Option checks first: the texts and vectors take seconds to minutes to read.
  const vectorVocab = checkInt('--vector-vocab', o.vectorVocab ?? 0, 0);
  if (vectorVocab > 0 && !o.wordVectors) throw invalidOption('--vector-vocab', vectorVocab, '0 unless --word-vectors is given (the extra words come from them)');
  const wv = o.wordVectors ? await loadWordVectors(o.wordVectors) : undefined;
  if (wv && o.embeddingDim !== undefined && o.embeddingDim !== wv.dim) throw invalidOption('--dim', o.embeddingDim, `${wv.dim} (the dimension of the word vectors)`);
  const texts = await readTexts(o.data, o.log);
  const vocabTexts = o.vocabFrom ? await readTexts(o.vocabFrom, o.log) : texts;
  let tok = WordTokenizer.fit(vocabTexts, { minFrequency: o.minFrequency ?? 2, maxSize: o.maxVocab });
  if (wv && vectorVocab > 0) tok = tok.withWords(wv.vectors.keys(), vectorVocab);
  const spec = resolveSpec({ arch, numClasses: 2, vocabSize: tok.vocabSize, maxLength: o.maxLength ?? 64, embeddingDim: wv?.dim ?? o.embeddingDim ?? 100, units: o.units });
  const T = spec.maxLength;
  const seqs: number[][] = [];
  for (const text of texts) {
    const ids = tok.encode(text);
    for (let i = 0; i < ids.length; i += T) {
      const w = ids.slice(i, i + T);
      if (w.length >= MIN_WINDOW) seqs.push(w);
    }
  }
  if (seqs.length === 0) throw new DlkitError('INVALID_INPUT', `No text in ${o.data.join(',')} has ${MIN_WINDOW} or more tokens to pretrain on.`);
  o.log?.(`vocabulary ${tok.vocabSize}${wv ? ` (${vectorVocab} from ${o.wordVectors})` : ''}, ${seqs.length} windows of ≤ ${T} ids; backend ${backend}`);
  const embedding = wv ? embeddingMatrix([...tok.words], wv, seed).matrix : undefined;
  const body = buildBiLmBody({ arch, vocabSize: tok.vocabSize, embeddingDim: spec.embeddingDim, units: spec.units, embedding, seed });
  try {
    const log = await pretrainBiLm(body, seqs, {
      steps: o.steps,
      batchSize: o.batchSize,
      negatives: o.negatives,
      learningRate: o.learningRate,
      seed,
      logEvery: 25,
      onLog: (step, loss) => o.log?.(`step ${step}: lm loss ${loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
    });
    const seconds = await saveEncoder(body, { task: LM_TASK, lossName: 'Lm', spec, tokenizer: tok, log, examples: seqs.length, options: o, t0, backend });
    return { out: o.out, vocabulary: tok.vocabSize, windows: seqs.length, firstLoss: log[0]!.loss, finalLoss: log.at(-1)!.loss, seconds, backend };
  } finally {
    body.dispose();
  }
}

/**
 * Averaging ensembles of trained classifiers, merged into ONE tfjs graph over one vocabulary, so the
 * result is an ordinary SentimentClassifier (save/load/predict/eval/browser unchanged). Exact: each
 * member sees the ids it would have seen alone — a word only another member knows gets this
 * member's [UNK] row — so the ensemble's probabilities are the mean of the members'.
 */
import { DlkitError, invalidOption, tf } from '@dlkit/core';
import { SentimentClassifier } from './classifier.js';
import { buildTextModel, memberPrefix, resolveSpec, STATIC_EMBEDDING, type TextModelSpec } from './models/build.js';
import { WordTokenizer } from './tokenizers/word.js';

/** The tokenizer options that change how text becomes tokens (vocabulary size limits do not). */
function encodingOptions(t: WordTokenizer): string {
  const o = t.options;
  return JSON.stringify([o.lowercase ?? true, o.stripHtml ?? true, o.punctuation ?? 'keep', o.ngrams ?? 1]);
}

/** `member`'s embedding rows re-indexed by `union`'s vocabulary ([UNK]'s row for words it lacks). */
function remapEmbedding(weights: tf.Tensor, member: WordTokenizer, union: WordTokenizer): tf.Tensor {
  return tf.tidy(() => {
    const rows = union.words.map((w) => member.tokenId(w));
    return tf.gather(weights, tf.tensor1d(rows, 'int32'));
  });
}

export function ensembleClassifiers(members: readonly SentimentClassifier[]): SentimentClassifier {
  if (!Array.isArray(members) || members.length < 2) throw invalidOption('members', members?.length, 'at least 2 trained classifiers');
  const states = members.map((m) => m.state());
  const first = states[0]!;
  const toks = members.map((m, i) => {
    const t = m.tokenizer;
    if (!(t instanceof WordTokenizer)) throw invalidOption(`members[${i}].tokenizer`, t.kind, "'word' (the members' vocabularies are merged)");
    if (encodingOptions(t) !== encodingOptions(members[0]!.tokenizer as WordTokenizer)) {
      throw invalidOption(`members[${i}].tokenizer.options`, t.options, `the same lowercase/stripHtml/punctuation/ngrams as members[0] (${encodingOptions(members[0]!.tokenizer as WordTokenizer)})`);
    }
    if ((t.options.ngrams ?? 1) !== 1) throw invalidOption(`members[${i}].tokenizer.options.ngrams`, t.options.ngrams, '1 (n-gram ids cannot be merged)');
    return t;
  });
  states.forEach((s, i) => {
    if (s.labels.join('\u0000') !== first.labels.join('\u0000')) throw invalidOption(`members[${i}].labels`, s.labels, JSON.stringify(first.labels));
    if (s.truncation !== first.truncation) throw invalidOption(`members[${i}].truncation`, s.truncation, first.truncation);
    if (s.spec.maxLength !== first.spec.maxLength) throw invalidOption(`members[${i}].maxLength`, s.spec.maxLength, `${first.spec.maxLength} (every member must see the same ids)`);
    if (s.spec.arch === 'transformer' || s.spec.arch === 'ensemble') throw invalidOption(`members[${i}].arch`, s.spec.arch, 'fasttext, cnn, bilstm, bigru or sentence');
  });
  const union = toks.slice(1).reduce((u, t) => u.withWords(t.words), toks[0]!);
  const memberSpecs: TextModelSpec[] = states.map(({ spec: { vocabSize: _v, numClasses: _n, maxLength: _m, members: _e, ...rest } }) => rest);
  // Hybrid members (text model + sentence-encoder vector) share one sentence input.
  const hybrid = members.find((m) => m.sentenceEncoder !== undefined);
  const hybridSpec = hybrid?.state().spec;
  const sentence = hybridSpec ? { sentenceEncoder: hybridSpec.sentenceEncoder, sentenceDim: hybridSpec.sentenceDim } : {};
  const spec = { arch: 'ensemble' as const, vocabSize: union.vocabSize, numClasses: first.labels.length, maxLength: first.spec.maxLength, members: memberSpecs, ...sentence };
  const model = buildTextModel(spec);
  try {
    members.forEach((m, i) => {
      for (const layer of m.model.layers) {
        const weights = layer.getWeights();
        if (!weights.length) continue;
        const target = model.getLayer(`${memberPrefix(i)}${layer.name}`);
        if (layer.name === 'embedding' || layer.name === STATIC_EMBEDDING) {
          const remapped = remapEmbedding(weights[0]!, toks[i]!, union);
          target.setWeights([remapped]);
          remapped.dispose();
        } else target.setWeights(weights);
      }
    });
  } catch (e) {
    model.dispose();
    if (e instanceof DlkitError) throw e;
    throw new DlkitError('SHAPE_MISMATCH', `Could not copy a member's weights into the ensemble: ${(e as Error).message}`, { hint: 'Members must be classifiers saved by this version of @dlkit/text.' });
  }
  // The card stores the fully resolved spec, like every other classifier's.
  return SentimentClassifier.fromState(model, { labels: first.labels, truncation: first.truncation, tokenizer: union.toJSON(), spec: resolveSpec(spec) }, { sentenceEmbedder: hybrid?.sentenceEmbedder });
}

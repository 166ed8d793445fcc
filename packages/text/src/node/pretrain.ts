/**
 * `dlkit sentiment pretrain --objective word2vec`: word vectors from unlabelled text (the texts
 * of any labelled sources, labels ignored), written in word2vec text format for
 * `train --word-vectors`.
 */
import { ready } from '@dlkit/core';
import { atomicWriteFile } from '@dlkit/core/node';
import { wordTokens } from '../tokenizers/normalize.js';
import { formatWordVectors, trainWord2Vec } from '../word2vec.js';
import { readLabelledText } from './labelled-data.js';

export interface Word2VecCommandOptions {
  /** Sources as for train --data (registry names may carry :split). */
  data: string[];
  out: string;
  dim?: number;
  window?: number;
  epochs?: number;
  minCount?: number;
  seed?: number;
  log?: (line: string) => void;
  command?: string;
}

export async function word2vecCommand(o: Word2VecCommandOptions): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  await ready();
  const docs: string[][] = [];
  for (const src of o.data) {
    const examples = await readLabelledText(src, ['negative', 'positive']);
    for (const e of examples) docs.push(wordTokens(e.text));
    o.log?.(`${src}: ${examples.length} texts`);
  }
  const tokens = docs.reduce((s, d) => s + d.length, 0);
  o.log?.(`word2vec on ${docs.length} texts, ${tokens} tokens`);
  const wv = trainWord2Vec(docs, {
    dim: o.dim,
    window: o.window,
    epochs: o.epochs,
    minCount: o.minCount,
    seed: o.seed,
    onEpoch: (e, s) => o.log?.(`epoch ${e}: ${s.toFixed(1)} s`),
  });
  await atomicWriteFile(o.out, formatWordVectors(wv));
  const result = { out: o.out, words: wv.vectors.size, dim: wv.dim, texts: docs.length, tokens, seconds: +((performance.now() - t0) / 1000).toFixed(1), command: o.command };
  // Provenance next to the vectors; `train --word-vectors` copies it into the model card.
  await atomicWriteFile(`${o.out}.meta.json`, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

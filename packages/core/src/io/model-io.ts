/**
 * saveModel / loadModel / readModelCard: a saved model is a directory holding model.json,
 * weights.bin and model-card.json (task, labels, metrics, weight checksums). See model-dir.ts for
 * the crash-safety protocol.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DlkitError, isDlkitError } from '../errors.js';
import { createModelCard, type ModelCard, type ModelCardWeightsEntry, validateModelCard } from '../model-card.js';
import { tf } from '../tf.js';
import { fsyncDir, writeFileSynced } from './atomic.js';
import { fileSystem, MODEL_JSON } from './file-system.js';
import { sha256File } from './hash.js';
import { cleanStaleSiblings, isDir, oldName, recoverModelDir, tmpName } from './model-dir.js';
import { loadModelFromHttp } from './model-http.js';
import { type QuantizeOptions, quantizingHandler } from './quantize.js';

export const MODEL_CARD = 'model-card.json';

/** Points in saveModel where tests inject failures. */
export type SaveStep = 'tmp-created' | 'tmp-written' | 'card-written' | 'old-moved' | 'swapped';
/** Return 'crash' to stop right there with no cleanup (as if the process died); throw to test error handling. */
export type SaveHook = (step: SaveStep, paths: { dir: string; tmp: string; old?: string }) => undefined | 'crash' | Promise<undefined | 'crash'>;

let saveHook: SaveHook | undefined;

/** Internal, for tests only: observe or break saveModel between its steps. */
export function setSaveHookForTests(hook: SaveHook | undefined): void {
  saveHook = hook;
}

/** Thrown by a 'crash' hook; saveModel skips all cleanup for it. */
export class SimulatedCrash extends Error {}

export interface SaveModelOptions {
  /** Store (some) float32 weights as uint8/float16 (4×/2× smaller files; tfjs dequantizes on load). */
  quantize?: QuantizeOptions;
}

export async function saveModel(model: tf.LayersModel, dir: string, card?: Partial<ModelCard> & { task?: string }, options: SaveModelOptions = {}): Promise<ModelCard> {
  const target = resolve(dir);
  await mkdir(dirname(target), { recursive: true });
  await recoverModelDir(target);
  await cleanStaleSiblings(target);
  const tmp = tmpName(target);
  let old: string | undefined;
  const step = async (name: SaveStep) => {
    if (saveHook && (await saveHook(name, { dir: target, tmp, old })) === 'crash') throw new SimulatedCrash(`simulated crash at ${name}`);
  };
  try {
    await mkdir(tmp);
    await step('tmp-created');
    await model.save(options.quantize ? quantizingHandler(fileSystem(tmp), options.quantize) : fileSystem(tmp));
    await step('tmp-written');
    const weights: ModelCardWeightsEntry[] = [];
    for (const name of (await readdir(tmp)).filter((n) => n !== MODEL_JSON).sort()) {
      const p = join(tmp, name);
      weights.push({ path: name, sha256: await sha256File(p), bytes: statSync(p).size });
    }
    const full = createModelCard({ ...card, task: card?.task ?? 'unknown', weights, created: new Date().toISOString(), versions: undefined });
    await writeFileSynced(join(tmp, MODEL_CARD), `${JSON.stringify(full, null, 2)}\n`);
    await fsyncDir(tmp);
    await step('card-written');
    if (existsSync(target)) {
      old = oldName(target);
      await rename(target, old);
    }
    await step('old-moved');
    await rename(tmp, target);
    await fsyncDir(dirname(target));
    await step('swapped');
    if (old) await rm(old, { recursive: true, force: true });
    return full;
  } catch (e) {
    if (e instanceof SimulatedCrash) throw e;
    // Put the previous checkpoint back if we had moved it away, then drop the half-written tmp.
    if (old && !existsSync(target) && existsSync(old)) await rename(old, target).catch(() => {});
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    if (isDlkitError(e)) throw e;
    throw new DlkitError('IO_ERROR', `Could not save the model to ${target}: ${(e as Error).message}.`, {
      hint: 'Check that the parent directory is writable and the disk is not full; the previous checkpoint (if any) is intact.',
      cause: e,
      details: { file: target },
    });
  }
}

async function readCardFile(path: string): Promise<ModelCard> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DlkitError('NOT_FOUND', `Model card ${path} does not exist.`, {
        hint: 'Save the model with saveModel (it writes model-card.json), or check the directory.',
        cause: e,
        details: { file: path },
      });
    }
    throw new DlkitError('IO_ERROR', `Could not read ${path}: ${(e as Error).message}.`, { cause: e, details: { file: path } });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `Model card ${path} is not valid JSON: ${(e as Error).message}.`, {
      hint: 'Fix or regenerate model-card.json.',
      cause: e,
      details: { file: path },
    });
  }
  return validateModelCard(json, path);
}

/** Reads and validates `${dir}/model-card.json` (also accepts the path of the card itself). */
export async function readModelCard(dir: string): Promise<ModelCard> {
  const p = resolve(dir);
  return readCardFile(p.endsWith('.json') && !isDir(p) ? p : join(p, MODEL_CARD));
}

export interface LoadModelOptions {
  /** Check weight files against the card's sha256 (default true). */
  verify?: boolean;
  /** Set model.trainable after loading. */
  trainable?: boolean;
}

function localPath(source: string): string {
  if (!/^file:\/\//i.test(source)) return source;
  try {
    return fileURLToPath(source);
  } catch {
    return source.slice('file://'.length); // tfjs-node style relative `file://models/x`
  }
}

/**
 * Loads a layers model from a directory, a model.json path, `file://`, `http(s)://.../model.json`,
 * or any tfjs scheme (`indexeddb://`, `localstorage://`). Returns the card when one exists.
 */
export async function loadModel(source: string, opts: LoadModelOptions = {}): Promise<{ model: tf.LayersModel; card: ModelCard | undefined }> {
  const verify = opts.verify ?? true;
  let result: { model: tf.LayersModel; card: ModelCard | undefined };
  if (/^https?:\/\//i.test(source)) {
    result = await loadModelFromHttp(source, verify, MODEL_CARD);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !/^file:\/\//i.test(source)) {
    try {
      result = { model: await tf.loadLayersModel(source), card: undefined };
    } catch (e) {
      throw new DlkitError('IO_ERROR', `Could not load a model from ${source}: ${(e as Error).message}.`, { cause: e, details: { source } });
    }
  } else {
    result = await loadLocal(resolve(localPath(source)), verify);
  }
  if (opts.trainable !== undefined) result.model.trainable = opts.trainable;
  return result;
}

async function loadLocal(path: string, verify: boolean): Promise<{ model: tf.LayersModel; card: ModelCard | undefined }> {
  let dir = path;
  let jsonName = MODEL_JSON;
  if (path.toLowerCase().endsWith('.json') && !isDir(path)) {
    dir = dirname(path);
    jsonName = basename(path);
  }
  if (!isDir(dir)) await recoverModelDir(dir);
  if (!isDir(dir)) {
    throw new DlkitError('NOT_FOUND', `No model at ${path}: ${existsSync(dir) ? 'not a directory' : 'the path does not exist'}.`, {
      hint: 'Pass a directory written by saveModel (holding model.json), a model.json path, or an http(s):// URL.',
      details: { file: path },
    });
  }
  const cardPath = join(dir, MODEL_CARD);
  const card = existsSync(cardPath) ? await readCardFile(cardPath) : undefined;
  const expected = verify ? card?.weights : undefined;
  const handler = fileSystem(dir, { modelJson: jsonName, expectedWeights: expected });
  const model = await buildModel(handler, join(dir, jsonName));
  return { model, card };
}

/** tf.loadLayersModel with its errors turned into CORRUPT_DATA naming the model.json. */
export async function buildModel(handler: tf.io.IOHandler, source: string): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(handler);
  } catch (e) {
    if (isDlkitError(e)) throw e;
    throw new DlkitError('CORRUPT_DATA', `Could not build a model from ${source}: ${(e as Error).message}.`, {
      hint: 'The topology or weights do not match a tfjs layers model; re-save or re-download it.',
      cause: e,
      details: { file: source },
    });
  }
}

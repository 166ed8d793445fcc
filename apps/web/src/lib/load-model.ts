/**
 * Loads a saved dlkit model directory over HTTP in the browser: model.json, model-card.json and
 * the weight files, with one progress callback over all of them, and each weight file checked
 * against the card's sha256 (Web Crypto) before any tensor exists — the browser twin of core's
 * Node loadModel, which cannot ship to the browser (it hashes with node:crypto).
 */
import { DlkitError, type ModelCard, tf, validateModelCard } from '@dlkit/core';
import { fetchBytes, fetchJson, type OnProgress } from './fetch.js';

export interface LoadedFiles {
  json: tf.io.ModelJSON;
  card: ModelCard | undefined;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `base` is the directory URL (ending in '/'). */
export async function loadModelFiles(base: string, onProgress?: OnProgress, options: { card?: boolean } = {}): Promise<LoadedFiles> {
  const dir = new URL(base, location.href).href;
  const json = await fetchJson<tf.io.ModelJSON>(new URL('model.json', dir).href);
  if (!json || typeof json !== 'object' || !Array.isArray(json.weightsManifest)) {
    throw new DlkitError('CORRUPT_DATA', `${dir}model.json is not a tfjs model (no weightsManifest).`, { details: { url: dir } });
  }
  let card: ModelCard | undefined;
  if (options.card !== false) {
    const url = new URL('model-card.json', dir).href;
    card = validateModelCard(await fetchJson(url), url);
  }
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  // Progress over all weight files: sizes from the card when it has them.
  const sizes = new Map(card?.weights?.map((w) => [w.path, w.bytes]) ?? []);
  const total = paths.reduce((s, p) => s + (sizes.get(p) ?? 0), 0);
  let done = 0;
  const parts: Uint8Array[] = [];
  for (const p of paths) {
    const url = new URL(p, dir).href;
    const bytes = await fetchBytes(url, (e) => onProgress?.({ url: dir, loaded: done + e.loaded, total: total || e.total }));
    done += bytes.byteLength;
    const expected = card?.weights?.find((w) => w.path === p);
    if (expected) {
      const got = await sha256Hex(bytes);
      if (got !== expected.sha256 || bytes.byteLength !== expected.bytes) {
        throw new DlkitError('CHECKSUM_MISMATCH', `${url}: sha256 ${got} (${bytes.byteLength} bytes) does not match model-card.json (${expected.sha256}, ${expected.bytes} bytes).`, {
          hint: 'The file is corrupt or from another model version; re-download or re-save the model.',
          details: { url },
        });
      }
    }
    parts.push(bytes);
  }
  const weightData = new Uint8Array(parts.reduce((s, b) => s + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    weightData.set(b, at);
    at += b.byteLength;
  }
  return { json, card, weightSpecs, weightData: weightData.buffer };
}

/** A tfjs layers model (and its card) from a model directory URL. */
export async function loadLayersModel(base: string, onProgress?: OnProgress, options: { card?: boolean } = {}): Promise<{ model: tf.LayersModel; card: ModelCard | undefined }> {
  const f = await loadModelFiles(base, onProgress, options);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: f.json.modelTopology,
    weightSpecs: f.weightSpecs,
    weightData: f.weightData,
    format: f.json.format,
    generatedBy: f.json.generatedBy,
    convertedBy: f.json.convertedBy,
    ...(f.json.trainingConfig ? { trainingConfig: f.json.trainingConfig } : {}),
  };
  try {
    return { model: await tf.loadLayersModel(tf.io.fromMemory(artifacts)), card: f.card };
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `Could not build a model from ${base}: ${(e as Error).message}.`, { cause: e });
  }
}

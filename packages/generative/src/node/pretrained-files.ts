/** Node resolution of pretrained generator files: `modelDir` → DLKIT_MODEL_DIR → cache → canonical URL. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DlkitError, tf } from '@dlkit/core';
import { resolveAsset } from '@dlkit/core/node';
import { type PretrainedLoader, setPretrainedLoader } from '../cvae.js';
import type { PretrainedGenerator } from '../pretrained.js';

async function fileOf(spec: PretrainedGenerator, path: string, modelDir?: string): Promise<string> {
  if (modelDir) {
    const p = join(modelDir, spec.folder, path);
    if (existsSync(p)) return p;
  }
  return (await resolveAsset({ kind: 'model', name: spec.folder, path, urls: [spec.baseUrl + path] })).path;
}

export const loadPretrainedFiles: PretrainedLoader = async (spec, options) => {
  const manifestPath = await fileOf(spec, spec.manifest, options.modelDir);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { model?: string; labels?: string[] };
  if (typeof manifest.model !== 'string' || !Array.isArray(manifest.labels)) {
    throw new DlkitError('CORRUPT_DATA', `${manifestPath} should hold {"model": "<path of model.json>", "labels": [...]}.`, { details: { file: manifestPath } });
  }
  const modelJson = await fileOf(spec, manifest.model, options.modelDir);
  const json = JSON.parse(await readFile(modelJson, 'utf8')) as tf.io.ModelJSON;
  // Shards are resolved one by one (each may come from a different source), then loaded from memory.
  const base = dirname(manifest.model);
  const parts: Uint8Array[] = [];
  for (const g of json.weightsManifest) for (const p of g.paths) parts.push(new Uint8Array(await readFile(await fileOf(spec, base === '.' ? p : `${base}/${p}`, options.modelDir))));
  const data = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: data.buffer }),
  );
  return { model, labels: manifest.labels };
};

setPretrainedLoader(loadPretrainedFiles);

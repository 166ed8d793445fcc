/**
 * Node resolution of pretrained weights: `modelDir` option → DLKIT_MODEL_DIR → cache → download
 * from the manifest's pinned upstream URL (core's resolveAsset: resume, checksum, atomic rename,
 * DLKIT_OFFLINE). Layers models are loaded from memory so their input size can be changed;
 * Keras weight manifests (MobileNet) are assigned by layer name to a model built in code.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DlkitError, tf } from '@dlkit/core';
import { resolveAsset, sha256Bytes } from '@dlkit/core/node';
import { assignWeightsByName, mobileNetV1 } from '../architectures/mobilenet-v1.js';
import type { PretrainedFiles } from '../hooks.js';
import { type PretrainedSpec, parseLabels, pretrainedSpec } from '../pretrained.js';

async function fileOf(spec: PretrainedSpec, path: string, modelDir: string | undefined, url: string, sha256?: string): Promise<string> {
  if (modelDir) {
    const p = join(modelDir, spec.folder, path);
    if (existsSync(p)) return p;
  }
  // model.json is checksummed (the manifest pins it); it in turn lists every shard and its tensors.
  return (await resolveAsset({ kind: 'model', name: spec.folder, path, urls: [url], ...(sha256 ? { sha256 } : {}) }, { verify: sha256 !== undefined })).path;
}

interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

async function readWeights(spec: PretrainedSpec, manifest: WeightsGroup[], modelDir: string | undefined): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const parts: Uint8Array[] = [];
  for (const g of manifest) for (const p of g.paths) parts.push(new Uint8Array(await readFile(await fileOf(spec, p, modelDir, spec.baseUrl + p))));
  const total = parts.reduce((a, p) => a + p.length, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  return { specs: manifest.flatMap((g) => g.weights), data: data.buffer };
}

function topologyLayers(topology: Record<string, unknown>): { config: Record<string, unknown> }[] {
  const cfg = ((topology.model_config as Record<string, unknown> | undefined) ?? topology).config as { layers: { config: Record<string, unknown> }[] } | { config: Record<string, unknown> }[];
  return Array.isArray(cfg) ? cfg : cfg.layers;
}

/** Set the input size of a layers-model topology (functional or sequential). */
function patchInputSize(topology: Record<string, unknown>, size: [number, number]): void {
  const first = topologyLayers(topology)[0]!.config;
  const shape = first.batch_input_shape as (number | null)[];
  first.batch_input_shape = [shape[0] ?? null, size[0], size[1], shape[3]];
}

/** DoodleNet's export repeats the model's input shape on its second conv; tfjs warns about it on every load. */
function dropStrayInputShapes(topology: Record<string, unknown>): void {
  const className = (topology.model_config as { class_name?: string } | undefined)?.class_name ?? topology.class_name;
  if (className !== 'Sequential') return;
  for (const l of topologyLayers(topology).slice(1)) delete l.config.batch_input_shape;
}

export async function loadPretrainedFiles(id: string, o: { modelDir?: string; inputSize?: [number, number] }): Promise<PretrainedFiles> {
  const spec = pretrainedSpec(id);
  const modelJsonPath = await fileOf(spec, 'model.json', o.modelDir, `${spec.baseUrl}model.json`, spec.modelJsonSha256 || undefined);
  const bytes = await readFile(modelJsonPath);
  let json: { modelTopology: Record<string, unknown> | null; weightsManifest: WeightsGroup[] };
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `${modelJsonPath} is not valid JSON (sha256 ${sha256Bytes(bytes)}).`, { cause: e, details: { file: modelJsonPath } });
  }
  const labelsPath = await fileOf(spec, spec.labels.path, o.modelDir, spec.labels.url);
  const labels = parseLabels(await readFile(labelsPath, 'utf8'), spec.labels.format, labelsPath);
  const { specs, data } = await readWeights(spec, json.weightsManifest, o.modelDir);
  let model: tf.LayersModel;
  if (spec.format === 'layers') {
    if (!json.modelTopology) throw new DlkitError('CORRUPT_DATA', `${modelJsonPath} has no modelTopology.`, { details: { file: modelJsonPath } });
    if (o.inputSize) patchInputSize(json.modelTopology, o.inputSize);
    dropStrayInputShapes(json.modelTopology);
    try {
      model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: data }));
    } catch (e) {
      throw new DlkitError('CORRUPT_DATA', `Could not build ${spec.id} from ${modelJsonPath}: ${(e as Error).message}.`, { cause: e, details: { file: modelJsonPath } });
    }
  } else {
    const size = o.inputSize ?? spec.preprocessing.size;
    const named = tf.io.decodeWeights(data, specs);
    try {
      model = mobileNetV1({ alpha: spec.alpha, inputShape: [size[0], size[1], 3], classes: labels.length });
      try {
        assignWeightsByName(model, named, modelJsonPath);
      } catch (e) {
        model.dispose();
        throw e;
      }
    } finally {
      tf.dispose(Object.values(named));
    }
  }
  const classes = model.outputs[0]!.shape.at(-1);
  if (classes !== labels.length) {
    model.dispose();
    throw new DlkitError('CORRUPT_DATA', `${spec.id}: ${labels.length} labels in ${labelsPath} but the model has ${classes} outputs.`, { details: { file: labelsPath } });
  }
  return { model, labels };
}

/**
 * Turning a tfjs `model.json` plus its weight files into ModelArtifacts, shared by the file and
 * HTTP loaders: strict parsing (CORRUPT_DATA naming the file), weight-size checks against the
 * manifest, and sha256 checks against the model card before any tensor exists.
 */
import { DlkitError } from '../errors.js';
import type { ModelCardWeightsEntry } from '../model-card.js';
import { tf } from '../tf.js';
import { sha256Bytes } from './hash.js';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** Parses model.json text; CORRUPT_DATA naming `source` when it is not a tfjs layers model. */
export function parseModelJson(text: string, source: string): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `${source} is not valid JSON: ${(e as Error).message}.`, {
      hint: 'Re-save or re-download the model; model.json is written by saveModel / the tfjs converter.',
      cause: e,
      details: { file: source },
    });
  }
  const fail = (what: string): never => {
    throw new DlkitError('CORRUPT_DATA', `${source} is not a tfjs layers model: ${what}.`, {
      hint: 'Point loadModel at a directory written by saveModel or a tfjs layers-model model.json.',
      details: { file: source },
    });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('expected a JSON object');
  const m = json as Record<string, unknown>;
  if (typeof m.modelTopology !== 'object' || m.modelTopology === null) fail('"modelTopology" is missing or null');
  if (m.weightsManifest !== undefined) {
    if (!Array.isArray(m.weightsManifest)) fail('"weightsManifest" must be an array');
    for (const [i, g] of (m.weightsManifest as unknown[]).entries()) {
      const group = g as { paths?: unknown; weights?: unknown };
      if (!Array.isArray(group?.paths) || !group.paths.every((p) => typeof p === 'string')) fail(`weightsManifest[${i}].paths must be an array of strings`);
      if (!Array.isArray(group.weights)) fail(`weightsManifest[${i}].weights must be an array`);
    }
  }
  return json as tf.io.ModelJSON;
}

function specBytes(spec: tf.io.WeightsManifestEntry): number | undefined {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = DTYPE_BYTES[dtype];
  return per === undefined ? undefined : n * per;
}

/**
 * Builds artifacts, reading each weight file through `readWeight`. `expected` (from the card)
 * maps file name → sha256/bytes; a mismatch is CHECKSUM_MISMATCH naming the file.
 */
export async function artifactsFromJson(
  modelJson: tf.io.ModelJSON,
  source: string,
  readWeight: (path: string) => Promise<Uint8Array>,
  describe: (path: string) => string,
  expected?: ModelCardWeightsEntry[],
): Promise<tf.io.ModelArtifacts> {
  const byPath = new Map((expected ?? []).map((w) => [w.path, w]));
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      let groupBytes = 0;
      for (const path of group.paths) {
        const bytes = await readWeight(path);
        const want = byPath.get(path);
        if (want) {
          const actual = sha256Bytes(bytes);
          if (bytes.byteLength !== want.bytes || actual !== want.sha256) {
            throw new DlkitError(
              'CHECKSUM_MISMATCH',
              `Weights file ${describe(path)} does not match its model card: expected sha256 ${want.sha256} (${want.bytes} bytes), got ${actual} (${bytes.byteLength} bytes).`,
              { hint: 'The file is corrupt or was modified; re-save or re-download the model (or pass verify: false to load it anyway).', details: { file: describe(path), expected: want.sha256, actual } },
            );
          }
        }
        groupBytes += bytes.byteLength;
        // Copy into an exact-size ArrayBuffer (Node Buffers may share a larger pool).
        buffers.push(bytes.slice().buffer as ArrayBuffer);
      }
      const sizes = group.weights.map(specBytes);
      if (sizes.every((s) => s !== undefined)) {
        const need = (sizes as number[]).reduce((a, b) => a + b, 0);
        if (need !== groupBytes) {
          throw new DlkitError(
            'CORRUPT_DATA',
            `Weights ${group.paths.map(describe).join(', ')} hold ${groupBytes} bytes but ${source} describes ${need} bytes.`,
            { hint: 'The weight files are truncated or do not belong to this model.json; re-save or re-download the model.', details: { file: group.paths.map(describe), expected: need, actual: groupBytes } },
          );
        }
      }
      specs.push(...group.weights);
    }
    return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
  });
}

/** The model.json object tfjs expects for artifacts saved as one `weightsFile`. */
export function modelJsonFor(artifacts: tf.io.ModelArtifacts, weightsFile: string): tf.io.ModelJSON {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new DlkitError('UNSUPPORTED', 'Saving a model with a binary (GraphDef) topology is not supported; only layers models can be saved.');
  }
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature) json.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer) json.modelInitializer = artifacts.modelInitializer;
  if (artifacts.initializerSignature) json.initializerSignature = artifacts.initializerSignature;
  return json;
}

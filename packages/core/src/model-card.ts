/**
 * The model card: the self-description stored as `model-card.json` next to every saved model,
 * so `load()` needs nothing else (task, labels, preprocessing, metrics, provenance, weight
 * checksums). Browser-safe: plain types and validation, no fs.
 */
import { DlkitError } from './errors.js';
import { tf } from './tf.js';

/** Version of dlkit written into cards. Kept in step with packages/core/package.json. */
export const DLKIT_VERSION = '0.1.0';

export interface ModelCardWeightsEntry {
  /** File name relative to the model directory. */
  path: string;
  /** Lower-case hex sha256 of the file. */
  sha256: string;
  bytes: number;
}

export interface ModelCard {
  schema: 1;
  name?: string;
  /** Task id, e.g. 'image-classification'. */
  task: string;
  labels?: string[];
  preprocessing?: Record<string, unknown>;
  metrics?: Record<string, number | Record<string, unknown>>;
  dataset?: { name: string; split?: string; examples?: number };
  training?: {
    command?: string;
    epochs?: number;
    wallTimeSeconds?: number;
    backend?: string;
    date?: string;
    hyperparameters?: Record<string, unknown>;
  };
  versions: { dlkit: string; tfjs: string; node?: string };
  /** ISO date. */
  created: string;
  /** Filled in by saveModel. */
  weights?: ModelCardWeightsEntry[];
  extra?: Record<string, unknown>;
}

function nodeVersion(): string | undefined {
  return (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
}

/** A complete card from the fields you know; versions and `created` are filled in. */
export function createModelCard(partial: Partial<ModelCard> & { task: string }): ModelCard {
  const node = nodeVersion();
  const versions = {
    dlkit: DLKIT_VERSION,
    tfjs: tf.version.tfjs,
    ...(node ? { node } : {}),
    ...partial.versions,
  };
  const card: ModelCard = { ...partial, schema: 1, task: partial.task, versions, created: partial.created ?? new Date().toISOString() };
  return validateModelCard(card, 'createModelCard()');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a parsed `model-card.json`; returns it typed or throws CORRUPT_DATA naming `source`
 * (a file or URL) and the offending field.
 */
export function validateModelCard(json: unknown, source: string): ModelCard {
  // Explicitly typed so TypeScript narrows after `fail(...)` calls.
  const fail: (field: string, problem: string) => never = (field, problem) => {
    throw new DlkitError('CORRUPT_DATA', `Invalid model card ${source}: field "${field}" ${problem}.`, {
      hint: 'Fix or regenerate model-card.json (saveModel writes a valid one).',
      details: { file: source, field },
    });
  };
  if (!isObject(json)) fail('(root)', `must be a JSON object, got ${Array.isArray(json) ? 'an array' : typeof json}`);
  const c = json;
  if (c.schema !== 1) fail('schema', `must be 1, got ${JSON.stringify(c.schema)}`);
  if (typeof c.task !== 'string' || c.task === '') fail('task', 'must be a non-empty string');
  if (c.name !== undefined && typeof c.name !== 'string') fail('name', 'must be a string');
  if (typeof c.created !== 'string' || Number.isNaN(Date.parse(c.created))) fail('created', 'must be an ISO date string');
  if (!isObject(c.versions)) fail('versions', 'must be an object {dlkit, tfjs, node?}');
  const v = c.versions as Record<string, unknown>;
  if (typeof v.dlkit !== 'string') fail('versions.dlkit', 'must be a string');
  if (typeof v.tfjs !== 'string') fail('versions.tfjs', 'must be a string');
  if (v.node !== undefined && typeof v.node !== 'string') fail('versions.node', 'must be a string');
  if (c.labels !== undefined) {
    if (!Array.isArray(c.labels)) fail('labels', 'must be an array of strings');
    (c.labels as unknown[]).forEach((l, i) => {
      if (typeof l !== 'string') fail(`labels[${i}]`, 'must be a string');
    });
  }
  for (const key of ['preprocessing', 'extra', 'training'] as const) {
    if (c[key] !== undefined && !isObject(c[key])) fail(key, 'must be an object');
  }
  if (c.metrics !== undefined) {
    if (!isObject(c.metrics)) fail('metrics', 'must be an object');
    for (const [k, m] of Object.entries(c.metrics as Record<string, unknown>)) {
      if (typeof m !== 'number' && !isObject(m)) fail(`metrics.${k}`, 'must be a number or an object');
    }
  }
  if (c.dataset !== undefined) {
    if (!isObject(c.dataset)) fail('dataset', 'must be an object {name, split?, examples?}');
    const d = c.dataset as Record<string, unknown>;
    if (typeof d.name !== 'string') fail('dataset.name', 'must be a string');
    if (d.split !== undefined && typeof d.split !== 'string') fail('dataset.split', 'must be a string');
    if (d.examples !== undefined && typeof d.examples !== 'number') fail('dataset.examples', 'must be a number');
  }
  if (c.weights !== undefined) {
    if (!Array.isArray(c.weights)) fail('weights', 'must be an array of {path, sha256, bytes}');
    for (const [i, w] of (c.weights as unknown[]).entries()) {
      if (!isObject(w)) fail(`weights[${i}]`, 'must be an object {path, sha256, bytes}');
      if (typeof w.path !== 'string' || w.path === '') fail(`weights[${i}].path`, 'must be a non-empty string');
      if (typeof w.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(w.sha256)) fail(`weights[${i}].sha256`, 'must be 64 lower-case hex digits');
      if (typeof w.bytes !== 'number' || !Number.isInteger(w.bytes) || w.bytes < 0) fail(`weights[${i}].bytes`, 'must be a non-negative integer');
    }
  }
  return c as unknown as ModelCard;
}

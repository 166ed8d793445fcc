/**
 * saveModel / loadModel / readModelCard / fileSystem: exact round trips, the card, error codes
 * naming the file, crash safety with injected failures, multi-shard converter models, memory.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DlkitError, selectBackend, tf, validateModelCard } from '../src/index.js';
import { setSaveHookForTests } from '../src/io/model-io.js';
import { fileSystem, loadModel, readModelCard, saveModel } from '../src/node.js';
import { predictBytes, rejection, seededInput, smallFunctional, smallSequential, tempDir } from './fixtures/io-helpers.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const modelsDir = process.env.DLKIT_MODEL_DIR ?? resolve(repoRoot, '../shared/models');


function siblings(dir: string): string[] {
  const base = basename(dir);
  return readdirSync(dirname(dir)).filter((n) => n.startsWith(`${base}.`));
}

let root: string;
let x: tf.Tensor;
let xf: tf.Tensor;

beforeAll(async () => {
  await selectBackend('cpu');
  root = tempDir();
  x = seededInput([3, 8, 8, 1]);
  xf = seededInput([5, 6]);
});
afterAll(() => {
  x.dispose();
  xf.dispose();
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => setSaveHookForTests(undefined));

describe('save → load round trip', () => {
  it('reproduces a Sequential (conv + dense) model bitwise and round-trips the card', async () => {
    const model = smallSequential();
    const dir = join(root, 'seq');
    const card = await saveModel(model, dir, {
      task: 'image-classification',
      name: 'seq',
      labels: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
      preprocessing: { scale: 1 / 255 },
      metrics: { accuracy: 0.5, perClass: { a: 1 } },
      dataset: { name: 'synthetic', split: 'train', examples: 3 },
      training: { epochs: 1, backend: 'cpu' },
    });
    expect(readdirSync(dir).sort()).toEqual(['model-card.json', 'model.json', 'weights.bin']);
    expect(card.schema).toBe(1);
    expect(card.versions.tfjs).toBe(tf.version.tfjs);
    expect(card.weights).toHaveLength(1);
    expect(card.weights![0]).toMatchObject({ path: 'weights.bin', bytes: readFileSync(join(dir, 'weights.bin')).byteLength });
    expect(siblings(dir)).toEqual([]);

    const { model: loaded, card: loadedCard } = await loadModel(dir);
    expect(loadedCard).toEqual(card);
    expect(await readModelCard(dir)).toEqual(card);
    expect(predictBytes(loaded, x).equals(predictBytes(model, x))).toBe(true);
    model.dispose();
    loaded.dispose();
  });

  it('reproduces a functional model bitwise, also via model.json path and file:// URL', async () => {
    const model = smallFunctional();
    const dir = join(root, 'fn');
    await saveModel(model, dir, { task: 'regression' });
    const want = predictBytes(model, xf);
    for (const source of [dir, join(dir, 'model.json'), pathToFileURL(dir).href]) {
      const { model: loaded, card } = await loadModel(source);
      expect(card?.task).toBe('regression');
      expect(predictBytes(loaded, xf).equals(want)).toBe(true);
      loaded.dispose();
    }
    model.dispose();
  });

  it('a different model gives different predictions (the comparison can fail)', async () => {
    const a = smallSequential(1);
    const b = smallSequential(2);
    expect(predictBytes(a, x).equals(predictBytes(b, x))).toBe(false);
    a.dispose();
    b.dispose();
  });

  it('overwrites an existing save and leaves no temp/old siblings; trainable option applies', async () => {
    const dir = join(root, 'overwrite');
    const a = smallSequential(1);
    const b = smallSequential(2);
    await saveModel(a, dir, { task: 't', extra: { tag: 'A' } });
    await saveModel(b, dir, { task: 't', extra: { tag: 'B' } });
    expect(siblings(dir)).toEqual([]);
    const { model, card } = await loadModel(dir, { trainable: false });
    expect(card?.extra).toEqual({ tag: 'B' });
    expect(model.trainable).toBe(false);
    expect(predictBytes(model, x).equals(predictBytes(b, x))).toBe(true);
    for (const m of [a, b, model]) m.dispose();
  });

  it('fileSystem() works as a plain tf.io handler with model.save / tf.loadLayersModel', async () => {
    const dir = join(root, 'handler');
    const model = smallFunctional(3);
    await model.save(fileSystem(dir));
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await tf.loadLayersModel(fileSystem(dir));
    expect(predictBytes(loaded, xf).equals(predictBytes(model, xf))).toBe(true);
    model.dispose();
    loaded.dispose();
  });
});

describe('errors name the file', () => {
  it('tampered weights → CHECKSUM_MISMATCH naming weights.bin; verify:false loads anyway', async () => {
    const dir = join(root, 'tamper');
    const model = smallSequential();
    await saveModel(model, dir, { task: 't' });
    const weights = join(dir, 'weights.bin');
    const bytes = readFileSync(weights);
    bytes[17] ^= 0x40;
    writeFileSync(weights, bytes);
    const before = tf.memory().numTensors;
    const err = await rejection(loadModel(dir));
    expect(err.code).toBe('CHECKSUM_MISMATCH');
    expect(err.message).toContain(weights);
    expect(tf.memory().numTensors).toBe(before); // nothing built before the check
    const { model: loaded } = await loadModel(dir, { verify: false });
    expect(predictBytes(loaded, x).equals(predictBytes(model, x))).toBe(false);
    model.dispose();
    loaded.dispose();
  });

  it('missing directory → NOT_FOUND naming the path', async () => {
    const dir = join(root, 'does-not-exist');
    const err = await rejection(loadModel(dir));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain(dir);
    const err2 = await rejection(readModelCard(dir));
    expect(err2.code).toBe('NOT_FOUND');
    expect(err2.message).toContain(join(dir, 'model-card.json'));
  });

  it('garbage or non-model model.json → CORRUPT_DATA naming model.json', async () => {
    const dir = join(root, 'garbage');
    const model = smallSequential();
    await saveModel(model, dir, { task: 't' });
    model.dispose();
    const jsonPath = join(dir, 'model.json');
    for (const text of ['{"modelTopology": {"class_name": "Seq', '[1, 2, 3]', '{"modelTopology": null}', '{"modelTopology": {"class_name": "Nope", "config": {}}, "weightsManifest": []}']) {
      writeFileSync(jsonPath, text);
      const err = await rejection(loadModel(dir));
      expect(err.code, text).toBe('CORRUPT_DATA');
      expect(err.message).toContain(jsonPath);
    }
  });

  it('truncated weights → CORRUPT_DATA; missing weight file → NOT_FOUND; bad card → CORRUPT_DATA naming field', async () => {
    const dir = join(root, 'trunc');
    const model = smallSequential();
    await saveModel(model, dir, { task: 't' });
    model.dispose();
    const weights = join(dir, 'weights.bin');
    const bytes = readFileSync(weights);
    writeFileSync(weights, bytes.subarray(0, bytes.length - 8));
    let err = await rejection(loadModel(dir, { verify: false }));
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(weights);
    renameSync(weights, `${weights}.gone`);
    err = await rejection(loadModel(dir, { verify: false }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain(weights);

    const cardPath = join(dir, 'model-card.json');
    const card = JSON.parse(readFileSync(cardPath, 'utf8'));
    writeFileSync(cardPath, JSON.stringify({ ...card, labels: ['ok', 3] }));
    err = await rejection(readModelCard(dir));
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(cardPath);
    expect(err.message).toContain('labels[1]');
  });

  it('validateModelCard rejects missing fields with the field name', () => {
    expect(() => validateModelCard({ schema: 1, task: 'x', created: 'nope', versions: { dlkit: '1', tfjs: '1' } }, 'card.json')).toThrow(/card\.json.*"created"/);
    expect(() => validateModelCard({ schema: 2 }, 'c.json')).toThrow(/"schema"/);
    expect(() => validateModelCard({ schema: 1, task: 'x', created: new Date().toISOString(), versions: { dlkit: '1' } }, 'c.json')).toThrow(/versions\.tfjs/);
  });
});

describe('crash safety with injected failures', () => {
  const tagOf = async (dir: string) => {
    const { model, card } = await loadModel(dir);
    model.dispose();
    return card?.extra?.tag;
  };

  async function setup(name: string) {
    const dir = join(root, name);
    const a = smallSequential(1);
    const b = smallSequential(2);
    await saveModel(a, dir, { task: 't', extra: { tag: 'A' } });
    return { dir, a, b, done: () => {
        a.dispose();
        b.dispose();
      },
    };
  }

  for (const step of ['tmp-created', 'tmp-written', 'card-written'] as const) {
    it(`crash at ${step} leaves the previous checkpoint at dir; next save cleans up`, async () => {
      const { dir, b, done } = await setup(`crash-${step}`);
      setSaveHookForTests((s) => (s === step ? 'crash' : undefined));
      await expect(saveModel(b, dir, { task: 't', extra: { tag: 'B' } })).rejects.toThrow(/simulated crash/);
      expect(siblings(dir).some((n) => n.includes('.tmp-'))).toBe(true); // no cleanup ran, like a real crash
      expect(await tagOf(dir)).toBe('A');
      setSaveHookForTests(undefined);
      await saveModel(b, dir, { task: 't', extra: { tag: 'B' } });
      expect(siblings(dir)).toEqual([]);
      expect(await tagOf(dir)).toBe('B');
      done();
    });
  }

  it('crash after the old dir moved away but before the swap → loadModel recovers .old-*', async () => {
    const { dir, a, b, done } = await setup('crash-old-moved');
    setSaveHookForTests((s) => (s === 'old-moved' ? 'crash' : undefined));
    await expect(saveModel(b, dir, { task: 't', extra: { tag: 'B' } })).rejects.toThrow(/simulated crash/);
    expect(existsSync(dir)).toBe(false);
    expect(siblings(dir).filter((n) => n.includes('.old-'))).toHaveLength(1);
    const { model, card } = await loadModel(dir);
    expect(card?.extra?.tag).toBe('A');
    expect(predictBytes(model, x).equals(predictBytes(a, x))).toBe(true);
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
    expect(siblings(dir).filter((n) => n.includes('.old-'))).toHaveLength(0);
    model.dispose();
    done();
  });

  it('crash after the swap (old not yet removed) → new model loads', async () => {
    const { dir, b, done } = await setup('crash-swapped');
    setSaveHookForTests((s) => (s === 'swapped' ? 'crash' : undefined));
    await expect(saveModel(b, dir, { task: 't', extra: { tag: 'B' } })).rejects.toThrow(/simulated crash/);
    expect(await tagOf(dir)).toBe('B');
    done();
  });

  it('an ordinary error after the old dir moved rolls back immediately and removes the tmp', async () => {
    const { dir, b, done } = await setup('error-old-moved');
    setSaveHookForTests((s) => {
      if (s === 'old-moved') throw new Error('disk on fire');
      return undefined;
    });
    await expect(saveModel(b, dir, { task: 't', extra: { tag: 'B' } })).rejects.toThrow(/disk on fire/);
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
    expect(siblings(dir)).toEqual([]);
    expect(await tagOf(dir)).toBe('A');
    done();
  });

  it('a failing model.save (error while writing tmp) keeps the previous checkpoint', async () => {
    const { dir, b, done } = await setup('error-writing');
    const bad = Object.create(b) as tf.LayersModel;
    bad.save = async () => {
      throw new Error('ENOSPC: no space left on device');
    };
    const err = await rejection(saveModel(bad, dir, { task: 't' }));
    expect(err.code).toBe('IO_ERROR');
    expect(err.message).toContain(dir);
    expect(siblings(dir)).toEqual([]);
    expect(await tagOf(dir)).toBe('A');
    done();
  });
});

describe('memory', () => {
  it('numTensors returns to baseline after save/load/dispose', async () => {
    const before = tf.memory().numTensors;
    const model = smallSequential(5);
    const dir = join(root, 'mem');
    await saveModel(model, dir, { task: 't' });
    const { model: loaded } = await loadModel(dir);
    predictBytes(loaded, x);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

const shardedModels = [
  { name: 'darknet-tiny', shape: [1, 224, 224, 3], minFiles: 2 },
  { name: 'doodlenet', shape: [1, 28, 28, 1], minFiles: 1 },
];
const haveModels = existsSync(modelsDir);
describe.skipIf(!haveModels)(`converter models from ${modelsDir}${haveModels ? '' : ' (SKIPPED: directory absent; set DLKIT_MODEL_DIR)'}`, () => {
  for (const m of shardedModels) {
    it.skipIf(!existsSync(join(modelsDir, m.name)))(`loads ${m.name} read-only and re-saves it as one weights.bin, bitwise equal`, async () => {
      const src = join(modelsDir, m.name);
      const manifest = JSON.parse(readFileSync(join(src, 'model.json'), 'utf8')).weightsManifest as { paths: string[] }[];
      expect(manifest.flatMap((g) => g.paths).length).toBeGreaterThanOrEqual(m.minFiles);
      const before = tf.memory().numTensors;
      const { model, card } = await loadModel(src);
      expect(card).toBeUndefined();
      const input = seededInput(m.shape, 3);
      const want = predictBytes(model, input);
      const dir = join(root, `resaved-${m.name}`);
      const saved = await saveModel(model, dir, { task: 'image-classification', name: m.name });
      expect(saved.weights!.map((w) => w.path)).toEqual(['weights.bin']);
      const { model: again } = await loadModel(dir);
      expect(predictBytes(again, input).equals(want)).toBe(true);
      input.dispose();
      model.dispose();
      again.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

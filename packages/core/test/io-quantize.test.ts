/**
 * saveModel({quantize}): uint8/float16 weights in the tfjs converter's manifest format, dequantized
 * by tfjs's own loader — files shrink 4×/2×, values stay within the quantization step.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../src/index.js';
import { loadModel, quantizeArtifacts, saveModel } from '../src/node.js';
import { tempDir } from './fixtures/io-helpers.js';

let root: string;
beforeAll(async () => {
  await selectBackend('cpu');
  root = tempDir();
});

function model(): tf.LayersModel {
  const ids = tf.input({ shape: [null], dtype: 'int32' });
  const e = tf.layers.embedding({ inputDim: 500, outputDim: 16, name: 'embedding', embeddingsInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 1 }) }).apply(ids) as tf.SymbolicTensor;
  const p = tf.layers.globalAveragePooling1d({}).apply(e) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax', name: 'head', kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }).apply(p) as tf.SymbolicTensor;
  return tf.model({ inputs: ids, outputs: out });
}

describe('saveModel quantize', () => {
  for (const dtype of ['uint8', 'float16'] as const) {
    it(`${dtype}: only the chosen weights, within the step, file ${dtype === 'uint8' ? '4' : '2'}× smaller for them, predictions close`, async () => {
      const before = tf.memory().numTensors;
      const m = model();
      const plainDir = join(root, `plain-${dtype}`);
      const qDir = join(root, `q-${dtype}`);
      await saveModel(m, plainDir, { task: 't' });
      await saveModel(m, qDir, { task: 't' }, { quantize: { dtype, weights: (name) => name.startsWith('embedding') } });
      const json = JSON.parse(readFileSync(join(qDir, 'model.json'), 'utf8'));
      const specs = json.weightsManifest[0].weights as { name: string; quantization?: { dtype: string } }[];
      expect(specs.find((s) => s.name.startsWith('embedding'))!.quantization!.dtype).toBe(dtype);
      expect(specs.filter((s) => s.name.startsWith('head')).every((s) => s.quantization === undefined)).toBe(true);
      const size = (d: string) => statSync(join(d, 'weights.bin')).size;
      const headBytes = (16 * 2 + 2) * 4;
      expect(size(qDir) - headBytes).toBe((size(plainDir) - headBytes) / (dtype === 'uint8' ? 4 : 2));
      const { model: q } = await loadModel(qDir);
      const [e0, e1] = [m.getLayer('embedding').getWeights()[0]!, q.getLayer('embedding').getWeights()[0]!];
      const [a, b] = [await e0.data(), await e1.data()];
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const v of a) [min, max] = [Math.min(min, v), Math.max(max, v)];
      const step = (max - min) / 255;
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, dtype === 'uint8' ? Math.abs(a[i]! - b[i]!) : Math.abs(a[i]! - b[i]!) / Math.max(1e-4, Math.abs(a[i]!)));
      expect(worst).toBeLessThanOrEqual(dtype === 'uint8' ? step / 2 + 1e-6 : 1e-3);
      expect(worst).toBeGreaterThan(0); // it really was quantized
      expect([...(await q.getLayer('head').getWeights()[0]!.data())]).toEqual([...(await m.getLayer('head').getWeights()[0]!.data())]);
      const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 0, 0]], [2, 4], 'int32');
      const [p, pq] = [m.predict(ids) as tf.Tensor, q.predict(ids) as tf.Tensor];
      const [pa, pb] = [await p.data(), await pq.data()];
      pa.forEach((v, i) => { expect(pb[i]!).toBeCloseTo(v, 2); });
      tf.dispose([ids, p, pq]);
      m.dispose();
      q.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('float16 rounds like IEEE half (tfjs decodes the same values)', async () => {
    const values = [0, 1, -2.5, 0.1, 65504, 1e-5, -3.0517578125e-5, 1 / 3, 1e6];
    const artifacts: tf.io.ModelArtifacts = { modelTopology: {}, weightSpecs: [{ name: 'w', shape: [values.length], dtype: 'float32' }], weightData: new Float32Array(values).buffer };
    const q = quantizeArtifacts(artifacts, { dtype: 'float16' });
    const decoded = tf.io.decodeWeights(q.weightData!, q.weightSpecs!) as Record<string, tf.Tensor>;
    const got = [...(await decoded.w!.data())];
    // Expected half-precision values (numpy.float16): 0.1 → 0.0999755859375, 1e-5 → 1.0013580322265625e-05 (subnormal), 1e6 → inf.
    expect(got).toEqual([0, 1, -2.5, 0.0999755859375, 65504, 1.0013580322265625e-5, -3.0517578125e-5, 0.333251953125, Number.POSITIVE_INFINITY]);
    decoded.w!.dispose();
    expect(() => quantizeArtifacts(artifacts, { dtype: 'int4' as never })).toThrow(/quantize.dtype/);
  });
});

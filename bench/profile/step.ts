/**
 * Where a training step of the bench CNN spends its time, per kernel (tf.profile).
 *   pnpm exec tsx bench/profile/cnn-step.ts [--backend wasm|cpu] [--steps 5] [--by shape]
 * Kernel times on wasm/cpu are wall times of the synchronous kernel calls; the profiler's
 * per-output NaN checks are excluded from them but add to the step's wall time.
 */
import { parseArgs } from 'node:util';
import { type BackendName, selectBackend, tf } from '@dlkit/core';
import { buildMnistCnn } from '../workloads/cnn-mnist.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '5' },
    by: { type: 'string', default: 'kernel' },
  },
});

interface Row {
  key: string;
  ms: number;
  calls: number;
}

async function main() {
  await selectBackend(values.backend as BackendName);
  const steps = Number(values.steps);
  const model = buildMnistCnn();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const xs = tf.randomNormal([64, 28, 28, 1], 0, 1, 'float32', 1);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 2), 10));
  for (let i = 0; i < 2; i++) await model.trainOnBatch(xs, ys); // warm-up

  // Wall time of plain steps (no profiler) for the "share of step" column.
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  const stepMs = (performance.now() - t0) / steps;

  const rows = new Map<string, Row>();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(async () => {
      await model.trainOnBatch(xs, ys);
    });
    for (const k of info.kernels) {
      const shapes = k.inputShapes.map((s) => `[${s?.join(',')}]`).join(' ');
      const key = values.by === 'shape' ? `${k.name} ${shapes}` : k.name;
      const r = rows.get(key) ?? { key, ms: 0, calls: 0 };
      r.ms += Number(k.kernelTimeMs) || 0;
      r.calls++;
      rows.set(key, r);
    }
  }
  const sorted = [...rows.values()].sort((a, b) => b.ms - a.ms);
  const kernelTotal = sorted.reduce((s, r) => s + r.ms, 0) / steps;
  console.log(`backend ${tf.getBackend()}, step wall ${stepMs.toFixed(1)} ms (${((64 * 1000) / stepMs).toFixed(0)} samples/s), kernels ${kernelTotal.toFixed(1)} ms/step`);
  console.log('| kernel | ms/step | share of kernel time | calls/step |');
  console.log('|---|---:|---:|---:|');
  for (const r of sorted.slice(0, 20)) {
    const ms = r.ms / steps;
    console.log(`| ${r.key} | ${ms.toFixed(2)} | ${((100 * ms) / kernelTotal).toFixed(1)}% | ${r.calls / steps} |`);
  }
  tf.dispose([xs, ys]);
  model.optimizer.dispose();
  model.dispose();
}

await main();

/**
 * Where one DQN gradient update spends its time on the tfjs backend (per kernel, tf.profile),
 * and how many kernels it launches. rl-zoo's MountainCar shape by default (MLP 256×256, batch 128).
 *   pnpm exec tsx bench/profile/dqn-update.ts [--backend wasm|cpu] [--batch 128] [--steps 20] [--env MountainCar-v0]
 */
import { parseArgs } from 'node:util';
import { type BackendName, selectBackend, tf } from '@dlkit/core';
import { DQN, defaultHyperparams } from '@dlkit/rl';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    env: { type: 'string', default: 'MountainCar-v0' },
    batch: { type: 'string', default: '128' },
    steps: { type: 'string', default: '20' },
    path: { type: 'string', default: 'fast' },
  },
});

async function main() {
  await selectBackend(values.backend as BackendName);
  const hp = defaultHyperparams(values.env!);
  const steps = Number(values.steps);
  const agent = new DQN(values.env!, { ...hp.options, batchSize: Number(values.batch), seed: 0, fastPath: values.path !== 'tfjs' });
  await agent.learn({ totalTimesteps: hp.options.learningStarts! });
  agent.train(3); // warm-up
  const t0 = performance.now();
  agent.train(steps);
  const updMs = (performance.now() - t0) / steps;
  const obs = new Float32Array(agent.obsSize);
  const t1 = performance.now();
  for (let i = 0; i < 200; i++) agent.predict(obs);
  const actMs = (performance.now() - t1) / 200;
  const rows = new Map<string, { ms: number; calls: number }>();
  const info = await tf.profile(() => {
    agent.train(steps);
  });
  for (const k of info.kernels) {
    const key = `${k.name} ${k.inputShapes.map((s) => `[${s?.join(',')}]`).join(' ')}`;
    const r = rows.get(key) ?? { ms: 0, calls: 0 };
    r.ms += Number(k.kernelTimeMs) || 0;
    r.calls++;
    rows.set(key, r);
  }
  const total = [...rows.values()].reduce((s, r) => s + r.ms, 0) / steps;
  console.log(`backend ${tf.getBackend()}, ${agent.options.netArch.join('×')} batch ${values.batch}: update ${updMs.toFixed(2)} ms (kernels ${total.toFixed(2)} ms, ${info.kernels.length / steps} kernels/update); act ${actMs.toFixed(3)} ms`);
  for (const [key, r] of [...rows.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.log(`${(r.ms / steps).toFixed(3).padStart(8)} ms  ${String(r.calls / steps).padStart(4)}×  ${key}`);
  }
  agent.dispose();
}

await main();

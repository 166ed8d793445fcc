/**
 * A/B of dlkit's wasm replacement kernels against the stock tfjs-backend-wasm ones on the bench
 * CNN's training step, interleaved in one process so machine noise hits both alike:
 *   pnpm exec tsx bench/profile/wasm-kernels-ab.ts [--rounds 4] [--steps 5]
 */
import { parseArgs } from 'node:util';
import { selectBackend, stockWasmKernel, tf, WASM_KERNELS } from '@dlkit/core';
import { buildMnistCnn } from '../workloads/cnn-mnist.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '4' }, steps: { type: 'string', default: '5' } } });
const NAMES = ['MaxPoolGrad', 'BatchMatMul', '_FusedMatMul', 'Sum'];

function use(kind: 'ours' | 'stock', ours: Map<string, tf.KernelConfig>): void {
  for (const name of NAMES) {
    const config = ours.get(name)!;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(kind === 'ours' ? config : { ...config, kernelFunc: stockWasmKernel(name) as unknown as tf.KernelFunc });
  }
}

await selectBackend('wasm');
console.log('replacement kernels:', WASM_KERNELS.join('; '));
const ours = new Map(NAMES.map((n) => [n, tf.getKernel(n, 'wasm')!]));
const model = buildMnistCnn();
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
const xs = tf.randomNormal([64, 28, 28, 1], 0, 1, 'float32', 1);
const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 2), 10));
const steps = Number(values.steps);
const times = { ours: [] as number[], stock: [] as number[] };
for (let r = 0; r < Number(values.rounds); r++) {
  for (const kind of ['stock', 'ours'] as const) {
    use(kind, ours);
    await model.trainOnBatch(xs, ys); // warm-up after the swap
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
    times[kind].push((performance.now() - t0) / steps);
  }
}
use('ours', ours);
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
const [s, o] = [median(times.stock), median(times.ours)];
console.log(`stock wasm kernels: ${s.toFixed(1)} ms/step (${((64 * 1000) / s).toFixed(0)} samples/s)`);
console.log(`dlkit wasm kernels: ${o.toFixed(1)} ms/step (${((64 * 1000) / o).toFixed(0)} samples/s), ${(s / o).toFixed(2)}x`);
tf.dispose([xs, ys]);
model.optimizer.dispose();
model.dispose();

/**
 * A/B of dlkit's wasm replacement kernels for the text models (broadcasting comparisons, GatherV2, Slice, Unpack, matmuls)
 * against the stock tfjs-backend-wasm ones, on a bench workload's step, interleaved in one process.
 * Measures CPU time per step (process.cpuUsage), which holds on a loaded machine; wall time does not.
 *   pnpm exec tsx bench/profile/text-ab.ts [--workload text-cnn-train] [--rounds 2] [--steps 2] [--kernels A,B]
 * --kernels picks which replaced kernels to swap (default: the text models' ones), e.g. for the DCGAN:
 *   --workload gen-dcgan-step --kernels Conv2DBackpropFilter,Conv2DBackpropInput,ResizeNearestNeighbor,ResizeNearestNeighborGrad
 */
import { parseArgs } from 'node:util';
import { selectBackend, stockWasmKernel, tf } from '@dlkit/core';
import { interleavedAb, ratePerCpuSecond } from './ab.js';

const { values } = parseArgs({
  options: { workload: { type: 'string', default: 'text-cnn-train' }, rounds: { type: 'string', default: '2' }, steps: { type: 'string', default: '2' }, kernels: { type: 'string' } },
});
const TEXT = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr', 'GatherV2', 'Slice', 'Unpack', 'BatchMatMul', '_FusedMatMul'];
const NAMES = values.kernels ? values.kernels.split(',') : TEXT;

await selectBackend('wasm');
for (const n of NAMES) if (!stockWasmKernel(n)) throw new Error(`${n}: not a kernel dlkit replaced on wasm`);
const ours = new Map(NAMES.map((n) => [n, tf.getKernel(n, 'wasm')!]));
function use(kind: 'ours' | 'stock'): void {
  for (const name of NAMES) {
    const config = ours.get(name)!;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(kind === 'ours' ? config : { ...config, kernelFunc: stockWasmKernel(name) as unknown as tf.KernelFunc });
  }
}
const { workload, samplesPerStep, times } = await interleavedAb(values.workload, ['stock', 'ours'] as const, use, {
  rounds: Number(values.rounds),
  steps: Number(values.steps),
  warmup: 1, // after each swap
});
use('ours');
const best = (a: number[]) => Math.min(...a);
const [s, o] = [best(times.stock), best(times.ours)];
const rate = (ms: number) => ratePerCpuSecond(samplesPerStep, ms).toFixed(1);
console.log(`${workload}: stock wasm kernels ${s.toFixed(0)} ms CPU/step (${rate(s)} samples per CPU-second)`);
console.log(`${workload}: dlkit wasm kernels ${o.toFixed(0)} ms CPU/step (${rate(o)} samples per CPU-second), ${(s / o).toFixed(2)}x`);

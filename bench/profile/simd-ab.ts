/**
 * A/B of embeddingBag's WebAssembly SIMD loops against its JS loops on a bench workload's step
 * (fastText), interleaved in one process, by CPU time per step (process.cpuUsage).
 *   pnpm exec tsx bench/profile/simd-ab.ts [--workload text-fasttext-infer] [--rounds 5] [--steps 50]
 */
import { parseArgs } from 'node:util';
import { embeddingBagSimd, selectBackend } from '@dlkit/core';
import { WORKLOADS } from '../workloads/index.js';

const { values } = parseArgs({
  options: { workload: { type: 'string', default: 'text-fasttext-infer' }, rounds: { type: 'string', default: '5' }, steps: { type: 'string', default: '50' } },
});
await selectBackend('wasm');
if (!embeddingBagSimd()) throw new Error('embeddingBag has no SIMD loops here (engine without wasm SIMD?)');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const workload = WORKLOADS.find((w) => w.name === values.workload);
if (!workload) throw new Error(`unknown workload ${values.workload}`);
const run = await workload.setup('wasm');
const steps = Number(values.steps);
const times = { js: [] as number[], simd: [] as number[] };
for (let r = 0; r < Number(values.rounds); r++) {
  for (const kind of ['js', 'simd'] as const) {
    embeddingBagSimd(kind === 'simd');
    for (let i = 0; i < 3; i++) await run.step(); // warm-up after the switch
    const t0 = cpuMs();
    for (let i = 0; i < steps; i++) await run.step();
    times[kind].push((cpuMs() - t0) / steps);
  }
}
embeddingBagSimd(true);
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
const rate = (ms: number) => ((workload.samplesPerStep * 1000) / ms).toFixed(0);
for (const kind of ['js', 'simd'] as const) {
  const m = median(times[kind]);
  console.log(`${workload.name} ${kind === 'js' ? 'JS loops  ' : 'SIMD loops'}: ${m.toFixed(3)} ms CPU/step median of ${times[kind].length} rounds (${rate(m)} samples per CPU-second); rounds ${times[kind].map((t) => t.toFixed(2)).join(' ')}`);
}
run.dispose();

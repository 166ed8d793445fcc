/**
 * A/B of one of core's on/off switches on a bench workload's step, interleaved in one process, by CPU
 * time per step (process.cpuUsage; robust on a loaded machine, wall time is not):
 *   embeddingBagSimd   embeddingBag's WebAssembly SIMD loops vs its JS loops (fastText)
 *   lazyFusedConvGrad  fused conv2d gradients computed only where needed vs tfjs's eager ones (GANs)
 *   simdElementwise    SIMD comparisons / Select / LeakyRelu vs the kernels they wrap (ReLU/LeakyReLU gradients)
 *   maxPoolGradSimd    SIMD MaxPoolGrad for non-overlapping windows vs the JS kernel (CNNs)
 *   convCo1Simd        SIMD one-output-channel conv2d vs XNNPACK's (a GAN generator's output layer)
 *   smallKFilterGrad   SIMD filter gradient of few-input-channel convs vs im2col + XNNPACK (image input layers)
 *   pnpm exec tsx bench/profile/switch-ab.ts [--switch embeddingBagSimd] [--workload text-fasttext-infer] [--rounds 5] [--steps 50]
 */
import { parseArgs } from 'node:util';
import { convCo1Simd, embeddingBagSimd, lazyFusedConvGrad, maxPoolGradSimd, selectBackend, simdElementwise, smallKFilterGrad } from '@dlkit/core';
import { interleavedAb, ratePerCpuSecond } from './ab.js';

const { values } = parseArgs({
  options: {
    switch: { type: 'string', default: 'embeddingBagSimd' },
    workload: { type: 'string', default: 'text-fasttext-infer' },
    rounds: { type: 'string', default: '5' },
    steps: { type: 'string', default: '50' },
  },
});
const SWITCHES: Record<string, (on?: boolean) => boolean> = { convCo1Simd, embeddingBagSimd, lazyFusedConvGrad, maxPoolGradSimd, simdElementwise, smallKFilterGrad };
const flip = SWITCHES[values.switch];
if (!flip) throw new Error(`--switch ${values.switch}: one of ${Object.keys(SWITCHES).join(', ')}`);
await selectBackend('wasm');
if (!flip()) throw new Error(`${values.switch} is not active on wasm here (engine without wasm SIMD?)`);
const { workload, samplesPerStep, times } = await interleavedAb(values.workload, ['off', 'on'] as const, (kind) => flip(kind === 'on'), {
  rounds: Number(values.rounds),
  steps: Number(values.steps),
  warmup: 3, // after each switch
});
flip(true);
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
const rate = (ms: number) => ratePerCpuSecond(samplesPerStep, ms).toFixed(0);
for (const kind of ['off', 'on'] as const) {
  const m = median(times[kind]);
  console.log(`${workload} ${values.switch} ${kind.padEnd(3)}: ${m.toFixed(3)} ms CPU/step, median of ${times[kind].length} rounds (${rate(m)} samples per CPU-second); rounds ${times[kind].map((t) => t.toFixed(2)).join(' ')}`);
}

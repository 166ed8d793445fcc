/**
 * Where one step of a bench workload spends its time, per kernel (tf.profile).
 *   pnpm exec tsx bench/profile/step.ts [--workload cnn-mnist-train] [--backend wasm|cpu] [--steps 5] [--by shape] [--clock cpu]
 * Kernel times on wasm/cpu are wall times of the synchronous kernel calls; the profiler's
 * per-output NaN checks are excluded from them but add to the step's wall time. `--clock cpu`
 * times kernels and steps by process CPU time instead: the only honest clock on a loaded machine.
 */
import { parseArgs } from 'node:util';
import { type BackendName, selectBackend, tf } from '@dlkit/core';
import { WORKLOADS } from '../workloads/index.js';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'cnn-mnist-train' },
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '5' },
    by: { type: 'string', default: 'kernel' },
    top: { type: 'string', default: '20' },
    clock: { type: 'string', default: 'wall' },
  },
});

interface Row {
  key: string;
  ms: number;
  calls: number;
}

async function main() {
  const workload = WORKLOADS.find((w) => w.name === values.workload);
  if (!workload) throw new Error(`unknown workload ${values.workload}; one of: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  const backend = values.backend as BackendName;
  await selectBackend(backend);
  const cpu = values.clock === 'cpu';
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const now = cpu ? cpuMs : () => performance.now();
  if (cpu) {
    // tf.profile asks the backend to time each kernel; wasm/cpu time a synchronous call by wall clock.
    (tf.backend() as unknown as { time(f: () => void): Promise<{ kernelMs: number }> }).time = async (f) => {
      const t0 = cpuMs();
      f();
      return { kernelMs: cpuMs() - t0 };
    };
  }
  const steps = Number(values.steps);
  const run = await workload.setup(backend);
  for (let i = 0; i < 2; i++) await run.step(); // warm-up

  // Wall time of plain steps (no profiler) for the "share of step" column.
  const t0 = now();
  for (let i = 0; i < steps; i++) await run.step();
  const stepMs = (now() - t0) / steps;

  const rows = new Map<string, Row>();
  let kernelsPerStep = 0;
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(() => run.step());
    kernelsPerStep += info.kernels.length / steps;
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
  const perSec = (workload.samplesPerStep * 1000) / stepMs;
  console.log(`${workload.name} on ${tf.getBackend()}: step ${cpu ? 'CPU' : 'wall'} ${stepMs.toFixed(1)} ms (${perSec.toFixed(0)} samples per ${cpu ? 'CPU-' : ''}second), kernels ${kernelTotal.toFixed(1)} ms/step in ${kernelsPerStep.toFixed(0)} kernel calls`);
  console.log('| kernel | ms/step | share of kernel time | calls/step |');
  console.log('|---|---:|---:|---:|');
  for (const r of sorted.slice(0, Number(values.top))) {
    const ms = r.ms / steps;
    console.log(`| ${r.key} | ${ms.toFixed(2)} | ${((100 * ms) / kernelTotal).toFixed(1)}% | ${r.calls / steps} |`);
  }
  run.dispose();
}

await main();

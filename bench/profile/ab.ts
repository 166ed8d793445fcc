/**
 * Interleaved A/B of one bench workload's training/inference step in one process: each round runs
 * every variant (after `apply(variant)` and a warm-up), timed by process CPU, so drift in machine
 * load hits both sides alike. Shared by switch-ab.ts (a dlkit kernel switch) and text-ab.ts
 * (dlkit vs stock wasm kernels).
 */
import { WORKLOADS } from '../workloads/index.js';

export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface AbResult<K extends string> {
  workload: string;
  samplesPerStep: number;
  /** ms of CPU per step, one entry per round, per variant. */
  times: Record<K, number[]>;
}

export async function interleavedAb<K extends string>(
  workloadName: string,
  variants: readonly K[],
  apply: (variant: K) => void,
  opts: { rounds: number; steps: number; warmup: number },
): Promise<AbResult<K>> {
  const workload = WORKLOADS.find((w) => w.name === workloadName);
  if (!workload) throw new Error(`unknown workload ${workloadName}`);
  const run = await workload.setup('wasm');
  const times = Object.fromEntries(variants.map((v) => [v, [] as number[]])) as Record<K, number[]>;
  try {
    for (let r = 0; r < opts.rounds; r++) {
      for (const v of variants) {
        apply(v);
        for (let i = 0; i < opts.warmup; i++) await run.step();
        const t0 = cpuMs();
        for (let i = 0; i < opts.steps; i++) await run.step();
        times[v].push((cpuMs() - t0) / opts.steps);
      }
    }
  } finally {
    run.dispose();
  }
  return { workload: workload.name, samplesPerStep: workload.samplesPerStep, times };
}

/** Samples per CPU-second at `ms` per step. */
export const ratePerCpuSecond = (samplesPerStep: number, ms: number): number => (samplesPerStep * 1000) / ms;

/**
 * `pnpm bench`: every workload on every backend present, side by side with PyTorch on the same
 * machine and thread count when python3-torch is installed. Writes bench/results/<stamp>.json,
 * regenerates BENCHMARKS.md's results table, and with --json prints
 * `{workloads: [{name, backend, threads, ours, pytorch, ratio}]}` as the last stdout line.
 * `--clock cpu`: samples per second of process CPU time, ours and PyTorch's, for the one-thread rows
 * only — ratios that hold on a machine loaded by other work, where wall-clock rates do not.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendName, selectBackend, tf } from '@dlkit/core';
import { initNodeWebGPU } from '@dlkit/core/node';
import { pytorchAvailable, runPytorch } from './pytorch.js';
import { writeBenchmarksMd } from './report.js';
import { WORKLOADS } from './workloads/index.js';

const here = dirname(fileURLToPath(import.meta.url));

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '4' },
    backends: { type: 'string' },
    workloads: { type: 'string' },
    'no-pytorch': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    clock: { type: 'string', default: 'wall' },
  },
});

export interface BenchRow {
  name: string;
  description: string;
  backend: string;
  threads: number | 'gpu';
  ours: number;
  pytorch: number | null;
  ratio: number | null;
  steps: number;
  seconds: number;
}

const log = (s: string) => {
  if (!values.json) console.log(s);
  else console.error(s);
};

const clock = values.clock as 'wall' | 'cpu';
if (clock !== 'wall' && clock !== 'cpu') throw new Error(`--clock ${clock}: use wall (default) or cpu`);
/** Milliseconds of wall time, or of this process's CPU time (user + system, all its threads). */
const now = clock === 'cpu' ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : () => performance.now();

/**
 * Warm-up before timing, the same rule in every bench/pytorch script: 3 steps and 1 second of the
 * measuring clock (at least one step, at most the measuring window: a 40-second cpu-stock step is not
 * repeated). Our first steps pay one-off costs (kernel compilation, shader pipelines, V8 and wasm
 * tier-up on background threads, which a CPU clock counts). CNN training step by step (CPU ms,
 * load ≈ 4): 550-640, 300, then 150-220 for the next seven, then 125-150; a 2-second window after
 * one warm-up step mostly timed that tail.
 */
const WARMUP_STEPS = 3;
const WARMUP_MS = 1000;

async function measure(run: { step(): Promise<void> }, seconds: number): Promise<{ steps: number; secs: number }> {
  const w0 = now();
  const warming = (k: number) => k < 1 || ((k < WARMUP_STEPS || now() - w0 < WARMUP_MS) && now() - w0 < seconds * 1000);
  for (let k = 0; warming(k); k++) await run.step();
  let steps = 0;
  const t0 = now();
  // At least 2 steps so a very slow backend still gets a rate, never an unbounded loop.
  while (steps < 2 || (now() - t0 < seconds * 1000 && steps < 10_000)) {
    await run.step();
    steps++;
  }
  return { steps, secs: (now() - t0) / 1000 };
}

// 'cpu-stock': cpu with stock tfjs gradients; 'wasm-mt': wasm with one XNNPACK thread per core.
type BenchBackend = BackendName | 'cpu-stock' | 'wasm-mt';

/** Runs one workload in a child process (settings fixed at backend init or registered globally). */
function measureInChild(workload: string, seconds: number, backend: string, env: Record<string, string>): { steps: number; secs: number } {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--backends', backend, '--workloads', workload, '--seconds', String(seconds), '--clock', clock, '--json', '--no-write', '--no-pytorch'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 600_000,
  });
  const row = (JSON.parse(out.trim().split('\n').at(-1)!) as { workloads: { steps: number; seconds: number }[] }).workloads[0]!;
  return { steps: row.steps, secs: row.seconds };
}

async function main() {
  const seconds = Number(values.seconds);
  const webgpu = await initNodeWebGPU();
  // 'cpu-stock' = the cpu backend with stock tfjs gradients (DLKIT_KERNEL_FIXES=0, in a child
  // process because gradients are registered globally): the baseline for core's kernel fixes.
  let backends: BenchBackend[] = ['wasm', ...(cpus().length > 1 ? (['wasm-mt'] as const) : []), 'cpu', 'cpu-stock'];
  if (webgpu.available) backends.push('webgpu');
  if (values.backends) backends = values.backends.split(',') as BenchBackend[];
  // CPU time per sample is only comparable at one thread (and meaningless for a GPU).
  if (clock === 'cpu') backends = backends.filter((b) => b !== 'wasm-mt' && b !== 'webgpu');
  const workloads = values.workloads ? WORKLOADS.filter((w) => values.workloads!.split(',').includes(w.name)) : WORKLOADS;
  const torch = !values['no-pytorch'] && pytorchAvailable();
  log(`machine: ${cpus()[0]?.model.trim()} × ${cpus().length}; webgpu: ${webgpu.reason}; pytorch: ${torch || 'not installed'}; clock: ${clock}`);

  const rows: BenchRow[] = [];
  const pytorchRefs: Record<string, { threads: number; samplesPerSec: number }[]> = {};
  for (const w of workloads) {
    if (torch && w.pytorch) {
      const threadCounts = clock === 'cpu' ? [1] : [1, cpus().length];
      pytorchRefs[w.name] = threadCounts.flatMap((threads) => {
        const samplesPerSec = runPytorch(join(here, 'pytorch', w.pytorch!.script), [...w.pytorch!.args, '--threads', String(threads), '--seconds', String(seconds)], clock);
        return samplesPerSec === null ? [] : [{ threads, samplesPerSec }];
      });
    }
    for (const backend of backends) {
      let steps: number;
      let secs: number;
      if (backend === 'cpu-stock') {
        // Forward kernels are the same as 'cpu': only training differs.
        if (!w.name.endsWith('-train')) continue;
        ({ steps, secs } = measureInChild(w.name, Math.min(seconds, 3), 'cpu', { DLKIT_KERNEL_FIXES: '0' }));
      } else if (backend === 'wasm-mt') {
        ({ steps, secs } = measureInChild(w.name, seconds, 'wasm', { DLKIT_WASM_THREADS: String(cpus().length) }));
      } else {
        await selectBackend(backend);
        const run = await w.setup(backend);
        ({ steps, secs } = await measure(run, backend === 'cpu' ? Math.min(seconds, 3) : seconds));
        run.dispose();
      }
      const ours = (steps * w.samplesPerStep) / secs;
      const threads: number | 'gpu' = backend === 'webgpu' ? 'gpu' : backend === 'wasm-mt' ? cpus().length : 1;
      const ref = pytorchRefs[w.name]?.find((r) => r.threads === (threads === 'gpu' ? -1 : threads));
      const row: BenchRow = {
        name: w.name,
        description: w.description,
        backend,
        threads,
        ours: +ours.toFixed(1),
        pytorch: ref ? +ref.samplesPerSec.toFixed(1) : null,
        ratio: ref ? +(ours / ref.samplesPerSec).toFixed(3) : null,
        steps,
        seconds: +secs.toFixed(2),
      };
      rows.push(row);
      log(`${w.name.padEnd(18)} ${backend.padEnd(7)} threads=${String(threads).padEnd(3)} ${row.ours.toFixed(1).padStart(9)} ${clock === 'cpu' ? 'samples/CPU-s' : 'samples/s'}` +
        (row.pytorch ? `   pytorch ${row.pytorch.toFixed(1)}   ratio ${row.ratio}` : ''));
    }
  }

  const result = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model.trim(), cores: cpus().length, host: hostname(), webgpuAdapter: webgpu.adapter ?? null },
    tfjs: tf.version_core,
    node: process.version,
    command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
    clock,
    pytorch: pytorchRefs,
    torchVersion: torch || null,
    rows,
  };
  if (!values['no-write']) {
    const dir = join(here, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${result.date.slice(0, 19).replace(/[:T]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    writeBenchmarksMd(join(here, '..', 'BENCHMARKS.md'), result);
    log(`wrote ${file} and BENCHMARKS.md`);
  }
  if (values.json) {
    console.log(JSON.stringify({ workloads: rows.map(({ name, backend, threads, ours, pytorch, ratio, steps, seconds }) => ({ name, backend, threads, ours, pytorch, ratio, steps, seconds })) }));
  }
}

export type BenchResult = {
  date: string;
  machine: { cpu?: string; cores: number; host: string; webgpuAdapter: unknown };
  tfjs: string;
  node: string;
  command: string;
  /** 'cpu': every rate is per second of process CPU time (one-thread rows only). */
  clock?: 'wall' | 'cpu';
  pytorch: Record<string, { threads: number; samplesPerSec: number }[]>;
  torchVersion: string | false | null;
  rows: BenchRow[];
};

await main();
// Dawn can keep the event loop alive after the last WebGPU use.
process.exit(0);

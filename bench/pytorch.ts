// PyTorch is only a measuring stick: used when Debian's python3-torch is installed, never required.
import { execFileSync } from 'node:child_process';

export function pytorchAvailable(): string | false {
  try {
    return execFileSync('python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).trim();
  } catch {
    return false;
  }
}

/** Runs a bench/pytorch script and returns its samples/s (the script prints one JSON line). */
export function runPytorch(script: string, args: string[]): number {
  const threads = args[args.indexOf('--threads') + 1] ?? '1';
  const out = execFileSync('python3', [script, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads, MKL_NUM_THREADS: threads },
  });
  const line = out.trim().split('\n').at(-1)!;
  return (JSON.parse(line) as { samplesPerSec: number }).samplesPerSec;
}

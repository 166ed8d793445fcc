// PyTorch is only a measuring stick: used when Debian's python3-torch is installed, never required.
import { execFileSync } from 'node:child_process';

/** The first interpreter that can import torch: DLKIT_PYTHON, Debian's (a pyenv shim may shadow it), then PATH. */
function findPython(): { python: string; version: string } | undefined {
  const candidates = [process.env.DLKIT_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => Boolean(p));
  for (const python of candidates) {
    try {
      const version = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).trim();
      return { python, version };
    } catch {
      // try the next one
    }
  }
  return undefined;
}

let found: ReturnType<typeof findPython> | null = null;
function python(): ReturnType<typeof findPython> {
  if (found === null) found = findPython();
  return found;
}

export function pytorchAvailable(): string | false {
  return python()?.version ?? false;
}

/**
 * Runs a bench/pytorch script and returns its samples/s (the script prints one JSON line). With
 * clock 'cpu': samples per CPU-second (`cpuSamplesPerSec`), or null from a script that does not
 * report it.
 */
export function runPytorch(script: string, args: string[], clock: 'wall' | 'cpu' = 'wall'): number | null {
  const py = python();
  if (!py) throw new Error('PyTorch is not installed (apt-get install python3-torch)');
  const threads = args[args.indexOf('--threads') + 1] ?? '1';
  const out = execFileSync(py.python, [script, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads, MKL_NUM_THREADS: threads, DLKIT_BENCH_CLOCK: clock },
  });
  const line = out.trim().split('\n').at(-1)!;
  const r = JSON.parse(line) as { samplesPerSec: number; cpuSamplesPerSec?: number };
  return clock === 'cpu' ? (r.cpuSamplesPerSec ?? null) : r.samplesPerSec;
}

/**
 * DLKIT_WASM_THREADS: tfjs-backend-wasm's threaded build in Node (tfjs disables it there). Runs in
 * child processes because the thread count is fixed when the backend is first initialised.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const script = join(here, 'fixtures', 'wasm-threads-child.ts');

interface ChildResult {
  code: number | null;
  out: { threads: number; reason: string; conv: number[]; mm: number[] } | undefined;
  stderr: string;
}

function runChild(threads: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: repoRoot,
      env: { ...process.env, DLKIT_WASM_THREADS: threads },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A pool that kept the process alive would hang here: fail instead of waiting forever.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1);
      resolve({ code, out: last?.startsWith('{') ? JSON.parse(last) : undefined, stderr });
    });
  });
}

function maxRelDiff(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return m;
}

describe('wasm threads in Node (DLKIT_WASM_THREADS)', () => {
  it('2 threads: same results as 1 thread, and the process exits on its own', async () => {
    const [one, two] = await Promise.all([runChild('1'), runChild('2')]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(one.out!.threads).toBe(1);
    expect(two.out!.threads).toBe(2);
    expect(two.out!.reason).toContain('2 threads');
    expect(maxRelDiff(two.out!.conv, one.out!.conv)).toBeLessThan(1e-5);
    expect(maxRelDiff(two.out!.mm, one.out!.mm)).toBeLessThan(1e-5);
  }, 120_000);

  it('rejects a bad DLKIT_WASM_THREADS with a message naming the variable', async () => {
    const r = await runChild('many');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('DLKIT_WASM_THREADS=many is not valid');
  }, 60_000);
});

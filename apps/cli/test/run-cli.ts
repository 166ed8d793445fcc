import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const bin = join(repoRoot, 'apps', 'cli', 'src', 'bin.ts');

export const sharedDatasets = process.env.DLKIT_DATA_DIR ?? join(repoRoot, '..', 'shared', 'datasets');
export const hasSharedDatasets = existsSync(join(sharedDatasets, 'fashion-mnist'));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (the --json convention), if it parses. */
  json: Record<string, unknown> | undefined;
}

/** Runs `dlkit <args>` as a user would, in a child process. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(tsx, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, DLKIT_PROGRESS: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(last);
      } catch {
        json = undefined;
      }
      done({ code: code ?? -1, stdout, stderr, json });
    });
  });
}

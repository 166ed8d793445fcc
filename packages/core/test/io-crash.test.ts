/**
 * Real crash safety: a child process saves a ~20 MB model to one directory in a loop and is
 * SIGKILLed at random (seeded) moments; after every kill loadModel(dir) must succeed and return
 * exactly one of the completed (or the in-flight) saves, never a mix.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, selectBackend, tf } from '../src/index.js';
import { loadModel } from '../src/node.js';
import { tempDir } from './fixtures/io-helpers.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const script = resolve(import.meta.dirname, 'fixtures/save-loop.ts');

interface Run {
  child: ChildProcess;
  saved: () => number;
  saving: () => number;
  waitFor: (kind: 'saving' | 'saved', n: number) => Promise<void>;
  exited: Promise<void>;
}

function startLoop(dir: string): Run {
  // cwd = repo root so `--import tsx` resolves from the workspace's node_modules.
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let saved = 0;
  let saving = 0;
  let stderr = '';
  const waiters: { kind: 'saving' | 'saved'; n: number; resolve: () => void }[] = [];
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  child.stdout!.on('data', (d: Buffer) => {
    for (const m of d.toString().matchAll(/(saving|saved) (\d+)/g)) {
      if (m[1] === 'saved') saved = Number(m[2]);
      else saving = Number(m[2]);
    }
    for (const w of waiters.filter((w) => (w.kind === 'saved' ? saved : saving) >= w.n)) w.resolve();
  });
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  return {
    child,
    saved: () => saved,
    saving: () => saving,
    exited,
    waitFor: (kind, n) =>
      new Promise<void>((res, rej) => {
        if ((kind === 'saved' ? saved : saving) >= n) return res();
        waiters.push({ kind, n, resolve: res });
        child.on('exit', (code, signal) => rej(new Error(`save loop exited early (${code ?? signal}) before ${kind} ${n}: ${stderr}`)));
      }),
  };
}

describe('SIGKILL during repeated saves', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('every kill leaves a loadable, consistent checkpoint', { timeout: 120_000 }, async () => {
    const rng = new Rng(1234);
    const dir = join(tempDir('dlkit-crash-'), 'ckpt');
    const loadedIterations: number[] = [];
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      const run = startLoop(dir);
      // A save takes ~0.1 s here; kill within the first few saves at a random phase. Round 0
      // waits for one completed save (before it there is no checkpoint to protect).
      await run.waitFor(round === 0 ? 'saved' : 'saving', 1);
      const delay = rng.uniform(0, 300);
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill('SIGKILL');
      await run.exited;
      const lo = run.saved();
      const hi = run.saving();
      const before = tf.memory().numTensors;
      const { model, card } = await loadModel(dir);
      const it = card?.extra?.iteration as number;
      // Completed saves of this round are lo..; the in-flight one (hi) may or may not have landed.
      // Before its first completed save, the previous round's checkpoint is what must load.
      if (lo > 0) expect(it === lo || it === hi, `loaded ${it}, saved ${lo}, saving ${hi}`).toBe(true);
      else expect(it === loadedIterations.at(-1) || it === hi, `loaded ${it}, saving ${hi}, previous ${loadedIterations.at(-1)}`).toBe(true);
      // Weights all equal the card's iteration: model.json, weights.bin and card belong together.
      const [kernel, bias] = model.getWeights();
      const stats = tf.tidy(() => [kernel.min(), kernel.max(), bias.min(), bias.max()].map((t) => t.dataSync()[0]));
      expect(stats).toEqual([it, it, it, it]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      loadedIterations.push(it);
    }
    expect(loadedIterations).toHaveLength(rounds);
    rmSync(dirname(dir), { recursive: true, force: true });
  });
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '@dlkit/core';
import { loadModel } from '@dlkit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { History } from '../src/index.js';
import { csvLogger, fit, jsonlLogger, modelCheckpoint, readTrainState } from '../src/node.js';
import { blobs, cpu, denseModel } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
let dir: string;
let data: ReturnType<typeof blobs>;
beforeAll(async () => {
  await cpu();
  dir = await mkdtemp(join(tmpdir(), 'dlkit-train-'));
  data = blobs(60);
});
afterAll(async () => {
  tf.dispose([data.x, data.y]);
  await rm(dir, { recursive: true, force: true });
});

describe('file loggers and checkpoints', () => {
  it('jsonlLogger and csvLogger write one record per epoch, csv append keeps the header', async () => {
    const model = denseModel();
    const jsonl = join(dir, 'log.jsonl');
    const csv = join(dir, 'log.csv');
    await fit(model, data.x, data.y, { epochs: 2, validationSplit: 0.2, callbacks: [jsonlLogger(jsonl), csvLogger(csv)] });
    const lines = (await readFile(jsonl, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([0, 1]);
    expect(typeof lines[1].val_loss).toBe('number');
    let rows = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('epoch,acc,loss,lr,val_acc,val_loss');
    expect(rows.length).toBe(3);
    await fit(model, data.x, data.y, { epochs: 4, initialEpoch: 2, validationSplit: 0.2, callbacks: [csvLogger(csv, { append: true })] });
    rows = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(rows.map((r) => r.split(',')[0])).toEqual(['epoch', '0', '1', '2', '3']);
    await fit(model, data.x, data.y, { epochs: 1, callbacks: [csvLogger(csv)] });
    expect((await readFile(csv, 'utf8')).trim().split('\n').length).toBe(2); // Keras default: overwrite
    model.dispose();
  });

  it('modelCheckpoint saves every epoch or only the best, loadable by core', async () => {
    const model = denseModel();
    const every = modelCheckpoint(join(dir, 'ck-{epoch}'), { monitor: 'loss' });
    const best = modelCheckpoint(join(dir, 'best'), { monitor: 'val_loss', saveBestOnly: true });
    const fakeVal = [0.9, 0.5, 0.7];
    const faker = {
      onEpochEnd: (e: number, logs: Record<string, number>) => {
        logs.val_loss = fakeVal[e]!;
      },
    };
    await fit(model, data.x, data.y, { epochs: 3, callbacks: [faker, every, best] });
    expect(every.saved).toEqual(['ck-001', 'ck-002', 'ck-003'].map((d) => join(dir, d)));
    expect(best.saved).toEqual([join(dir, 'best'), join(dir, 'best')]);
    const { model: loaded, card } = await loadModel(join(dir, 'best'));
    expect(card?.metrics?.val_loss).toBe(0.5);
    expect(loaded.layers.length).toBe(3);
    loaded.dispose();
    model.dispose();
  });
});

function runChild(args: string[], onLine?: (line: string, kill: () => void) => void): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'sigint-train.ts'), ...args], {
      cwd: pkg,
      env: { ...process.env, DLKIT_PROGRESS: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      out += text;
      for (const line of text.split('\n')) onLine?.(line, () => child.kill('SIGINT'));
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ out, code }) : reject(new Error(`child exited ${code}: ${err}\n${out}`))));
  });
}

function resultOf(out: string): History {
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no RESULT line in:\n${out}`);
  return JSON.parse(line.slice(7));
}

describe('Ctrl-C checkpoint and resume (child process)', () => {
  it('SIGINT in epoch 2 of 4 saves a checkpoint; resume runs epochs 3..4 with the same history', async () => {
    const ck = join(dir, 'interrupt');
    const first = await runChild(['train', ck], (line, kill) => {
      if (line === 'READY') kill();
    });
    const h1 = resultOf(first.out);
    expect(h1.interrupted).toBe(true);
    expect(h1.epoch).toEqual([0, 1]);
    expect(h1.stoppedAt).toEqual({ epoch: 1, step: 3 });
    expect(first.out).toMatch(/LOG Interrupted in epoch 2\/4 after 3 batches; checkpoint saved to .*resumeFrom/);
    expect(existsSync(join(ck, 'model', 'model.json'))).toBe(true);
    const state = await readTrainState(ck);
    expect(state.nextEpoch).toBe(2);
    expect(state.seed).toBe(5);
    expect(state.optimizerClass).toBe('Adam');

    const second = await runChild(['resume', ck]);
    const h2 = resultOf(second.out);
    expect(h2.interrupted).toBeUndefined();
    expect(h2.epoch).toEqual([0, 1, 2, 3]);
    expect(h2.history.loss!.slice(0, 2)).toEqual(h1.history.loss);
    // Resumed from trained weights + Adam state: epoch 3 continues from where epoch 2 left off.
    expect(h2.history.loss![2]!).toBeLessThan(h1.history.loss![0]!);

    const third = await runChild(['resume-load', ck]);
    expect(resultOf(third.out).epoch).toEqual([0, 1, 2, 3]);
  }, 60_000);

  it('reports a missing or corrupt checkpoint clearly', async () => {
    await expect(readTrainState(join(dir, 'nowhere'))).rejects.toThrow(/No resumable checkpoint at .*train-state.json is missing/);
    await writeFile(join(dir, 'train-state.json'), '{"version":2}');
    await expect(readTrainState(dir)).rejects.toThrow(/is not a dlkit train state/);
  });
});

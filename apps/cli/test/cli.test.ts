import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedDatasets, runCli, sharedDatasets } from './run-cli.js';

describe('dlkit doctor', () => {
  it('--json: the last stdout line lists every backend with available / selected / reason', async () => {
    const r = await runCli(['doctor', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const backend = r.json?.backend as { selected: string; backends: { name: string; available: boolean; selected: boolean; reason: string }[] };
    const names = backend.backends.map((b) => b.name);
    expect(names).toEqual(expect.arrayContaining(['webgpu', 'wasm', 'cpu', 'tensorflow']));
    for (const b of backend.backends) {
      expect(typeof b.available).toBe('boolean');
      expect(typeof b.selected).toBe('boolean');
      expect(b.reason.length).toBeGreaterThan(0);
    }
    const selected = backend.backends.filter((b) => b.selected);
    expect(selected).toHaveLength(1);
    expect(selected[0]!.name).toBe(backend.selected);
    expect(selected[0]!.available).toBe(true);
    // Node auto: a hardware WebGPU adapter wins, else wasm.
    const webgpu = backend.backends.find((b) => b.name === 'webgpu')!;
    expect(backend.selected).toBe(webgpu.available && !/software/i.test(webgpu.reason) ? 'webgpu' : 'wasm');
    expect(r.json).toHaveProperty('cuda');
  });

  it('DLKIT_BACKEND=tensorflow without tfjs-node: one-line error with install instructions, exit 1', async () => {
    const r = await runCli(['demo', '--limit', '10', '--json'], { DLKIT_BACKEND: 'tensorflow' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*tfjs-node/m);
    expect(r.json?.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });
});

describe('usage errors exit with code 2 and print the usage', () => {
  it.each([
    [['no-such-command']],
    [['datasets', 'info']],
    [['doctor', '--no-such-flag']],
    [['demo', '--epochs', 'many']],
    [['demo', '--backend', 'quantum']],
  ])('dlkit %j', async (args) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/error/i);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--help exits 0 and lists the commands', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/doctor/);
    expect(r.stdout).toMatch(/datasets/);
    expect(r.stdout).toMatch(/demo/);
  });
});

describe.skipIf(!hasSharedDatasets)('dlkit demo (Fashion-MNIST from ../shared/datasets)', () => {
  it('trains, evaluates, saves with a model card, reloads to identical predictions, predicts', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dlkit-demo-')), 'model');
    const r = await runCli(['demo', '--limit', '3000', '--out', out, '--json'], { DLKIT_DATA_DIR: sharedDatasets, DLKIT_OFFLINE: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ trainExamples: 3000, epochs: 1, reloadIdentical: true, modelDir: out });
    // 3000 images, one epoch: far above chance (10%), proving it learned from real labels.
    expect(r.json?.testAccuracy as number).toBeGreaterThan(0.55);
    expect(r.json?.predictions).toHaveLength(8);
    const card = JSON.parse(readFileSync(join(out, 'model-card.json'), 'utf8'));
    expect(card).toMatchObject({ task: 'image-classification', dataset: { name: 'fashion-mnist' } });
    expect(card.labels).toHaveLength(10);
    expect(card.training.command).toMatch(/^pnpm dlkit demo /);
    // Progress went to stderr as JSON lines (not a TTY), with the loss.
    expect(r.stderr).toMatch(/"progress":"epoch 1\/1".*"loss"/);
  });
});

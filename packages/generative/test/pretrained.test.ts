// The pretrained QuickDraw CVAE decoder from ../shared/models (DLKIT_MODEL_DIR); skipped with a reason when absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { env, selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cvae } from '../src/index.js';
import '../src/node.js';

const present = !!env.modelDir && existsSync(join(env.modelDir, 'cvae-quickdraw', 'manifest.json'));

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('Cvae.fromPretrained', () => {
  it.skipIf(!present)(present ? "generates 'apple' drawings from the QuickDraw decoder" : 'SKIPPED — DLKIT_MODEL_DIR has no cvae-quickdraw', async () => {
    const before = tf.memory().numTensors;
    const cvae = await Cvae.fromPretrained('quickdraw');
    expect(cvae.labels).toHaveLength(50);
    const apples = cvae.generate({ label: 'apple', n: 4, seed: 1 });
    expect(apples.shape).toEqual([4, 28, 28, 1]);
    const v = apples.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    // Different classes give different drawings (the label reaches the decoder).
    const moons = cvae.generate({ label: 'moon', n: 4, seed: 1 });
    const diff = tf.tidy(() => apples.sub(moons).abs().mean().dataSync()[0]!);
    expect(diff).toBeGreaterThan(0.02);
    expect(() => cvae.generate({ label: 'unicorn' })).toThrow(/label.*50 classes/);
    tf.dispose([apples, moons]);
    cvae.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(Cvae.fromPretrained('stylegan')).rejects.toThrow(/quickdraw/);
  });
});

// The release checkpoint models/mnist-vae re-evaluated on the shared MNIST t10k files: the card's
// numbers are reproducible, and the bar (negative ELBO ≤ 105 nats) holds. Skips with a reason
// when the checkpoint or ../shared is absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, getTask, selectBackend } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const model = join(root, 'models', 'mnist-vae');
const mnist = env.dataDir ? join(env.dataDir, 'mnist') : '';
const hasModel = existsSync(join(model, 'model-card.json'));
const hasData = !!mnist && existsSync(join(mnist, 't10k-images-idx3-ubyte.gz'));

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('models/mnist-vae', () => {
  const why = !hasModel ? 'models/mnist-vae is not committed' : 'DLKIT_DATA_DIR has no mnist/t10k files';
  it.skipIf(!hasModel || !hasData)(hasModel && hasData ? '`generate eval --data DIR` reproduces the card: negative ELBO ≤ 105 nats on all 10k t10k digits' : `SKIPPED — ${why}`, async () => {
    const card = JSON.parse(readFileSync(join(model, 'model-card.json'), 'utf8'));
    const verb = getTask('generate').cli!.verbs.find((v) => v.name === 'eval')!;
    // The full negative ELBO (forward passes only: seconds) with the card's seed; IW-NLL on a subset keeps CI fast.
    const r = await verb.run([], { model, data: mnist, k: 0, seed: 0 }, { log: () => {}, json: true });
    expect(r.n).toBe(10000);
    expect(r.negElbo).toBeLessThanOrEqual(105);
    // Single-sample ELBO with the same seeds: matches the card to the printed precision.
    expect(r.negElbo).toBeCloseTo(card.metrics.testNegElbo, 1);
    const iw = await verb.run([], { model, data: mnist, k: 10, limit: 500, seed: 0 }, { log: () => {}, json: true });
    expect(iw.iwNll).toBeLessThan(iw.negElbo as number);
  });
});

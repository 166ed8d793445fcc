// Test negative ELBO (and, with k > 0, IW-NLL) of an in-progress VAE checkpoint (<out>.ckpt/model), to
// watch overfitting while training runs.
// Usage: tsx scripts/eval-checkpoint.ts models/mnist-vae.ckpt '{"hidden":[512,256],"latentDim":32}' [limit] [k]
import { join } from 'node:path';
import { Rng, selectBackend } from '@dlkit/core';
import { loadModel } from '@dlkit/core/node';
import { binarize } from '../src/binarize.js';
import { registryImages } from '../src/node/images.js';
import { resolveVaeOptions } from '../src/options.js';
import { Vae } from '../src/vae.js';

await selectBackend('wasm');
const [dir, opts, limit, k] = process.argv.slice(2);
const { model } = await loadModel(join(dir!, 'model'));
const vae = new Vae(model, resolveVaeOptions(JSON.parse(opts ?? '{}')));
const test = await registryImages('mnist', 'test', limit ? Number(limit) : undefined);
const x = binarize(test.images, new Rng(1));
console.log(JSON.stringify(vae.negElbo(x, undefined, { seed: 0 })));
if (k && Number(k) > 0) {
  const t0 = performance.now();
  console.log(JSON.stringify({ ...vae.iwNll(x, undefined, { k: Number(k), seed: 0 }), seconds: (performance.now() - t0) / 1000 }));
}

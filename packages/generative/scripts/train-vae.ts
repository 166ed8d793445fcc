// Runs the same trainVae as `dlkit generate train` (for background runs before the CLI verb existed).
import { trainVae } from '../src/node/train-vae.js';

const [out, epochs, hidden, latent] = process.argv.slice(2);
const r = await trainVae({
  dataset: 'mnist',
  arch: 'mlp',
  hidden: (hidden ?? '400').split(',').map(Number),
  latentDim: Number(latent ?? 20),
  epochs: Number(epochs ?? 40),
  batchSize: 100,
  learningRate: 1e-3,
  seed: 0,
  out: out!,
  iwSamples: 0,
  backend: 'wasm',
  progress: true,
  log: console.log,
});
console.log(JSON.stringify(r));

import { Rng, selectBackend, tf } from '@dlkit/core';
import { Vae } from '../src/vae.js';

await selectBackend((process.argv[2] ?? 'wasm') as 'wasm');
const hidden = (process.argv[3] ?? '400').split(',').map(Number);
const vae = Vae.create({ hidden });
const opt = tf.train.adam(1e-3);
const rng = new Rng(0);
const x = tf.tensor4d(Float32Array.from({ length: 100 * 784 }, () => (rng.next() < 0.2 ? 1 : 0)), [100, 28, 28, 1]);
const vars = vae.graph.trainableWeights.map((w) => w.read() as tf.Variable);
for (let r = 0; r < 2; r++) {
  const t = performance.now();
  for (let i = 0; i < 20; i++) {
    const eps = vae.noise(100, rng);
    const c = opt.minimize(() => { const l = vae.lossTerms(x, eps, undefined, true); return l.recon.add(l.kl) as tf.Scalar; }, true, vars);
    c!.dataSync(); c!.dispose(); eps.dispose();
  }
  console.log('ms/step', (performance.now() - t) / 20);
}

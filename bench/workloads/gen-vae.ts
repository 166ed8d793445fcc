/**
 * Generative workloads, exactly as @dlkit/generative trains and samples them: the MLP VAE
 * (Kingma & Welling's 784-400-20, Bernoulli decoder) — one Adam step on a batch of 100
 * binarised images, and decoding 100 prior samples — and one DCGAN step (D then G, batch 64,
 * the package's default CPU-sized 28×28 DCGAN: resize-conv G 32/16, D 16/32 with spectral norm, as
 * the fashion-mnist release GANs). PyTorch measuring sticks: bench/pytorch/gen_vae.py.
 */
import { Rng, tf } from '@dlkit/core';
import { Gan, Vae } from '@dlkit/generative';
import type { Workload } from './types.js';

function binaryBatch(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n * 784 }, () => (rng.next() < 0.13 ? 1 : 0)); // MNIST's ink fraction
}

export const genVaeTrain: Workload = {
  name: 'gen-vae-train',
  description: 'MLP VAE 784-400-20 training step (Adam, batch 100, Bernoulli decoder)',
  samplesPerStep: 100,
  pytorch: { script: 'gen_vae.py', args: ['vae-train'] },
  async setup() {
    const rng = new Rng(0);
    const vae = Vae.create({ arch: 'mlp', hidden: [400], latentDim: 20 });
    const x = tf.tensor4d(binaryBatch(100, rng), [100, 28, 28, 1]);
    const opt = tf.train.adam(1e-3);
    const vars = vae.graph.trainableWeights.map((w) => w.read() as tf.Variable);
    return {
      async step() {
        const eps = vae.noise(100, rng);
        const cost = opt.minimize(
          () => {
            const t = vae.lossTerms(x, eps, undefined, true);
            return t.recon.add(t.kl) as tf.Scalar;
          },
          true,
          vars,
        )!;
        await cost.data();
        tf.dispose([cost, eps]);
      },
      dispose() {
        tf.dispose(x);
        opt.dispose();
        vae.dispose();
      },
    };
  },
};

export const genVaeSample: Workload = {
  name: 'gen-vae-sample',
  description: 'MLP VAE 784-400-20: decode 100 prior samples to pixel means',
  samplesPerStep: 100,
  pytorch: { script: 'gen_vae.py', args: ['vae-sample'] },
  async setup() {
    const vae = Vae.create({ arch: 'mlp', hidden: [400], latentDim: 20 });
    let seed = 0;
    return {
      async step() {
        const s = vae.sample({ n: 100, seed: seed++ });
        await s.data();
        s.dispose();
      },
      dispose() {
        vae.dispose();
      },
    };
  },
};

export const genDcganStep: Workload = {
  name: 'gen-dcgan-step',
  description: 'DCGAN 28×28 (resize-conv G 32/16, D 16/32 channels, spectral norm) one D + one G Adam step, batch 64',
  samplesPerStep: 64,
  pytorch: { script: 'gen_vae.py', args: ['dcgan-step'] },
  async setup() {
    const rng = new Rng(0);
    const gan = Gan.create({ latentDim: 64, gFilters: [32, 16], dFilters: [16, 32], upsample: 'nearest' });
    gan.compile({ learningRate: 2e-4, learningRateD: 4e-4, labelSmoothing: 0.1, spectralNorm: true });
    const x = tf.tidy(() => tf.tensor4d(binaryBatch(64, rng), [64, 28, 28, 1]).mul(2).sub(1) as tf.Tensor4D);
    return {
      async step() {
        gan.trainStep(x, undefined, rng); // reads both losses back, so device work is done
      },
      dispose() {
        x.dispose();
        gan.dispose();
      },
    };
  },
};

export const GEN_WORKLOADS: Workload[] = [genVaeTrain, genVaeSample, genDcganStep];

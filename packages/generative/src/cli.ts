/**
 * `dlkit generate train|sample|interpolate|eval`, declared library-free (core's TaskCli); the work is
 * in node/commands.ts, imported lazily so this file stays browser-safe.
 */
import { invalidOption, type TaskCli } from '@dlkit/core';

const backendOption = { flags: '--backend <name>', description: 'tfjs backend: auto, wasm, cpu, webgpu, tensorflow (default: DLKIT_BACKEND or auto)' };

function req(opts: Record<string, unknown>, key: string, flag: string, what: string): string {
  const v = opts[key];
  if (typeof v !== 'string' || v === '') throw invalidOption(flag, v, what);
  return v;
}

export const generateCli: TaskCli = {
  command: 'generate',
  description: 'Generative models: train VAEs/GANs, sample, interpolate, evaluate',
  verbs: [
    {
      name: 'train',
      description: 'train a VAE (MLP/conv, optionally conditional, β) or a GAN (DCGAN / conditional GAN) with checkpoints; rerunning resumes',
      options: [
        { flags: '--model-type <type>', description: 'vae or gan', default: 'vae', choices: ['vae', 'gan'] },
        { flags: '--dataset <name>', description: 'registry dataset: mnist, fashion-mnist', default: 'mnist' },
        { flags: '--arch <arch>', description: 'VAE: mlp or conv', default: 'mlp' },
        { flags: '--latent <n>', description: 'latent dimensions', parse: 'int' },
        { flags: '--hidden <list>', description: 'VAE hidden widths, comma-separated (default 400 for mlp)', parse: 'list' },
        { flags: '--filters <list>', description: 'VAE conv: channels of the two stride-2 convs (default 32,64); GAN: G channels (default 32,16)', parse: 'list' },
        { flags: '--d-filters <list>', description: 'GAN: discriminator channels of its two stride-2 convs (default 16,32)', parse: 'list' },
        { flags: '--upsample <mode>', description: 'GAN: how G upsamples: nearest (resize + 3×3 conv) or transpose (4×4 stride-2 transposed conv)', choices: ['nearest', 'transpose'] },
        { flags: '--steps-per-epoch <n>', description: 'GAN: steps per epoch (a checkpoint and a sample grid after each; default one pass over the data)', parse: 'int' },
        { flags: '--conditional', description: 'condition on the class label (CVAE / conditional GAN)' },
        { flags: '--beta <b>', description: 'VAE: weight of the KL term (β-VAE)', parse: 'float' },
        { flags: '--epochs <n>', description: 'epochs (VAE) / epochs over the data (GAN)', parse: 'int' },
        { flags: '--batch-size <n>', description: 'batch size', parse: 'int' },
        { flags: '--lr <x>', description: 'learning rate (GAN: generator; --lr-d for the discriminator, TTUR)', parse: 'float' },
        { flags: '--lr-d <x>', description: 'GAN: discriminator learning rate (TTUR)', parse: 'float' },
        { flags: '--label-smoothing <x>', description: 'GAN: one-sided label smoothing of real targets (e.g. 0.1)', parse: 'float' },
        { flags: '--spectral-norm', description: 'GAN: spectral normalisation of the discriminator weights' },
        { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
        { flags: '--max-examples <n>', description: 'use only the first n training images', parse: 'int' },
        { flags: '--iw-samples <k>', description: 'VAE: importance samples for the final test IW-NLL (0 skips)', parse: 'int' },
        { flags: '--classifier <dir>', description: 'GAN: classifier model dir for the Fréchet distance / class accuracy (e.g. models/fashion-mnist-cnn)' },
        { flags: '--eval-every <n>', description: 'GAN: every n epochs score samples with --classifier and keep the lowest-Fréchet weights in --out (latest state in <out>.ckpt); 0 = off', parse: 'int' },
        { flags: '--eval-samples <n>', description: 'GAN: samples per --eval-every evaluation (default 500)', parse: 'int' },
        { flags: '--out <dir>', description: 'where to save the model (checkpoint in <out>.ckpt)' },
        backendOption,
      ],
      async run(_args, opts, io) {
        const out = req(opts, 'out', '--out', 'the directory to save the model in');
        const hidden = opts.hidden ? (opts.hidden as string[]).map((h) => Number(h)) : undefined;
        const pair = (key: string, flag: string): [number, number] | undefined => {
          const v = opts[key] as string[] | undefined;
          if (v === undefined) return undefined;
          if (v.length !== 2) throw invalidOption(flag, v.join(','), 'two comma-separated channel counts, e.g. 32,64');
          return [Number(v[0]), Number(v[1])];
        };
        const filters = pair('filters', '--filters');
        const common = {
          dataset: opts.dataset as string,
          epochs: opts.epochs as number | undefined,
          batchSize: opts.batchSize as number | undefined,
          learningRate: opts.lr as number | undefined,
          seed: opts.seed as number,
          maxExamples: opts.maxExamples as number | undefined,
          out,
          backend: opts.backend as string | undefined,
          progress: !io.json,
          log: io.json ? undefined : io.log,
        };
        if (opts.modelType === 'gan') {
          const { trainGan } = await import('./node/train-gan.js');
          return trainGan({
            ...common,
            latentDim: opts.latent as number | undefined,
            conditional: opts.conditional === true,
            gFilters: filters,
            dFilters: pair('dFilters', '--d-filters'),
            upsample: opts.upsample as 'nearest' | 'transpose' | undefined,
            stepsPerEpoch: opts.stepsPerEpoch as number | undefined,
            learningRateD: opts.lrD as number | undefined,
            labelSmoothing: opts.labelSmoothing as number | undefined,
            spectralNorm: opts.spectralNorm === true,
            classifier: opts.classifier as string | undefined,
            evalEvery: opts.evalEvery as number | undefined,
            evalSamples: opts.evalSamples as number | undefined,
          });
        }
        const { trainVae } = await import('./node/train-vae.js');
        return trainVae({
          ...common,
          arch: opts.arch as 'mlp' | 'conv',
          filters,
          latentDim: opts.latent as number | undefined,
          hidden,
          conditional: opts.conditional === true,
          beta: opts.beta as number | undefined,
          iwSamples: opts.iwSamples as number | undefined,
        });
      },
    },
    {
      name: 'sample',
      description: 'write a grid of samples (PNG, or GIF) from a saved model or a pretrained one',
      options: [
        { flags: '--model <dir>', description: 'directory written by generate train' },
        { flags: '--pretrained <name>', description: 'a pretrained generator: quickdraw (ml5 CVAE decoder)' },
        { flags: '--model-dir <dir>', description: 'folder holding pretrained model folders (default DLKIT_MODEL_DIR, then cache, then download)' },
        { flags: '--label <label>', description: 'class index or name (conditional models)' },
        { flags: '--n <n>', description: 'number of samples', default: 16, parse: 'int' },
        { flags: '--cols <n>', description: 'images per row', parse: 'int' },
        { flags: '--temperature <t>', description: 'VAE: scale of the prior noise', parse: 'float' },
        { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
        { flags: '--out <file>', description: 'output .png (grid) or .gif', default: 'samples.png' },
        backendOption,
      ],
      async run(_args, opts, io) {
        const { sampleCommand } = await import('./node/commands.js');
        const r = await sampleCommand({
          model: opts.model as string | undefined,
          pretrained: opts.pretrained as string | undefined,
          modelDir: opts.modelDir as string | undefined,
          label: opts.label as string | undefined,
          n: opts.n as number,
          cols: opts.cols as number | undefined,
          temperature: opts.temperature as number | undefined,
          seed: opts.seed as number,
          out: opts.out as string,
          backend: opts.backend as string | undefined,
        });
        io.log(`Wrote ${r.n} samples to ${r.out}.`);
        return r;
      },
    },
    {
      name: 'interpolate',
      description: 'decode a latent path between two random points (linear or spherical) as a strip/GIF',
      options: [
        { flags: '--model <dir>', description: 'a VAE directory' },
        { flags: '--steps <n>', description: 'points on the path', default: 10, parse: 'int' },
        { flags: '--mode <mode>', description: 'linear or spherical', default: 'spherical', choices: ['linear', 'spherical'] },
        { flags: '--label <label>', description: 'conditional VAE: class at the start' },
        { flags: '--label-b <label>', description: 'conditional VAE: class at the end (default: --label)' },
        { flags: '--seed <s>', description: 'seed of the two endpoints', default: 0, parse: 'int' },
        { flags: '--out <file>', description: 'output .png strip or .gif', default: 'interpolation.png' },
        backendOption,
      ],
      async run(_args, opts, io) {
        const { interpolateCommand } = await import('./node/commands.js');
        const r = await interpolateCommand({
          model: req(opts, 'model', '--model', 'a VAE directory written by generate train'),
          steps: opts.steps as number,
          mode: opts.mode as 'linear' | 'spherical',
          label: opts.label as string | undefined,
          labelB: opts.labelB as string | undefined,
          seed: opts.seed as number,
          out: opts.out as string,
          backend: opts.backend as string | undefined,
        });
        io.log(`Wrote a ${r.steps}-step ${r.mode} interpolation to ${r.out}.`);
        return r;
      },
    },
    {
      name: 'eval',
      description: 'VAE: test negative ELBO and IW-NLL (nats); with --classifier (required for GANs): Fréchet distance on its features, real-vs-real floor, coverage, class accuracy',
      options: [
        { flags: '--model <dir>', description: 'a VAE or GAN directory' },
        { flags: '--data <dir>', description: 'folder with MNIST-layout t10k IDX files (default: the registry test split of --dataset)' },
        { flags: '--dataset <name>', description: "registry dataset for test images (default: the model card's)" },
        { flags: '--classifier <dir>', description: 'classifier model dir (e.g. models/fashion-mnist-cnn) for sample metrics on its penultimate features (not Inception FID)' },
        { flags: '--n <n>', description: 'samples (and real test images per set) for the sample metrics', default: 1000, parse: 'int' },
        { flags: '--save-metrics', description: "write the sample metrics and this command into the model's card" },
        { flags: '--k <k>', description: 'importance samples for the IW-NLL (0 skips; cost grows linearly with k)', default: 16, parse: 'int' },
        { flags: '--limit <n>', description: 'evaluate only the first n test images', parse: 'int' },
        { flags: '--seed <s>', description: 'seed of the binarisation and posterior samples', default: 0, parse: 'int' },
        backendOption,
      ],
      async run(_args, opts, io) {
        const { evalCommand } = await import('./node/commands.js');
        const r = await evalCommand({
          model: req(opts, 'model', '--model', 'a VAE or GAN directory written by generate train'),
          data: opts.data as string | undefined,
          dataset: opts.dataset as string | undefined,
          classifier: opts.classifier as string | undefined,
          n: opts.n as number,
          saveMetrics: opts.saveMetrics === true,
          k: opts.k as number,
          limit: opts.limit as number | undefined,
          seed: opts.seed as number,
          backend: opts.backend as string | undefined,
        });
        if (r.negElbo !== undefined) io.log(`negative ELBO ${r.negElbo} nats${r.iwNll !== undefined ? `, IW-NLL (k=${r.k}) ${r.iwNll} nats` : ''} over ${r.n} images`);
        const s = r.samples;
        if (s) {
          io.log(`Fréchet distance on ${s.classifier} features: ${s.frechet} (real vs real: ${s.frechetRealVsReal}; n = ${s.n}); ${s.classesCovered} classes covered`);
          if (s.classAccuracy !== undefined) io.log(`samples classified as their intended class: ${(100 * s.classAccuracy).toFixed(1)}%`);
        }
        return r;
      },
    },
  ],
};

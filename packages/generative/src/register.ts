// Registers the 'image-generation' task (and its `dlkit generate` verbs) in core's task registry.
import { registerTask } from '@dlkit/core';
import { generateCli } from './cli.js';
import type { VaeOptions } from './options.js';
import { Vae } from './vae.js';

registerTask<VaeOptions & { seed?: number }, Vae>({
  id: 'image-generation',
  aliases: ['generate', 'generative', 'vae'],
  modality: 'generation',
  description: 'VAEs (MLP/conv, conditional, β) and GANs that generate images; pretrained QuickDraw CVAE',
  defaultModel: 'mnist-vae',
  async create(options = {}) {
    return Vae.create(options);
  },
  cli: generateCli,
});

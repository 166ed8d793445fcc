/** VAE options: validated once, with defaults, so every entry point (API, CLI, load) agrees. */
import { checkInt, checkNumber, checkOneOf, invalidOption } from '@dlkit/core';

export const VAE_ARCHS = ['mlp', 'conv'] as const;
export type VaeArch = (typeof VAE_ARCHS)[number];

export interface VaeOptions {
  /** 'mlp' (Kingma & Welling's 784-400-20 by default) or 'conv' (two stride-2 convs each way). */
  arch?: VaeArch;
  /** Latent dimensions (default 20). */
  latentDim?: number;
  /** Hidden dense widths of the encoder; the decoder mirrors them (default [400]). */
  hidden?: number[];
  /** Conv channels of the two stride-2 layers (arch 'conv'; default [32, 64]). */
  filters?: [number, number];
  /** Number of classes for a conditional VAE (0 = unconditional, the default). */
  classes?: number;
  /** Weight of the KL term in the training loss (β-VAE; default 1). Evaluation always reports β = 1. */
  beta?: number;
  /** Image shape [h, w, c]; h and w divisible by 4 for 'conv' (default [28, 28, 1]). */
  imageShape?: [number, number, number];
}

export type ResolvedVaeOptions = Required<VaeOptions>;

export function resolveVaeOptions(o: VaeOptions = {}): ResolvedVaeOptions {
  const arch = checkOneOf('arch', o.arch ?? 'mlp', VAE_ARCHS);
  const hidden = o.hidden ?? (arch === 'mlp' ? [400] : []);
  if (!Array.isArray(hidden)) throw invalidOption('hidden', hidden, 'an array of positive integers, e.g. [400]');
  for (const [i, h] of hidden.entries()) checkInt(`hidden[${i}]`, h, 1);
  const filters = o.filters ?? [32, 64];
  if (!Array.isArray(filters) || filters.length !== 2) throw invalidOption('filters', filters, 'two positive integers, e.g. [32, 64]');
  for (const [i, f] of filters.entries()) checkInt(`filters[${i}]`, f, 1);
  const imageShape = o.imageShape ?? [28, 28, 1];
  if (!Array.isArray(imageShape) || imageShape.length !== 3) throw invalidOption('imageShape', imageShape, '[height, width, channels]');
  for (const [i, d] of imageShape.entries()) checkInt(`imageShape[${i}]`, d, 1);
  if (arch === 'conv' && (imageShape[0] % 4 !== 0 || imageShape[1] % 4 !== 0)) {
    throw invalidOption('imageShape', imageShape, "height and width divisible by 4 for arch 'conv' (two stride-2 layers)");
  }
  return {
    arch,
    latentDim: checkInt('latentDim', o.latentDim ?? 20, 1),
    hidden: [...hidden],
    filters: [filters[0], filters[1]],
    classes: checkInt('classes', o.classes ?? 0, 0),
    beta: checkNumber('beta', o.beta ?? 1, 0),
    imageShape: [imageShape[0], imageShape[1], imageShape[2]],
  };
}

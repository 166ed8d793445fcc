/**
 * Pretrained generative models by name. Node resolves the files DLKIT_MODEL_DIR/<folder> → cache →
 * canonical URL (core's resolveAsset; see node/pretrained-files.ts); a browser loads the URL.
 */
import { invalidOption } from '@dlkit/core';

export interface PretrainedGenerator {
  name: string;
  aliases: string[];
  /** Folder under DLKIT_MODEL_DIR / the cache. */
  folder: string;
  /** Canonical base URL (pinned commit) of the folder. */
  baseUrl: string;
  /** JSON with `labels` (and `model`: path of model.json inside the folder). */
  manifest: string;
  latentDim: number;
  /**
   * One-hot layout: ml5's CVAE export reserves slot 0 (its one-hot has labels.length + 1 entries and
   * class i sits at i + 1), so the offset is part of the model.
   */
  labelOffset: number;
  /** The latent distribution the reference client (ml5.CVAE) feeds the decoder. */
  latent: 'uniform' | 'normal';
  source: string;
  license: string;
}

export const PRETRAINED: PretrainedGenerator[] = [
  {
    name: 'cvae-quickdraw',
    aliases: ['quickdraw', 'quick-draw'],
    folder: 'cvae-quickdraw',
    baseUrl: 'https://raw.githubusercontent.com/ml5js/ml5-data-and-models/0612a3e7c51cbffdc5db701dff49d16d1ac26fa8/models/CVAE/quick_draw/',
    manifest: 'manifest.json',
    latentDim: 16,
    labelOffset: 1,
    latent: 'uniform',
    source: 'ml5js/ml5-data-and-models@0612a3e : models/CVAE/quick_draw/',
    license: 'MIT',
  },
];

export function pretrainedGenerator(name: string): PretrainedGenerator {
  const key = name.toLowerCase();
  const spec = PRETRAINED.find((p) => p.name === key || p.aliases.includes(key));
  if (!spec) throw invalidOption('name', name, `one of ${PRETRAINED.flatMap((p) => [p.name, ...p.aliases]).map((n) => JSON.stringify(n)).join(', ')}`);
  return spec;
}

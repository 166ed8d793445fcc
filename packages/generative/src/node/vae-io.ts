/** Save/load a Vae as one model directory (core's atomic saveModel): the graph + model-card.json holding the options. */
import { DlkitError, type ModelCard } from '@dlkit/core';
import { loadModel, saveModel } from '@dlkit/core/node';
import { resolveVaeOptions, type VaeOptions } from '../options.js';
import { Vae } from '../vae.js';

export const VAE_TASK = 'image-generation';

export async function saveVae(vae: Vae, dir: string, card: Partial<ModelCard> = {}): Promise<ModelCard> {
  return saveModel(vae.graph, dir, {
    ...card,
    task: VAE_TASK,
    extra: { ...card.extra, kind: 'vae', vae: vae.options },
  });
}

export async function loadVae(dir: string): Promise<{ vae: Vae; card: ModelCard }> {
  const { model, card } = await loadModel(dir);
  const opts = card?.extra?.vae as VaeOptions | undefined;
  if (!card || card.extra?.kind !== 'vae' || !opts) {
    model.dispose();
    throw new DlkitError('INVALID_INPUT', `${dir} is not a dlkit VAE: its model-card.json has no extra.kind = "vae".`, {
      hint: 'Pass a directory written by `dlkit generate train` or saveVae().',
      details: { file: dir },
    });
  }
  return { vae: new Vae(model, resolveVaeOptions(opts)), card };
}

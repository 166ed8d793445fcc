/** Save/load a Gan as one model directory (core's atomic saveModel), options in the card. */
import { DlkitError, type ModelCard } from '@dlkit/core';
import { loadModel, saveModel } from '@dlkit/core/node';
import { Gan } from '../gan.js';
import { type GanOptions, resolveGanOptions } from '../gan-model.js';

export async function saveGan(gan: Gan, dir: string, card: Partial<ModelCard> = {}): Promise<ModelCard> {
  return saveModel(gan.graph, dir, { ...card, task: 'image-generation', extra: { ...card.extra, kind: 'gan', gan: gan.options } });
}

export async function loadGan(dir: string): Promise<{ gan: Gan; card: ModelCard }> {
  const { model, card } = await loadModel(dir);
  const opts = card?.extra?.gan as GanOptions | undefined;
  if (!card || card.extra?.kind !== 'gan' || !opts) {
    model.dispose();
    throw new DlkitError('INVALID_INPUT', `${dir} is not a dlkit GAN: its model-card.json has no extra.kind = "gan".`, {
      hint: 'Pass a directory written by `dlkit generate train --model-type gan` or saveGan().',
    });
  }
  return { gan: new Gan(model, resolveGanOptions(opts)), card };
}

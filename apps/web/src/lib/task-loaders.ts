/**
 * Browser twins of the task packages' Node `load(dir)`: the same model-card fields turned into the
 * same objects through each package's public constructors, with the files fetched over HTTP
 * (load-model.ts) instead of read from disk.
 */
import { DlkitError, type ModelCard, tf } from '@dlkit/core';
import type { OnProgress } from './fetch.js';
import { loadLayersModel, loadModelFiles } from './load-model.js';

function expectTask(card: ModelCard | undefined, task: string, url: string): asserts card is ModelCard {
  if (!card || card.task !== task) {
    throw new DlkitError('CORRUPT_DATA', `${url} is not a saved ${task} model (model-card.json task is ${JSON.stringify(card?.task)}).`);
  }
}

export async function loadSentiment(url: string, onProgress?: OnProgress) {
  const { SENTIMENT_TASK, SentimentClassifier, UniversalSentenceEncoder, registerTextLayers } = await import('@dlkit/text');
  registerTextLayers();
  const { model, card } = await loadLayersModel(url, onProgress);
  try {
    expectTask(card, SENTIMENT_TASK, url);
    const x = card.extra ?? {};
    if (!card.labels || typeof x.spec !== 'object' || typeof x.tokenizer !== 'object') {
      throw new DlkitError('CORRUPT_DATA', `${url}model-card.json lacks labels, extra.spec or extra.tokenizer.`);
    }
    type State = Parameters<typeof SentimentClassifier.fromState>[1];
    const state = { labels: card.labels, spec: x.spec, tokenizer: x.tokenizer, truncation: card.preprocessing?.truncation ?? 'head' } as State;
    // A hybrid model also reads the Universal Sentence Encoder's vector (files served under /use-lite/).
    const sentenceEmbedder = (x.spec as { sentenceEncoder?: string }).sentenceEncoder === 'use-lite' ? await UniversalSentenceEncoder.fromUrl('/use-lite/') : undefined;
    return { classifier: SentimentClassifier.fromState(model, state, { sentenceEmbedder }), card };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

export async function loadAgent(url: string, onProgress?: OnProgress) {
  const { DQN, makeEnv } = await import('@dlkit/rl');
  const { model, card } = await loadLayersModel(url, onProgress);
  try {
    expectTask(card, 'reinforcement-learning', url);
    const x = (card.extra ?? {}) as Record<string, unknown>;
    const env = makeEnv(x.envId as string, (x.envOptions as Record<string, unknown>) ?? {});
    const agent = new DQN(env, { ...(card.training?.hyperparameters ?? {}) });
    if (x.envOptions) agent.envOptions = x.envOptions as Record<string, unknown>;
    agent.setQNetworkWeights(model);
    return { agent, card };
  } finally {
    model.dispose();
  }
}

export async function loadVae(url: string, onProgress?: OnProgress) {
  const { Vae, resolveVaeOptions } = await import('@dlkit/generative');
  const { model, card } = await loadLayersModel(url, onProgress);
  const opts = card?.extra?.vae;
  if (card?.extra?.kind !== 'vae' || !opts) {
    model.dispose();
    throw new DlkitError('CORRUPT_DATA', `${url} is not a dlkit VAE: its model-card.json has no extra.kind = "vae".`);
  }
  return { vae: new Vae(model, resolveVaeOptions(opts as Parameters<typeof resolveVaeOptions>[0])), card };
}

export async function loadGan(url: string, onProgress?: OnProgress) {
  const { Gan, resolveGanOptions } = await import('@dlkit/generative');
  const { model, card } = await loadLayersModel(url, onProgress);
  const opts = card?.extra?.gan;
  if (card?.extra?.kind !== 'gan' || !opts) {
    model.dispose();
    throw new DlkitError('CORRUPT_DATA', `${url} is not a dlkit GAN: its model-card.json has no extra.kind = "gan".`);
  }
  return { gan: new Gan(model, resolveGanOptions(opts as Parameters<typeof resolveGanOptions>[0])), card };
}

export async function loadRecommender(url: string, onProgress?: OnProgress) {
  const { Recommender, createModel, MODEL_TYPES } = await import('@dlkit/recommenders');
  type ModelType = (typeof MODEL_TYPES)[number];
  // Weights-only format (named tensors, no layers topology): decode them by name.
  const f = await loadModelFiles(url, onProgress);
  const card = f.card;
  expectTask(card, 'recommendation', url);
  const x = (card.extra ?? {}) as Record<string, unknown>;
  const type = x.modelType as ModelType;
  if (!MODEL_TYPES.includes(type)) throw new DlkitError('CORRUPT_DATA', `${url}model-card.json names an unknown modelType ${JSON.stringify(type)}.`);
  const tensors = tf.io.decodeWeights(f.weightData, f.weightSpecs);
  const w: Record<string, { data: Float32Array; shape: number[] }> = {};
  for (const [name, t] of Object.entries(tensors)) {
    w[name] = { data: (await t.data()) as Float32Array, shape: t.shape };
    t.dispose();
  }
  // config() mixes constructor options with fitted fields; split them back (as the Node loader does).
  const FITTED = ['center', 'range', 'numUsers', 'numItems'];
  const config = (x.modelConfig ?? {}) as Record<string, unknown>;
  const model = createModel(type, Object.fromEntries(Object.entries(config).filter(([k]) => !FITTED.includes(k))));
  Object.assign(model, Object.fromEntries(Object.entries(config).filter(([k]) => FITTED.includes(k))));
  model.setWeights(w);
  const rec = new Recommender({ modelType: type }, model);
  rec.setState({
    userIds: x.userIds as string[],
    itemIds: x.itemIds as string[],
    side: { ...(x.side as object), itemTitles: card.labels } as never,
    ratingRange: x.ratingRange as [number, number],
    seen: x.seen as number[][],
  });
  return { recommender: rec, card };
}

/**
 * SentimentClassifier save/load (Node): the tfjs model through core saveModel (atomic directory
 * swap, weight checksums); labels, tokenizer and preprocessing in model-card.json, so load()
 * needs nothing else.
 */
import { DlkitError, type ModelCard, ready } from '@dlkit/core';
import { loadModel, saveModel } from '@dlkit/core/node';
import { SENTIMENT_TASK, SentimentClassifier, type SentimentState } from '../classifier.js';
import { registerTextLayers } from '../models/layers.js';
import { TRUNCATIONS } from '../tokenizers/truncate.js';

export interface SaveCardExtra {
  name?: string;
  metrics?: ModelCard['metrics'];
  dataset?: ModelCard['dataset'];
  training?: ModelCard['training'];
  extra?: Record<string, unknown>;
  /** Store the word-embedding tables as uint8 (4× smaller) or float16; other weights stay float32. */
  embeddingsDtype?: 'uint8' | 'float16';
}

/** Manifest names of embedding tables: `embedding/…`, `embedding_static/…`, and `m3_embedding/…` inside ensembles. */
const EMBEDDING_WEIGHT = /^(m\d+_)?embedding(_static)?\//;

export async function saveClassifier(clf: SentimentClassifier, dir: string, card: SaveCardExtra = {}): Promise<ModelCard> {
  const state = clf.state();
  return saveModel(clf.model, dir, {
    task: SENTIMENT_TASK,
    name: card.name,
    labels: state.labels,
    preprocessing: { tokenizer: state.tokenizer.kind, maxLength: state.spec.maxLength, truncation: state.truncation, addCls: state.spec.arch === 'transformer' },
    metrics: card.metrics,
    dataset: card.dataset,
    training: card.training,
    extra: { ...card.extra, spec: state.spec, tokenizer: state.tokenizer, ...(card.embeddingsDtype ? { embeddingsDtype: card.embeddingsDtype } : {}) },
  }, card.embeddingsDtype ? { quantize: { dtype: card.embeddingsDtype, weights: (name) => EMBEDDING_WEIGHT.test(name) } } : {});
}

export async function loadClassifier(dir: string): Promise<SentimentClassifier> {
  registerTextLayers();
  // Tensors must be created after the backend is chosen (auto or DLKIT_BACKEND).
  await ready();
  const { model, card } = await loadModel(dir);
  try {
    if (!card || card.task !== SENTIMENT_TASK) {
      throw new DlkitError('CORRUPT_DATA', `${dir} is not a saved sentiment classifier (model-card.json task is ${JSON.stringify(card?.task)}, expected "${SENTIMENT_TASK}").`, {
        hint: 'Pass a directory written by `dlkit sentiment train` or SentimentClassifier.save().',
      });
    }
    const extra = card.extra ?? {};
    const pre = card.preprocessing ?? {};
    if (!card.labels || typeof extra.spec !== 'object' || typeof extra.tokenizer !== 'object' || !TRUNCATIONS.includes(pre.truncation as never)) {
      throw new DlkitError('CORRUPT_DATA', `${dir}/model-card.json lacks labels, extra.spec, extra.tokenizer or preprocessing.truncation.`, {
        hint: 'Re-save the classifier with SentimentClassifier.save().',
      });
    }
    const state: SentimentState = { labels: card.labels, spec: extra.spec as SentimentState['spec'], tokenizer: extra.tokenizer as SentimentState['tokenizer'], truncation: pre.truncation as SentimentState['truncation'] };
    return SentimentClassifier.fromState(model, state);
  } catch (e) {
    model.dispose();
    throw e;
  }
}

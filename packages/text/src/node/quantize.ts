/**
 * `dlkit sentiment quantize --model DIR --out DIR --dtype uint8`: re-saves a classifier with its
 * embedding tables quantized (the bulk of a text checkpoint) and re-evaluates the *saved* model, so
 * the card's numbers are the quantized model's, with the float model's kept beside them.
 */
import { join } from 'node:path';
import { invalidOption } from '@dlkit/core';
import { atomicWriteFile, readModelCard } from '@dlkit/core/node';
import { SentimentClassifier } from '../classifier.js';
import { readLabelledText } from './labelled-data.js';

export interface QuantizeCommandOptions {
  model: string;
  out: string;
  dtype: 'uint8' | 'float16';
  /** Validation data (default: the card's). */
  val?: string;
  command?: string;
  log?: (line: string) => void;
}

export async function quantizeCommand(o: QuantizeCommandOptions): Promise<Record<string, unknown>> {
  if (o.dtype !== 'uint8' && o.dtype !== 'float16') throw invalidOption('dtype', o.dtype, "'uint8' | 'float16'");
  const card = await readModelCard(o.model);
  const valSource = o.val ?? (card.extra?.validation as { data?: string } | undefined)?.data;
  const clf = await SentimentClassifier.load(o.model);
  try {
    await clf.save(o.out, { name: card.name, metrics: card.metrics, dataset: card.dataset, training: card.training, extra: card.extra, embeddingsDtype: o.dtype });
  } finally {
    clf.dispose();
  }
  const saved = await SentimentClassifier.load(o.out);
  let report: Awaited<ReturnType<SentimentClassifier['evaluate']>> | undefined;
  try {
    if (valSource) report = await saved.evaluate(await readLabelledText(valSource, saved.labels));
  } finally {
    saved.dispose();
  }
  const out = await readModelCard(o.out);
  const recipe = [...((card.extra?.recipe as unknown[] | undefined) ?? [{ command: card.training?.command, wallTimeSeconds: card.training?.wallTimeSeconds }]), { command: o.command }];
  if (report) out.metrics = { accuracy: report.accuracy, f1: report.f1, n: report.n, confusion: { matrix: report.confusion, labels: report.labels } };
  out.extra = { ...out.extra, unquantizedMetrics: card.metrics, recipe };
  await atomicWriteFile(join(o.out, 'model-card.json'), `${JSON.stringify(out, null, 2)}\n`);
  if (report) o.log?.(`${o.out}: embeddings ${o.dtype}; val_accuracy ${report.accuracy.toFixed(4)} (float: ${(card.metrics?.accuracy as number | undefined)?.toFixed(4)})`);
  return { out: o.out, dtype: o.dtype, validation: report ? { accuracy: report.accuracy, f1: report.f1, n: report.n } : undefined, unquantized: card.metrics ? { accuracy: card.metrics.accuracy } : undefined };
}

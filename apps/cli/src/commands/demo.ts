/**
 * `dlkit demo` — the Quick start's end-to-end run: Fashion-MNIST, a small CNN, one epoch with a
 * progress bar, evaluation, save with a model card, reload, check the reloaded model predicts the
 * same, and classify a few test images.
 */
import { join } from 'node:path';
import { type BackendName, checkInt, DlkitError, env, selectBackend, setSeed, tf } from '@dlkit/core';
import { loadModel, saveModel } from '@dlkit/core/node';
import { type ImageExample, loadDataset } from '@dlkit/data/node';
import { accuracy, confusionMatrix, progressBar } from '@dlkit/train';
import { fit } from '@dlkit/train/node';
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { loadImageTensors } from './image-tensors.js';

export interface DemoOptions {
  epochs: number;
  batchSize: number;
  limit?: number;
  out: string;
  backend?: BackendName;
  seed: number;
}

/** Small enough for an epoch of 60k images in about a minute on wasm; ~85% test accuracy after one epoch. */
export function buildDemoCnn(classes: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu', padding: 'same' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
}

export async function runDemo(opts: DemoOptions, o: Output): Promise<Record<string, unknown>> {
  const started = Date.now();
  const backend = await selectBackend(opts.backend);
  o.log(`backend: ${backend.selected} (${backend.reason})`);
  setSeed(opts.seed);

  const trainDs = await loadDataset<ImageExample>('fashion-mnist', { split: 'train' });
  const testDs = await loadDataset<ImageExample>('fashion-mnist', { split: 'test' });
  const classes = trainDs.classes ?? [];
  const train = await loadImageTensors(trainDs, classes.length, opts.limit);
  const test = await loadImageTensors(testDs, classes.length, opts.limit === undefined ? undefined : Math.max(100, Math.floor(opts.limit / 6)));
  o.log(`fashion-mnist: ${train.count} training and ${test.count} test images, ${classes.length} classes`);

  const model = buildDemoCnn(classes.length);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const trainStart = Date.now();
  const history = await fit(model, train.xs, train.ys, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    shuffle: true,
    seed: opts.seed,
    callbacks: [progressBar()],
    // Ctrl-C finishes the batch and saves a resumable checkpoint here instead of losing the run.
    checkpointDir: `${opts.out}.interrupted`,
  });
  if (history.interrupted) throw new DlkitError('INTERRUPTED', `Training interrupted; a checkpoint was saved to ${opts.out}.interrupted.`);
  const trainSeconds = (Date.now() - trainStart) / 1000;

  const probs = model.predict(test.xs) as tf.Tensor;
  const predicted = Array.from(await probs.argMax(-1).data());
  probs.dispose();
  const testAccuracy = accuracy(test.labels, predicted);
  const confusion = confusionMatrix(test.labels, predicted, { numClasses: classes.length });
  o.log(`test accuracy: ${(testAccuracy * 100).toFixed(2)}% on ${test.count} images (trained ${trainSeconds.toFixed(1)} s, ${Math.round((train.count * opts.epochs) / trainSeconds)} samples/s)`);

  const card = await saveModel(model, opts.out, {
    name: 'fashion-mnist-demo-cnn',
    task: 'image-classification',
    labels: classes,
    preprocessing: { size: [28, 28], channels: 1, scale: 1 / 255 },
    metrics: { testAccuracy, trainLoss: history.history.loss?.at(-1) ?? Number.NaN },
    dataset: { name: 'fashion-mnist', split: 'train', examples: train.count },
    training: {
      command: `pnpm dlkit demo --epochs ${opts.epochs} --batch-size ${opts.batchSize}${opts.limit ? ` --limit ${opts.limit}` : ''} --seed ${opts.seed}`,
      epochs: opts.epochs,
      wallTimeSeconds: trainSeconds,
      backend: backend.selected,
      date: new Date().toISOString(),
      hyperparameters: { optimizer: 'adam', learningRate: 1e-3, batchSize: opts.batchSize },
    },
  });
  o.log(`saved: ${opts.out} (model.json, weights.bin sha256 ${card.weights?.[0]?.sha256.slice(0, 12)}…, model-card.json)`);

  // Reload and check the round trip reproduces predictions exactly.
  const { model: reloaded, card: reloadedCard } = await loadModel(opts.out);
  const sample = test.xs.slice(0, Math.min(8, test.count));
  const before = model.predict(sample) as tf.Tensor;
  const after = reloaded.predict(sample) as tf.Tensor;
  const [a, b] = await Promise.all([before.data(), after.data()]);
  const identical = a.length === b.length && a.every((v, i) => v === b[i]);
  const labels = reloadedCard?.labels ?? classes;
  const predictions = [];
  const rows = after.shape[0] ?? 0;
  for (let i = 0; i < rows; i++) {
    const row = Array.from(b.subarray(i * labels.length, (i + 1) * labels.length));
    const best = row.indexOf(Math.max(...row));
    predictions.push({ index: i, label: labels[best], score: row[best], truth: labels[test.labels[i]!] });
  }
  o.log(`reloaded: predictions ${identical ? 'identical' : 'DIFFER'} to the saved model`);
  for (const p of predictions) o.log(`  test #${p.index}: ${p.label} (${(p.score! * 100).toFixed(1)}%), truth ${p.truth}`);
  tf.dispose([sample, before, after, train.xs, train.ys, test.xs, test.ys]);
  model.dispose();
  reloaded.dispose();
  if (!identical) throw new Error('the reloaded model predicts differently from the saved one');

  return {
    backend: backend.selected,
    trainExamples: train.count,
    testExamples: test.count,
    epochs: opts.epochs,
    trainSeconds,
    testAccuracy,
    confusion,
    modelDir: opts.out,
    reloadIdentical: identical,
    predictions,
    seconds: (Date.now() - started) / 1000,
  };
}

export function registerDemo(program: Command, out: (cmd: Command) => Output): void {
  program
    .command('demo')
    .description('train a small CNN on Fashion-MNIST, evaluate, save, reload and predict')
    .option('--epochs <n>', 'training epochs', '1')
    .option('--batch-size <n>', 'batch size', '64')
    .option('--limit <n>', 'use only the first N training images (quick runs)')
    .option('--seed <n>', 'random seed', '42')
    .option('--backend <name>', 'auto | webgpu | wasm | cpu | tensorflow (default: DLKIT_BACKEND or auto)')
    .option('--out <dir>', 'where to save the model', join(env.cacheDir, 'models', 'demo-fashion-mnist-cnn'))
    .option('--json', 'print the result as one JSON line')
    .action(async (raw: Record<string, string | undefined>, cmd: Command) => {
      const o = out(cmd);
      const opts: DemoOptions = {
        epochs: checkInt('--epochs', Number(raw.epochs), 1),
        batchSize: checkInt('--batch-size', Number(raw.batchSize), 1),
        limit: raw.limit === undefined ? undefined : checkInt('--limit', Number(raw.limit), 1),
        seed: checkInt('--seed', Number(raw.seed), 0),
        backend: raw.backend as BackendName | undefined,
        out: raw.out!,
      };
      o.result(await runDemo(opts, o));
    });
}

/**
 * Pretrain → fine-tune vs from scratch, the honest comparison of issue 4: the same small
 * Transformer, tokenizer, SST-2 data, epochs and seed, once initialised by MLM pretraining on
 * unlabelled text and once at random. Writes the comparison into the fine-tuned model's card.
 *   DLKIT_DATA_DIR=../shared/datasets pnpm tsx packages/text/scripts/mlm-vs-scratch.ts \
 *     --steps 400 --batch-size 32 --max-length 32 --max-examples 10000 --epochs 1 --out models/sst2-transformer-mlm
 */
import { parseArgs } from 'node:util';
import { readModelCard } from '@dlkit/core/node';
import { loadEncoder, mlmPretrainCommand, SentimentClassifier, trainCommand } from '../src/node.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'imdb:train,sst2:train' },
    steps: { type: 'string', default: '400' },
    'batch-size': { type: 'string', default: '32' },
    epochs: { type: 'string', default: '1' },
    'max-examples': { type: 'string', default: '10000' },
    dim: { type: 'string', default: '64' },
    layers: { type: 'string', default: '2' },
    'max-vocab': { type: 'string', default: '12000' },
    'max-length': { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '0' },
    encoder: { type: 'string', default: '/tmp/dlkit-sst2-encoder' },
    scratch: { type: 'string', default: '/tmp/dlkit-sst2-transformer-scratch' },
    out: { type: 'string', default: 'models/sst2-transformer-mlm' },
  },
});
const log = (m: string) => console.error(m);
const command = `pnpm tsx packages/text/scripts/mlm-vs-scratch.ts ${process.argv.slice(2).join(' ')}`;
const n = (k: keyof typeof values) => Number(values[k]);

const pre = await mlmPretrainCommand({
  data: values.data!.split(','),
  out: values.encoder!,
  steps: n('steps'),
  batchSize: n('batch-size'),
  maxLength: n('max-length'),
  embeddingDim: n('dim'),
  layers: n('layers'),
  maxVocab: n('max-vocab'),
  seed: n('seed'),
  log,
  command,
});
log(`pretrained: ${JSON.stringify(pre)}`);
const common = { data: 'sst2', maxExamples: n('max-examples'), epochs: n('epochs'), batchSize: 64, learningRate: n('lr'), seed: n('seed'), log, command };
const fine = await trainCommand({ ...common, out: values.out!, encoder: values.encoder });
// From scratch: same tokenizer (the encoder's vocabulary), same architecture, random init.
const { encoder, tokenizer, spec } = await loadEncoder(values.encoder!);
encoder.dispose();
const scratch = await trainCommand({ ...common, out: values.scratch!, arch: 'transformer', tokenizer, maxLength: spec.maxLength, embeddingDim: spec.embeddingDim, layers: spec.layers, heads: spec.heads });
const comparison = {
  note: 'Small model (2 blocks × 64 d), short runs on a shared 2-core machine (wasm backend); same data, epochs, LR and seed for both.',
  pretraining: { data: values.data, steps: n('steps'), batchSize: n('batch-size'), maxLength: n('max-length'), firstMlmLoss: pre.firstLoss, finalMlmLoss: pre.finalLoss, seconds: pre.seconds },
  fineTuning: { examples: n('max-examples'), epochs: n('epochs') },
  sst2DevAccuracy: { pretrainedThenFineTuned: (fine.validation as { accuracy: number }).accuracy, fromScratch: (scratch.validation as { accuracy: number }).accuracy },
  command,
};
log(JSON.stringify(comparison));
const card = await readModelCard(values.out!);
const clf = await SentimentClassifier.load(values.out!);
await clf.save(values.out!, { name: card.name, metrics: card.metrics, dataset: card.dataset, training: card.training, extra: { ...card.extra, comparison } });
clf.dispose();
console.log(JSON.stringify(comparison));

/**
 * `dlkit vision train|eval|predict|fine-tune|lr-find`, declared library-free (core's TaskCli);
 * the work is in node/commands.ts, imported lazily so this file stays browser-safe.
 */
import { type CliOption, invalidOption, type TaskCli } from '@dlkit/core';
import type { Tta } from './classifier.js';

const data: CliOption[] = [
  { flags: '--data <path>', description: 'registry dataset (fashion-mnist, mnist, cifar10), IDX folder, folder with one subfolder per class, or a .tar of one' },
  { flags: '--split <name>', description: 'registry/IDX split (train, test)' },
  { flags: '--prefix <dir>', description: 'folder inside a .tar that holds the class folders (e.g. train/)' },
];
const augment: CliOption[] = [
  { flags: '--shift <f>', description: 'random shift, fraction of the size (e.g. 0.1)', parse: 'float' },
  { flags: '--rotation <deg>', description: 'random rotation up to ± degrees', parse: 'float' },
  { flags: '--zoom <f>', description: 'random zoom ± fraction', parse: 'float' },
  { flags: '--flip', description: 'random horizontal flips (not for digits/text)' },
  { flags: '--label-smoothing <e>', description: 'label smoothing ε', parse: 'float' },
];
const common: CliOption[] = [
  { flags: '--batch-size <n>', description: 'batch size', default: 64, parse: 'int' },
  { flags: '--val-split <f>', description: 'seeded stratified hold-out fraction, evaluated and recorded in the model card', parse: 'float' },
  { flags: '--test-split <name>', description: 'also evaluate on this split of the same dataset (e.g. test) and record it' },
  { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
  { flags: '--out <dir>', description: 'where to save the model (model.json, weights, model-card.json)' },
];

function req(opts: Record<string, unknown>, key: string, flag: string, what: string): string {
  const v = opts[key];
  if (typeof v !== 'string' || v === '') throw invalidOption(flag, v, what);
  return v;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function dataArgs(opts: Record<string, unknown>, defaultSplit: string) {
  return { data: req(opts, 'data', '--data', 'a dataset name, folder or .tar (see --help)'), split: str(opts.split) ?? defaultSplit, prefix: str(opts.prefix) };
}

function augmentArgs(opts: Record<string, unknown>) {
  return { shift: num(opts.shift), rotation: num(opts.rotation), zoom: num(opts.zoom), flip: opts.flip === true, labelSmoothing: num(opts.labelSmoothing) };
}

function filtersArg(v: unknown): [number, number, number] | undefined {
  if (v === undefined) return undefined;
  const list = (v as string[]).map(Number);
  if (list.length !== 3 || list.some((n) => !Number.isInteger(n) || n < 1)) throw invalidOption('--filters', (v as string[]).join(','), 'three positive integers, e.g. 32,64,128');
  return list as [number, number, number];
}

export const visionCli: TaskCli = {
  command: 'vision',
  description: 'Image classification: train, evaluate, predict, fine-tune pretrained networks, find a learning rate',
  verbs: [
    {
      name: 'train',
      description: 'train a classifier from scratch (cnn-small, resnet-small, resnet-20, mobilenet-v1); checkpoints every epoch',
      options: [
        ...data,
        { flags: '--arch <name>', description: 'architecture', default: 'cnn-small', choices: ['cnn-small', 'resnet-small', 'resnet-20', 'mobilenet-v1'] },
        { flags: '--epochs <n>', description: 'epochs', default: 10, parse: 'int' },
        { flags: '--lr <lr>', description: 'learning rate (Adam; the peak for cosine/one-cycle)', default: 1e-3, parse: 'float' },
        { flags: '--schedule <s>', description: 'learning-rate schedule', default: 'constant', choices: ['constant', 'cosine', 'one-cycle'] },
        { flags: '--size <px>', description: 'input size for folders/archives (square)', parse: 'int' },
        { flags: '--channels <c>', description: '1 (grayscale) or 3 (RGB) for folders/archives', parse: 'int' },
        { flags: '--alpha <a>', description: 'MobileNet width multiplier', parse: 'float' },
        { flags: '--filters <list>', description: 'cnn-small conv filters, e.g. 32,64,128', parse: 'list' },
        { flags: '--batch-norm', description: 'cnn-small: batch-norm after each conv (slower on wasm/cpu)' },
        { flags: '--dropout <p>', description: 'dropout rate', parse: 'float' },
        { flags: '--resume', description: 'continue from <out>.ckpt if an interrupted run left one' },
        ...augment,
        ...common,
      ],
      async run(_args, opts, io) {
        const { trainCommand } = await import('./node.js');
        const channels = num(opts.channels);
        if (channels !== undefined && channels !== 1 && channels !== 3) throw invalidOption('--channels', channels, '1 or 3');
        return trainCommand({
          ...dataArgs(opts, 'train'),
          ...augmentArgs(opts),
          arch: str(opts.arch),
          epochs: num(opts.epochs),
          lr: num(opts.lr),
          schedule: str(opts.schedule) as 'constant' | 'cosine' | 'one-cycle',
          size: num(opts.size),
          channels: channels as 1 | 3 | undefined,
          alpha: num(opts.alpha),
          filters: filtersArg(opts.filters),
          batchNorm: opts.batchNorm === true,
          dropout: num(opts.dropout),
          batchSize: num(opts.batchSize),
          valSplit: num(opts.valSplit),
          testSplit: str(opts.testSplit),
          seed: num(opts.seed),
          resume: opts.resume === true,
          out: req(opts, 'out', '--out', 'a directory to save the model in'),
          progress: true,
          log: io.json ? undefined : io.log,
        });
      },
    },
    {
      name: 'eval',
      description: 'evaluate a saved classifier: {accuracy, n, perClass, confusion, loss, ...}',
      options: [
        { flags: '--model <dir>', description: 'directory written by vision train / fine-tune / ImageClassifier.save' },
        ...data,
        { flags: '--holdout <f>', description: 'evaluate only the held-out part of a seeded split (same as --val-split when training)', parse: 'float' },
        { flags: '--sample <n>', description: 'evaluate a seeded stratified sample of n images (of the held-out part with --holdout): a quick check', parse: 'int' },
        { flags: '--seed <s>', description: 'seed of that split', default: 0, parse: 'int' },
        { flags: '--batch-size <n>', description: 'batch size', default: 128, parse: 'int' },
        { flags: '--tta <mode>', description: "test-time augmentation: 'flip' averages each image's and its mirror image's probabilities", default: 'none', choices: ['none', 'flip'] },
      ],
      async run(_args, opts, io) {
        const { evalCommand } = await import('./node.js');
        return evalCommand({
          model: req(opts, 'model', '--model', 'a saved classifier directory'),
          ...dataArgs(opts, 'test'),
          holdout: num(opts.holdout),
          sample: num(opts.sample),
          seed: num(opts.seed),
          batchSize: num(opts.batchSize),
          tta: opts.tta as Tta,
          progress: !io.json,
          log: io.json ? undefined : io.log,
        });
      },
    },
    {
      name: 'predict',
      description: 'classify image files with a saved or pretrained model (top-k labels)',
      args: ['<files...>'],
      options: [
        { flags: '--model <dir>', description: 'a saved classifier directory' },
        { flags: '--pretrained <id>', description: 'darknet-tiny, mobilenet-v1-0.25 or doodlenet' },
        { flags: '--model-dir <dir>', description: 'folder holding pretrained model folders (default DLKIT_MODEL_DIR, then cache, then download)' },
        { flags: '--top-k <k>', description: 'labels per image', default: 5, parse: 'int' },
      ],
      async run(args, opts, io) {
        const { predictCommand } = await import('./node.js');
        return predictCommand({ files: args, model: str(opts.model), pretrained: str(opts.pretrained), modelDir: str(opts.modelDir), topK: num(opts.topK), log: io.json ? undefined : io.log });
      },
    },
    {
      name: 'fine-tune',
      description: 'fine-tune a pretrained network on your data (fastai fine_tune: frozen head epochs on cached features, then unfrozen)',
      options: [
        { flags: '--pretrained <id>', description: 'darknet-tiny, mobilenet-v1-0.25 or doodlenet', default: 'darknet-tiny' },
        { flags: '--model-dir <dir>', description: 'folder holding pretrained model folders' },
        ...data,
        { flags: '--size <px>', description: 'input size for resizable bases (darknet-tiny, mobilenet), square', parse: 'int' },
        { flags: '--freeze-epochs <n>', description: 'epochs training the head on the frozen base', default: 1, parse: 'int' },
        { flags: '--epochs <n>', description: 'epochs after unfreezing (0 = head only)', default: 1, parse: 'int' },
        { flags: '--base-lr <lr>', description: 'head learning rate; the base gets base-lr × lr-mult', default: 1e-3, parse: 'float' },
        { flags: '--lr-mult <m>', description: 'base learning-rate multiplier after unfreezing', default: 0.1, parse: 'float' },
        { flags: '--cache-views <n>', description: 'extra augmented copies of each image in the feature cache', default: 0, parse: 'int' },
        { flags: '--dropout <p>', description: 'head dropout', parse: 'float' },
        { flags: '--unfreeze-from <layer>', description: 'unfreeze only from this layer on' },
        { flags: '--cache-frozen', description: 'with --unfreeze-from: cache the frozen layers\' outputs (+ --cache-views augmented copies) and train the rest on them' },
        { flags: '--schedule <s>', description: 'learning-rate schedule of each phase', default: 'constant', choices: ['constant', 'cosine', 'one-cycle'] },
        { flags: '--compare <dir>', description: 'a from-scratch model on the same data: evaluated on --test-split and recorded in the card' },
        { flags: '--no-invert', description: 'do not invert pixels (DoodleNet expects dark-on-light drawings; MNIST digits are light-on-dark)' },
        ...augment,
        ...common,
      ],
      async run(_args, opts, io) {
        const { fineTuneCommand } = await import('./node.js');
        return fineTuneCommand({
          ...dataArgs(opts, 'train'),
          ...augmentArgs(opts),
          pretrained: str(opts.pretrained) ?? 'darknet-tiny',
          modelDir: str(opts.modelDir),
          size: num(opts.size),
          freezeEpochs: num(opts.freezeEpochs),
          epochs: num(opts.epochs),
          baseLr: num(opts.baseLr),
          lrMult: num(opts.lrMult),
          cacheViews: num(opts.cacheViews),
          dropout: num(opts.dropout),
          unfreezeFrom: str(opts.unfreezeFrom),
          cacheFrozen: opts.cacheFrozen === true,
          schedule: str(opts.schedule) as 'constant' | 'cosine' | 'one-cycle',
          ...(opts.invert === false ? { invert: false } : {}),
          compare: str(opts.compare),
          batchSize: num(opts.batchSize),
          valSplit: num(opts.valSplit),
          testSplit: str(opts.testSplit),
          seed: num(opts.seed),
          out: req(opts, 'out', '--out', 'a directory to save the model in'),
          progress: true,
          log: io.json ? undefined : io.log,
        });
      },
    },
    {
      name: 'lr-find',
      description: 'fastai lr_find: loss vs exponentially growing learning rate, with suggestions',
      options: [
        ...data,
        { flags: '--arch <name>', description: 'architecture', default: 'cnn-small' },
        { flags: '--size <px>', description: 'input size for folders/archives', parse: 'int' },
        { flags: '--batch-size <n>', description: 'batch size', default: 64, parse: 'int' },
        { flags: '--num-iter <n>', description: 'steps', default: 100, parse: 'int' },
        { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
        { flags: '--plot <file>', description: 'write the curve (.svg or .png)' },
      ],
      async run(_args, opts, io) {
        const { lrFindCommand } = await import('./node.js');
        const r = await lrFindCommand({ ...dataArgs(opts, 'train'), arch: str(opts.arch), size: num(opts.size), batchSize: num(opts.batchSize), numIter: num(opts.numIter), seed: num(opts.seed), plot: str(opts.plot), progress: !io.json, log: io.json ? undefined : io.log });
        return r;
      },
    },
  ],
};

/**
 * `dlkit recommend train|eval|recommend|similar`, declared library-free (core's TaskCli); the
 * work is in node/commands.ts, imported lazily so this file stays browser-safe.
 */
import { invalidOption, type TaskCli } from '@dlkit/core';
import { MODEL_TYPES } from './models/types.js';

const dataOption = { flags: '--data <name|path>', description: 'ml-100k, ml-latest-small, or a CSV/TSV file (user,item,rating[,timestamp])', default: 'ml-100k' };
const modelTypeOption = { flags: '--model-type <type>', description: `model: ${MODEL_TYPES.join(', ')}`, choices: [...MODEL_TYPES] };
const csvOptions = [
  { flags: '--duplicates <policy>', description: 'CSV: a repeated (user, item) is an error, or keep the last / the mean', choices: ['error', 'last', 'mean'], default: 'error' },
  { flags: '--rating-range <min,max>', description: 'CSV: allowed rating range (default 1,5)', parse: 'list' as const },
];
const hyper = [
  { flags: '--factors <n>', description: 'latent factors', parse: 'int' as const },
  { flags: '--steps <n>', description: 'training steps (full-batch models) or epochs (two-tower, neumf)', parse: 'int' as const },
  { flags: '--l2 <x>', description: 'L2 regularisation', parse: 'float' as const },
  { flags: '--lr <x>', description: 'learning rate', parse: 'float' as const },
];

function str(opts: Record<string, unknown>, name: string, flag: string, what: string): string {
  const v = opts[name];
  if (typeof v !== 'string' || v === '') throw invalidOption(flag, v, what);
  return v;
}

export const recommendCli: TaskCli = {
  command: 'recommend',
  description: 'Recommenders: train, cross-validate, recommend for a user, find similar items',
  verbs: [
    {
      name: 'train',
      description: 'train a model and save it (metrics on a held-out fold go into the model card)',
      options: [
        dataOption,
        { ...modelTypeOption, default: 'svdpp' },
        ...hyper,
        ...csvOptions,
        { flags: '--folds <k>', description: 'hold out one of k random folds for the card metrics (0 = train on everything)', default: 5, parse: 'int' },
        { flags: '--fold <i>', description: 'which fold to hold out (1-based)', default: 1, parse: 'int' },
        { flags: '--seed <s>', description: 'random seed (split and initialisation)', default: 0, parse: 'int' },
        { flags: '--out <dir>', description: 'where to save the model', default: 'recommender' },
      ],
      async run(_args, opts, io) {
        const { trainCommand } = await import('./node/commands.js');
        return trainCommand(opts, io.json ? undefined : io.log);
      },
    },
    {
      name: 'eval',
      description: 'k-fold cross-validation (explicit: RMSE/MAE mean ± std) or leave-last-out HR/NDCG@k vs popularity (implicit); --model DIR re-evaluates a saved model on its held-out fold',
      options: [
        dataOption,
        { ...modelTypeOption, description: `${modelTypeOption.description} (default: svdpp, the best explicit model)` },
        ...hyper,
        ...csvOptions,
        { flags: '--folds <k>', description: 'folds for explicit models', default: 5, parse: 'int' },
        { flags: '--k <k>', description: 'cut-off for ranking metrics', default: 10, parse: 'int' },
        { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
        { flags: '--model <dir>', description: 'evaluate this saved model instead of training' },
      ],
      async run(_args, opts, io) {
        const { evalCommand } = await import('./node/commands.js');
        return evalCommand(opts, io.json ? undefined : io.log);
      },
    },
    {
      name: 'recommend',
      description: 'top-k items (titles) for a user, leaving out what they already rated',
      options: [
        { flags: '--model <dir>', description: 'a saved recommender (dlkit recommend train --out DIR)' },
        { flags: '--user <id>', description: 'user id as in the data' },
        { flags: '--k <k>', description: 'how many', default: 10, parse: 'int' },
      ],
      async run(_args, opts, io) {
        const { recommendCommand } = await import('./node/commands.js');
        return recommendCommand(str(opts, 'model', '--model', 'a saved recommender directory'), str(opts, 'user', '--user', 'a user id from the training data'), opts.k as number, io.json ? undefined : io.log);
      },
    },
    {
      name: 'similar',
      description: 'items closest to an item (by id, or by title with --title)',
      options: [
        { flags: '--model <dir>', description: 'a saved recommender' },
        { flags: '--item <id>', description: 'item id as in the data' },
        { flags: '--title <text>', description: 'or: the first item whose title contains this text' },
        { flags: '--k <k>', description: 'how many', default: 10, parse: 'int' },
      ],
      async run(_args, opts, io) {
        const { similarCommand } = await import('./node/commands.js');
        return similarCommand(str(opts, 'model', '--model', 'a saved recommender directory'), opts.item as string | undefined, opts.title as string | undefined, opts.k as number, io.json ? undefined : io.log);
      },
    },
  ],
};

/**
 * `dlkit sentiment train|eval|predict|pretrain|fine-tune`, declared library-free (core's TaskCli);
 * the work is in node/*.ts, imported lazily so this file stays browser-safe.
 */
import { type CliIO, invalidOption, type TaskCli } from '@dlkit/core';
import { TEXT_ARCHS } from './models/build.js';
import { SENTENCE_ENCODERS } from './sentence-encoder.js';

function requireString(opts: Record<string, unknown>, key: string, flag: string, what: string): string {
  const v = opts[key];
  if (typeof v !== 'string' || v === '') throw invalidOption(flag, v, what);
  return v;
}

/** The command line as typed, for model cards (what anyone re-runs). */
const invocation = (verb: string): string => `pnpm dlkit sentiment ${verb} ${process.argv.slice(process.argv.indexOf(verb) + 1).join(' ')}`;

const modelOpt = { flags: '--model <dir>', description: 'directory written by `dlkit sentiment train` (e.g. models/sst2-sentiment)' };

async function runTrain(verb: string, opts: Record<string, unknown>, io: CliIO): Promise<Record<string, unknown>> {
  const { trainCommand } = await import('./node/commands.js');
  return trainCommand({
    data: opts.data as string,
    val: opts.val as string | undefined,
    out: opts.out as string,
    arch: opts.arch as never,
    epochs: opts.epochs as number,
    batchSize: opts.batchSize as number,
    learningRate: opts.lr as number | undefined,
    maxLength: opts.maxLength as number | undefined,
    embeddingDim: opts.embeddingDim as number | undefined,
    ngrams: opts.ngrams as number | undefined,
    ngramMode: opts.ngramMode as never,
    buckets: opts.buckets as number | undefined,
    minFrequency: opts.minFreq as number | undefined,
    ngramMinFrequency: opts.ngramMinFreq as number | undefined,
    maxVocab: opts.maxVocab as number | undefined,
    maxNgrams: opts.maxNgrams as number | undefined,
    dropout: opts.dropout as number | undefined,
    embeddingDropout: opts.embeddingDropout as number | undefined,
    layers: opts.layers as number | undefined,
    heads: opts.heads as number | undefined,
    units: opts.units as number | undefined,
    pooling: opts.pooling as never,
    multichannel: opts.multichannel === true ? true : undefined,
    sentenceEncoder: opts.sentenceEncoder as never,
    sentenceHidden: opts.sentenceHidden as number | undefined,
    wordVectors: opts.wordVectors as string | undefined,
    vectorVocab: opts.vectorVocab as number | undefined,
    freezeEmbeddings: opts.freezeEmbeddings === true ? true : undefined,
    holdout: opts.holdout as number | undefined,
    patience: opts.patience as number | undefined,
    schedule: opts.schedule as never,
    tokenizerJson: opts.tokenizer as string | undefined,
    encoder: opts.encoder as string | undefined,
    maxExamples: opts.maxExamples as number | undefined,
    seed: opts.seed as number,
    resume: opts.resume === true,
    progress: !io.json,
    log: io.json ? undefined : io.log,
    command: invocation(verb),
  });
}

export const sentimentCli: TaskCli = {
  command: 'sentiment',
  description: 'Sentiment analysis: train, evaluate and run text classifiers (bag of embeddings, CNN, BiLSTM/BiGRU, Transformer)',
  verbs: [
    {
      name: 'train',
      description: 'train a classifier on labelled text (registry name, TSV/CSV, or pos/ neg/ folder)',
      options: [
        { flags: '--data <src>', description: 'training data: sst2, imdb, mr, a TSV/CSV (label + sentence/content/text columns) or a folder of class sub-folders', default: 'sst2' },
        { flags: '--val <src>', description: 'validation data (default: the dataset\'s validation split for registry names)' },
        { flags: '--out <dir>', description: 'where to save the model (after every epoch)', default: 'sentiment-model' },
        { flags: '--arch <name>', description: 'model', default: 'fasttext', choices: [...TEXT_ARCHS] },
        { flags: '--epochs <n>', description: 'epochs', default: 5, parse: 'int' },
        { flags: '--batch-size <n>', description: 'batch size', default: 64, parse: 'int' },
        { flags: '--lr <x>', description: 'Adam learning rate (default 3e-3; transformer 5e-4)', parse: 'float' },
        { flags: '--max-length <n>', description: 'ids kept per text (head+tail truncation; default 256)', parse: 'int' },
        { flags: '--embedding-dim <n>', description: 'embedding width', parse: 'int' },
        { flags: '--ngrams <n>', description: 'word n-grams (2 = + bigrams)', default: 1, parse: 'int' },
        { flags: '--ngram-mode <m>', description: 'n-grams counted into the vocabulary or hashed', choices: ['vocab', 'hash'] },
        { flags: '--buckets <n>', description: 'hash buckets for --ngram-mode hash', parse: 'int' },
        { flags: '--min-freq <n>', description: 'minimum word frequency', default: 2, parse: 'int' },
        { flags: '--ngram-min-freq <n>', description: 'minimum n-gram frequency', parse: 'int' },
        { flags: '--max-vocab <n>', description: 'keep only the most frequent words', parse: 'int' },
        { flags: '--max-ngrams <n>', description: 'keep only the most frequent n-grams', parse: 'int' },
        { flags: '--dropout <x>', description: 'dropout before the classifier', parse: 'float' },
        { flags: '--embedding-dropout <x>', description: 'cnn/bilstm/bigru word dropout: whole token vectors zeroed with this probability while training', parse: 'float' },
        { flags: '--layers <n>', description: 'transformer blocks (default 2)', parse: 'int' },
        { flags: '--heads <n>', description: 'transformer attention heads (default 4)', parse: 'int' },
        { flags: '--units <n>', description: 'bilstm/bigru units per direction (default 128)', parse: 'int' },
        { flags: '--pooling <p>', description: "bilstm/bigru sentence vector: final states ('last') or max over time ('max')", choices: ['last', 'max'] },
        { flags: '--word-vectors <files>', description: 'word2vec/GloVe text or wordvecs JSON to initialise the embedding; a,b = both, concatenated per word (--embedding-dim = the sum)' },
        { flags: '--vector-vocab <n>', description: 'also give up to n words of --word-vectors (most frequent first) a vocabulary row when the training text lacks them', parse: 'int' },
        { flags: '--multichannel', description: "cnn/bilstm/bigru: a frozen copy of the --word-vectors embedding beside the trained one (Kim's CNN-multichannel)" },
        { flags: '--sentence-encoder <name>', description: "join a frozen pretrained sentence encoder's vector (use-lite: Universal Sentence Encoder, 512-d) to the text features", choices: [...SENTENCE_ENCODERS] },
        { flags: '--sentence-hidden <n>', description: 'with --sentence-encoder: units of a ReLU layer on the sentence vector (default 0 = the vector itself)', parse: 'int' },
        { flags: '--freeze-embeddings', description: 'keep the --word-vectors embedding fixed (Kim\'s CNN-static; ≈ 3× less CPU per step)' },
        { flags: '--holdout <fraction>', description: 'hold out this fraction of the training data; save only the epoch best on it (never picks on --val)', parse: 'float' },
        { flags: '--patience <n>', description: 'with --holdout: stop after n epochs without improvement', parse: 'int' },
        { flags: '--schedule <s>', description: 'learning-rate schedule (cosine: per-step decay to 0 over the epochs)', default: 'constant', choices: ['constant', 'cosine'] },
        { flags: '--tokenizer <file>', description: 'a Hugging Face tokenizer.json (WordPiece or byte-level BPE) instead of a learned vocabulary' },
        { flags: '--max-examples <n>', description: 'train on a seeded random subset of n examples', parse: 'int' },
        { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
        { flags: '--resume', description: 'continue an interrupted run from <out> (the epochs it has done)' },
      ],
      run: (_args, opts, io) => runTrain('train', opts, io),
    },
    {
      name: 'fine-tune',
      description: 'fine-tune a pretrained encoder (pretrain --objective mlm: Transformer; --objective lm: bigru/bilstm) on labelled text',
      options: [
        { flags: '--from <dir>', description: 'encoder directory written by `dlkit sentiment pretrain --objective mlm|lm`' },
        { flags: '--data <src>', description: 'training data (as for train)', default: 'sst2' },
        { flags: '--val <src>', description: 'validation data (default: the dataset\'s validation split)' },
        { flags: '--out <dir>', description: 'where to save the classifier (after every epoch)', default: 'sentiment-finetuned' },
        { flags: '--epochs <n>', description: 'epochs', default: 2, parse: 'int' },
        { flags: '--batch-size <n>', description: 'batch size', default: 64, parse: 'int' },
        { flags: '--lr <x>', description: 'Adam learning rate (default 5e-4)', parse: 'float' },
        { flags: '--dropout <x>', description: 'transformer: attention/residual dropout; bigru/bilstm: dropout before the classifier', parse: 'float' },
        { flags: '--pooling <p>', description: "bigru/bilstm sentence vector: final states ('last') or max over time ('max')", choices: ['last', 'max'] },
        { flags: '--schedule <s>', description: 'learning-rate schedule (cosine: per-step decay to 0 over the epochs)', choices: ['constant', 'cosine'], default: 'constant' },
        { flags: '--sentence-encoder <name>', description: "join a frozen pretrained sentence encoder's vector (use-lite: Universal Sentence Encoder, 512-d) to the text features", choices: [...SENTENCE_ENCODERS] },
        { flags: '--sentence-hidden <n>', description: 'with --sentence-encoder: units of a ReLU layer on the sentence vector (default 0 = the vector itself)', parse: 'int' },
        { flags: '--max-examples <n>', description: 'fine-tune on a seeded random subset of n examples', parse: 'int' },
        { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
        { flags: '--resume', description: 'continue an interrupted run from <out>' },
      ],
      run: (_args, opts, io) => runTrain('fine-tune', { ...opts, encoder: requireString(opts, 'from', '--from', 'a pretrained encoder directory') }, io),
    },
    {
      name: 'ensemble',
      description: 'merge trained classifiers into one that averages their probabilities (one graph, one vocabulary)',
      options: [
        { flags: '--members <dirs>', description: 'comma-separated classifier directories (fasttext/cnn/bilstm/bigru/sentence, same maxLength and tokenizer options)' },
        { flags: '--out <dir>', description: 'where to save the ensemble', default: 'sentiment-ensemble' },
        { flags: '--val <src>', description: "validation data for the card (default: the first member's)" },
      ],
      run: async (_args, opts, io) => {
        const { ensembleCommand } = await import('./node/ensemble.js');
        const members = requireString(opts, 'members', '--members', 'comma-separated classifier directories').split(',').map((m) => m.trim()).filter(Boolean);
        return ensembleCommand({
          members,
          out: opts.out as string,
          val: opts.val as string | undefined,
          log: io.json ? undefined : io.log,
          command: invocation('ensemble'),
        });
      },
    },
    {
      name: 'quantize',
      description: 'store a classifier\'s embedding tables as uint8 (4× smaller) or float16, re-evaluated as saved',
      options: [
        modelOpt,
        { flags: '--out <dir>', description: 'where to save the quantized classifier (may be --model itself)' },
        { flags: '--dtype <t>', description: 'uint8 (affine per table) or float16', default: 'uint8', choices: ['uint8', 'float16'] },
        { flags: '--val <src>', description: "validation data for the card (default: the model card's)" },
      ],
      run: async (_args, opts, io) => {
        const { quantizeCommand } = await import('./node/quantize.js');
        const model = requireString(opts, 'model', '--model', 'a classifier directory');
        return quantizeCommand({
          model,
          out: typeof opts.out === 'string' && opts.out ? opts.out : model,
          dtype: opts.dtype as 'uint8' | 'float16',
          val: opts.val as string | undefined,
          log: io.json ? undefined : io.log,
          command: invocation('quantize'),
        });
      },
    },
    {
      name: 'eval',
      description: 'evaluate a saved classifier: {accuracy, f1, n, confusion}',
      options: [
        modelOpt,
        { flags: '--data <src>', description: 'sst2, imdb (validation split by default; name:split to choose), a TSV/CSV, or a pos/ neg/ folder' },
        { flags: '--split <name>', description: 'split of a registry dataset' },
      ],
      async run(_args, opts, io) {
        const { evalCommand } = await import('./node/commands.js');
        const r = await evalCommand({
          model: requireString(opts, 'model', '--model', 'the directory of a saved classifier'),
          data: requireString(opts, 'data', '--data', 'a dataset name, TSV/CSV file or pos/ neg/ folder'),
          split: opts.split as string | undefined,
        });
        io.log(`accuracy ${((r.accuracy as number) * 100).toFixed(2)}%  f1 ${(r.f1 as number).toFixed(4)}  n ${r.n}`);
        return r;
      },
    },
    {
      name: 'predict',
      description: 'classify texts given as arguments',
      args: ['[texts...]'],
      options: [modelOpt],
      async run(args, opts, io) {
        const { predictCommand } = await import('./node/commands.js');
        const r = await predictCommand({ model: requireString(opts, 'model', '--model', 'the directory of a saved classifier'), texts: args });
        for (const p of r.predictions as { text: string; label: string; score: number }[]) io.log(`${p.label}\t${p.score.toFixed(4)}\t${p.text}`);
        return r;
      },
    },
    {
      name: 'pretrain',
      description: 'unsupervised pretraining on unlabelled text: word2vec vectors (train --word-vectors), or an encoder for fine-tune --from',
      options: [
        { flags: '--data <srcs>', description: 'comma-separated text sources (labels ignored), e.g. imdb:train,sst2:train', default: 'imdb:train,sst2:train', parse: 'list' },
        { flags: '--objective <name>', description: 'word2vec (vectors file), mlm (masked-LM Transformer encoder) or lm (bidirectional-LM bigru/bilstm body)', default: 'word2vec', choices: ['word2vec', 'mlm', 'lm'] },
        { flags: '--out <path>', description: 'vectors file (word2vec) or encoder directory (mlm, lm)', default: 'word-vectors.txt' },
        { flags: '--arch <name>', description: 'lm: the recurrent body to pretrain', default: 'bigru', choices: ['bigru', 'bilstm'] },
        { flags: '--units <n>', description: 'lm: RNN units per direction (default 128)', parse: 'int' },
        { flags: '--word-vectors <file>', description: 'lm: word2vec/GloVe text or wordvecs JSON initialising the embedding (--dim must match)' },
        { flags: '--vector-vocab <n>', description: 'lm: also give up to n words of --word-vectors a vocabulary row', parse: 'int' },
        { flags: '--vocab-from <srcs>', description: 'lm: comma-separated sources whose words make the vocabulary (default: --data)', parse: 'list' },
        { flags: '--negatives <n>', description: 'lm: sampled-softmax negatives per step', default: 512, parse: 'int' },
        { flags: '--dim <n>', description: 'vector size / Transformer width', default: 100, parse: 'int' },
        { flags: '--steps <n>', description: 'mlm, lm: training steps', default: 2000, parse: 'int' },
        { flags: '--batch-size <n>', description: 'mlm, lm: batch size', default: 64, parse: 'int' },
        { flags: '--lr <x>', description: 'mlm, lm: Adam learning rate', default: 0.001, parse: 'float' },
        { flags: '--max-length <n>', description: 'mlm: ids per sequence (texts are truncated); lm: window length (texts are cut into windows)', default: 64, parse: 'int' },
        { flags: '--layers <n>', description: 'mlm: Transformer blocks', default: 2, parse: 'int' },
        { flags: '--heads <n>', description: 'mlm: attention heads', default: 4, parse: 'int' },
        { flags: '--max-vocab <n>', description: 'mlm, lm: vocabulary size cap (mlm default 20000; lm none)', parse: 'int' },
        { flags: '--window <n>', description: 'context window', default: 5, parse: 'int' },
        { flags: '--epochs <n>', description: 'passes over the text', default: 3, parse: 'int' },
        { flags: '--min-count <n>', description: 'ignore rarer words (lm default 2)', parse: 'int' },
        { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
      ],
      async run(_args, opts, io) {
        // What every objective takes, then what the two encoder objectives (lm, mlm) share.
        const run = { data: opts.data as string[], out: opts.out as string, seed: opts.seed as number, log: io.json ? undefined : io.log, command: invocation('pretrain') };
        const encoder = {
          ...run,
          steps: opts.steps as number,
          batchSize: opts.batchSize as number,
          learningRate: opts.lr as number,
          maxLength: opts.maxLength as number,
          embeddingDim: opts.dim as number,
          minFrequency: opts.minCount as number | undefined,
          maxVocab: opts.maxVocab as number | undefined,
        };
        if (opts.objective === 'lm') {
          const { lmPretrainCommand } = await import('./node/bilm.js');
          return lmPretrainCommand({
            ...encoder,
            arch: opts.arch as 'bigru' | 'bilstm',
            vocabFrom: opts.vocabFrom as string[] | undefined,
            wordVectors: opts.wordVectors as string | undefined,
            vectorVocab: opts.vectorVocab as number | undefined,
            units: opts.units as number | undefined,
            negatives: opts.negatives as number,
          });
        }
        if (opts.objective === 'mlm') {
          const { mlmPretrainCommand } = await import('./node/mlm.js');
          return mlmPretrainCommand({ ...encoder, layers: opts.layers as number, heads: opts.heads as number });
        }
        const { word2vecCommand } = await import('./node/pretrain.js');
        return word2vecCommand({ ...run, dim: opts.dim as number, window: opts.window as number, epochs: opts.epochs as number, minCount: opts.minCount as number | undefined });
      },
    },
  ],
};

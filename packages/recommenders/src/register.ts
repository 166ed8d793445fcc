// Registers the 'recommendation' task (and its `dlkit recommend` verbs) in core's task registry.
import { registerTask } from '@dlkit/core';
import { recommendCli } from './cli.js';
import { Recommender, type RecommenderOptions } from './recommender.js';

registerTask<RecommenderOptions, Recommender>({
  id: 'recommendation',
  aliases: ['recommend', 'recommenders', 'collaborative-filtering'],
  modality: 'interaction',
  description: 'Recommenders: matrix factorisation, SVD++, NeuMF, two-tower retrieval, BPR; MovieLens loaders, splits, metrics',
  defaultModel: 'ml100k-recommender',
  async create(options = {}) {
    return Recommender.create(options);
  },
  cli: recommendCli,
});

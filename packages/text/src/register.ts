// Registers the 'sentiment-analysis' task (and its `dlkit sentiment` verbs) in core's task registry.
import { registerTask } from '@dlkit/core';
import { SENTIMENT_TASK, SentimentClassifier, type SentimentClassifierOptions } from './classifier.js';
import { sentimentCli } from './cli.js';

registerTask<SentimentClassifierOptions, SentimentClassifier>({
  id: SENTIMENT_TASK,
  aliases: ['sentiment', 'text-classification'],
  modality: 'text',
  description: 'Sentiment / text classification: bag of embeddings, Kim CNN, BiLSTM/BiGRU, small Transformer',
  defaultModel: 'sst2-sentiment',
  create: (options = {}) => SentimentClassifier.create(options),
  cli: sentimentCli,
});

// Registers the 'keyword-spotting' task (and its `dlkit speech` verbs) in core's task registry.
import { registerTask } from '@dlkit/core';
import { speechCli } from './cli.js';
import { type CreateOptions, KeywordSpotter } from './spotter.js';

registerTask<CreateOptions, KeywordSpotter>({
  id: 'keyword-spotting',
  aliases: ['kws', 'speech', 'audio-classification'],
  modality: 'audio',
  description: 'Keyword spotting / spoken-command recognition from files, buffers and streams (DS-CNN, CNN over log-mel)',
  defaultModel: 'speech-commands-kws',
  async create(options = {}) {
    return KeywordSpotter.create(options);
  },
  cli: speechCli,
});

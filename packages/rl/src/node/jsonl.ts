/** A JsonlLogger that keeps all lines and rewrites the file atomically every `flushEvery` episodes and at the end. */
import { atomicWriteFile } from '@dlkit/core/node';
import { JsonlLogger } from '../callbacks.js';
import type { DQN } from '../dqn.js';
import type { Callback } from '../types.js';

export function jsonlFileLogger(path: string, flushEvery = 50): Callback<DQN> {
  const lines: string[] = [];
  const flush = () => atomicWriteFile(path, lines.join(''));
  const logger = new JsonlLogger(async (line) => {
    lines.push(line);
    if (lines.length % flushEvery === 0) await flush();
  });
  return {
    onEpisodeEnd: (ctx, ep) => logger.onEpisodeEnd(ctx, ep),
    onTrainingEnd: async () => {
      await flush();
    },
  };
}

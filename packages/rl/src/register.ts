// Registers the 'reinforcement-learning' task (and its `dlkit rl` verbs) in core's task registry.
import { registerTask } from '@dlkit/core';
import { rlCli } from './cli.js';
import { DQN } from './dqn.js';
import type { DQNOptions } from './options.js';

export interface RlTaskOptions extends DQNOptions {
  env?: string;
}

registerTask<RlTaskOptions, DQN>({
  id: 'reinforcement-learning',
  aliases: ['rl', 'dqn'],
  modality: 'environment',
  description: 'DQN agents for gym-like environments (CartPole, MountainCar, Snake, Catch, your own)',
  async create(options = {}) {
    const { env = 'CartPole-v1', ...rest } = options;
    return new DQN(env, rest);
  },
  cli: rlCli,
});

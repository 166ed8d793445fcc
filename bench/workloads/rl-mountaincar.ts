/**
 * DQN on MountainCar-v0 with rl-zoo's recipe ([256, 256] MLP, batch 128, Adam lr 4e-3,
 * train_freq 16, gradient_steps 8): one gradient update, and learn() per environment step.
 * The shape of the models/mountaincar-dqn training run.
 */
import { DQN, defaultHyperparams } from '@dlkit/rl';
import type { Workload } from './types.js';

const hp = defaultHyperparams('MountainCar-v0');

async function warmAgent(): Promise<DQN> {
  const agent = new DQN('MountainCar-v0', { ...hp.options, seed: 0 });
  await agent.learn({ totalTimesteps: hp.options.learningStarts! });
  return agent;
}

export const rlDqnMountaincarUpdate: Workload = {
  name: 'rl-dqn-mountaincar-update',
  description: 'DQN gradient update on MountainCar (MLP 256×256, batch 128, Huber, Adam)',
  samplesPerStep: hp.options.batchSize!,
  pytorch: { script: 'dqn.py', args: ['update', '--env', 'mountaincar'] },
  async setup() {
    const agent = await warmAgent();
    return {
      async step() {
        agent.train(1);
      },
      dispose() {
        agent.dispose();
      },
    };
  },
};

export const rlDqnMountaincarLearn: Workload = {
  name: 'rl-dqn-mountaincar-learn',
  description: 'DQN learn() on MountainCar, env steps/s (16 steps + 8 updates per round)',
  samplesPerStep: hp.options.trainFreq!,
  pytorch: { script: 'dqn.py', args: ['learn', '--env', 'mountaincar'] },
  async setup() {
    const agent = await warmAgent();
    return {
      async step() {
        await agent.learn({ totalTimesteps: hp.options.trainFreq!, resetNumTimesteps: false });
      },
      dispose() {
        agent.dispose();
      },
    };
  },
};

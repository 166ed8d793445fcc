/**
 * RL workloads on CartPole-v1 with rl-zoo's DQN hyperparameters ([256, 256] MLP, batch 64, Adam
 * lr 2.3e-3, train_freq 256, gradient_steps 128): raw environment steps, one DQN gradient update,
 * and the whole learn() loop (acting + storing + updating) per environment step.
 */
import { DQN, defaultHyperparams, makeEnv } from '@dlkit/rl';
import type { Workload } from './types.js';

const ENV_STEPS = 1000;
const hp = defaultHyperparams('CartPole-v1');

export const rlCartpoleEnv: Workload = {
  name: 'rl-cartpole-env',
  description: 'CartPole-v1 env.step (random actions, reset on done)',
  samplesPerStep: ENV_STEPS,
  pytorch: { script: 'dqn.py', args: ['env', '--env', 'cartpole'] },
  async setup() {
    const env = makeEnv('CartPole-v1');
    env.reset(0);
    let a = 1;
    return {
      async step() {
        for (let i = 0; i < ENV_STEPS; i++) {
          a = (a * 1103515245 + 12345) & 0x7fffffff; // a cheap LCG: the env is what is measured
          const r = env.step(a & 1);
          if (r.terminated || r.truncated) env.reset();
        }
      },
      dispose() {},
    };
  },
};

/** An agent whose replay buffer holds `learningStarts` random transitions and has not trained yet. */
async function warmAgent(): Promise<DQN> {
  const agent = new DQN('CartPole-v1', { ...hp.options, seed: 0 });
  await agent.learn({ totalTimesteps: hp.options.learningStarts! });
  return agent;
}

export const rlDqnCartpoleUpdate: Workload = {
  name: 'rl-dqn-cartpole-update',
  description: 'DQN gradient update on CartPole (MLP 256×256, batch 64, Huber, Adam)',
  samplesPerStep: hp.options.batchSize!,
  pytorch: { script: 'dqn.py', args: ['update', '--env', 'cartpole'] },
  async setup() {
    const agent = await warmAgent();
    return {
      async step() {
        agent.train(1); // reads the loss back, so device work has finished
      },
      dispose() {
        agent.dispose();
      },
    };
  },
};

export const rlDqnCartpoleLearn: Workload = {
  name: 'rl-dqn-cartpole-learn',
  description: 'DQN learn() on CartPole, env steps/s (256 steps + 128 updates per round)',
  samplesPerStep: hp.options.trainFreq!,
  pytorch: { script: 'dqn.py', args: ['learn', '--env', 'cartpole'] },
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

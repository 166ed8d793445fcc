/**
 * Tuned defaults per environment. CartPole-v1 and MountainCar-v0 are rl-baselines3-zoo's
 * hyperparams/dqn.yml; Snake-v0 and Catch-v0 are ours (see README for how they were chosen).
 */
import { DlkitError } from '@dlkit/core';
import { resolveEnvId } from './envs/registry.js';
import type { DQNOptions } from './options.js';

export interface EnvHyperparams {
  totalTimesteps: number;
  options: DQNOptions;
  /** Options passed to makeEnv. */
  envOptions?: Record<string, unknown>;
  /** Mean evaluation return that counts as solved. */
  rewardThreshold?: number;
}

export const HYPERPARAMS: Record<string, EnvHyperparams> = {
  'CartPole-v1': {
    totalTimesteps: 50_000,
    rewardThreshold: 475,
    options: {
      learningRate: 2.3e-3,
      batchSize: 64,
      bufferSize: 100_000,
      learningStarts: 1000,
      gamma: 0.99,
      targetUpdateInterval: 10,
      trainFreq: 256,
      gradientSteps: 128,
      explorationFraction: 0.16,
      explorationFinalEps: 0.04,
      netArch: [256, 256],
    },
  },
  'MountainCar-v0': {
    totalTimesteps: 120_000,
    rewardThreshold: -110,
    options: {
      learningRate: 4e-3,
      batchSize: 128,
      bufferSize: 10_000,
      learningStarts: 1000,
      gamma: 0.98,
      targetUpdateInterval: 600,
      trainFreq: 16,
      gradientSteps: 8,
      explorationFraction: 0.2,
      explorationFinalEps: 0.07,
      netArch: [256, 256],
    },
  },
  'Snake-v0': {
    // 'features' observation (snake-features.ts): what each move leads to, so a small MLP learns
    // a long-surviving policy in 1e5 steps; the grid observation needs orders of magnitude more.
    totalTimesteps: 100_000,
    envOptions: { observation: 'features', stepReward: -0.01 },
    options: {
      learningRate: 1e-3,
      batchSize: 64,
      bufferSize: 50_000,
      learningStarts: 1000,
      gamma: 0.95,
      targetUpdateInterval: 1000,
      trainFreq: 4,
      gradientSteps: 1,
      explorationFraction: 0.2,
      explorationFinalEps: 0.01,
      netArch: [64, 64],
      doubleQ: true,
    },
  },
  'Catch-v0': {
    totalTimesteps: 20_000,
    rewardThreshold: 0.9,
    options: {
      policy: 'cnn',
      convArch: [
        { filters: 16, kernelSize: 3 },
        { filters: 32, kernelSize: 3 },
      ],
      netArch: [64],
      learningRate: 1e-3,
      batchSize: 32,
      bufferSize: 10_000,
      learningStarts: 500,
      gamma: 0.99,
      targetUpdateInterval: 250,
      trainFreq: 4,
      gradientSteps: 1,
      explorationFraction: 0.2,
      explorationFinalEps: 0.05,
    },
  },
};

export function defaultHyperparams(env: string): EnvHyperparams {
  const id = resolveEnvId(env);
  const hp = HYPERPARAMS[id];
  if (!hp) {
    throw new DlkitError('NOT_FOUND', `No tuned hyperparameters for "${id}".`, {
      hint: `Pass DQN options yourself; tuned ones exist for ${Object.keys(HYPERPARAMS).join(', ')}.`,
    });
  }
  return structuredClone(hp);
}

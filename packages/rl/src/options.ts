/**
 * DQN options: SB3's names (camelCased) and defaults, validated up front so a typo or a bad
 * value is an INVALID_OPTION naming it, not a silently ignored setting.
 */
import { checkInt, checkNumber, checkOneOf, DlkitError, invalidOption } from '@dlkit/core';
import type { ConvSpec } from './q-network.js';

export interface DQNOptions {
  /** 'mlp' (default) or 'cnn' (observations [H, W, C]). */
  policy?: 'mlp' | 'cnn';
  netArch?: number[];
  convArch?: ConvSpec[];
  learningRate?: number;
  bufferSize?: number;
  learningStarts?: number;
  batchSize?: number;
  /** Polyak coefficient; 1 = hard copy every targetUpdateInterval steps. */
  tau?: number;
  gamma?: number;
  /** Env steps between training rounds. */
  trainFreq?: number;
  /** Gradient steps per round; −1 = as many as env steps collected. */
  gradientSteps?: number;
  /** Env steps between target-network updates. */
  targetUpdateInterval?: number;
  explorationFraction?: number;
  explorationInitialEps?: number;
  explorationFinalEps?: number;
  maxGradNorm?: number;
  doubleQ?: boolean;
  dueling?: boolean;
  nSteps?: number;
  prioritizedReplay?: boolean;
  prioritizedReplayAlpha?: number;
  /** Initial β, annealed linearly to 1 over training. */
  prioritizedReplayBeta0?: number;
  prioritizedReplayEps?: number;
  seed?: number;
  /**
   * MLP Q-networks train on typed arrays (src/fast: JS element-wise work, backend matmuls for the
   * big products), several times faster than tfjs autodiff for small networks. false forces
   * the tfjs autodiff path (always used for policy 'cnn').
   */
  fastPath?: boolean;
}

export type ResolvedDQNOptions = Required<Omit<DQNOptions, 'convArch'>> & { convArch?: ConvSpec[] };

/** SB3 defaults, except bufferSize (1e5 instead of 1e6, to keep pixel buffers in memory). */
export const DQN_DEFAULTS: ResolvedDQNOptions = {
  policy: 'mlp',
  netArch: [64, 64],
  learningRate: 1e-4,
  bufferSize: 100_000,
  learningStarts: 100,
  batchSize: 32,
  tau: 1,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 10_000,
  explorationFraction: 0.1,
  explorationInitialEps: 1,
  explorationFinalEps: 0.05,
  maxGradNorm: 10,
  doubleQ: false,
  dueling: false,
  nSteps: 1,
  prioritizedReplay: false,
  prioritizedReplayAlpha: 0.6,
  prioritizedReplayBeta0: 0.4,
  prioritizedReplayEps: 1e-6,
  seed: 0,
  fastPath: true,
};

const KNOWN = new Set([...Object.keys(DQN_DEFAULTS), 'convArch']);

export function resolveDQNOptions(options: DQNOptions = {}): ResolvedDQNOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', options, 'an object of DQN options');
  for (const k of Object.keys(options)) {
    if (!KNOWN.has(k)) {
      throw new DlkitError('INVALID_OPTION', `Unknown DQN option "${k}".`, {
        hint: `Known options: ${[...KNOWN].sort().join(', ')}.`,
        details: { option: k },
      });
    }
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...DQN_DEFAULTS, ...defined } as ResolvedDQNOptions;
  checkOneOf('policy', o.policy, ['mlp', 'cnn'] as const);
  if (!Array.isArray(o.netArch)) throw invalidOption('netArch', o.netArch, 'an array of layer sizes, e.g. [64, 64]');
  o.netArch.forEach((u, i) => {
    checkInt(`netArch[${i}]`, u, 1);
  });
  if (o.convArch !== undefined) {
    if (!Array.isArray(o.convArch) || o.convArch.length === 0) throw invalidOption('convArch', o.convArch, 'a non-empty array of {filters, kernelSize, strides?}');
    o.convArch.forEach((c, i) => {
      checkInt(`convArch[${i}].filters`, c?.filters, 1);
      checkInt(`convArch[${i}].kernelSize`, c?.kernelSize, 1);
      if (c.strides !== undefined) checkInt(`convArch[${i}].strides`, c.strides, 1);
    });
  }
  checkNumber('learningRate', o.learningRate, Number.MIN_VALUE, 10);
  checkInt('bufferSize', o.bufferSize, 1);
  checkInt('learningStarts', o.learningStarts, 0);
  checkInt('batchSize', o.batchSize, 1);
  checkNumber('tau', o.tau, Number.MIN_VALUE, 1);
  checkNumber('gamma', o.gamma, 0, 1);
  checkInt('trainFreq', o.trainFreq, 1);
  if (o.gradientSteps !== -1) checkInt('gradientSteps', o.gradientSteps, 1);
  checkInt('targetUpdateInterval', o.targetUpdateInterval, 1);
  checkNumber('explorationFraction', o.explorationFraction, 0, 1);
  checkNumber('explorationInitialEps', o.explorationInitialEps, 0, 1);
  checkNumber('explorationFinalEps', o.explorationFinalEps, 0, 1);
  checkNumber('maxGradNorm', o.maxGradNorm, Number.MIN_VALUE);
  for (const k of ['doubleQ', 'dueling', 'prioritizedReplay', 'fastPath'] as const) {
    if (typeof o[k] !== 'boolean') throw invalidOption(k, o[k], 'true or false');
  }
  checkInt('nSteps', o.nSteps, 1);
  checkNumber('prioritizedReplayAlpha', o.prioritizedReplayAlpha, 0, 1);
  checkNumber('prioritizedReplayBeta0', o.prioritizedReplayBeta0, 0, 1);
  checkNumber('prioritizedReplayEps', o.prioritizedReplayEps, 0);
  checkInt('seed', o.seed);
  if (o.batchSize > o.bufferSize) throw invalidOption('batchSize', o.batchSize, `≤ bufferSize (${o.bufferSize})`);
  return o;
}

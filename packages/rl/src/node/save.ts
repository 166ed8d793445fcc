/**
 * DQN save/load (Node): the online Q-network through core saveModel (atomic directory swap,
 * weight checksums) and everything else needed to rebuild the agent in model-card.json.
 */
import { DlkitError } from '@dlkit/core';
import { loadModel, saveModel } from '@dlkit/core/node';
import { DQN } from '../dqn.js';
import type { Env } from '../env.js';
import { makeEnv } from '../envs/registry.js';
import type { DQNOptions } from '../options.js';

export const RL_TASK = 'reinforcement-learning';

export interface SaveExtra {
  command?: string;
  /** Extra metrics for the card (e.g. an evaluation). */
  metrics?: Record<string, number>;
  /** Backend the agent was trained on. */
  backend?: string;
  /** More card.extra fields (e.g. how the evaluation was run). */
  extra?: Record<string, unknown>;
}

export async function saveAgent(agent: DQN, dir: string, extra: SaveExtra = {}): Promise<void> {
  const returns = agent.episodeReturns;
  const last = returns.slice(-100);
  const metrics: Record<string, number> = { ...extra.metrics, trainEpisodes: returns.length };
  if (last.length) metrics.meanReturnLast100 = last.reduce((a, b) => a + b, 0) / last.length;
  await saveModel(agent.qNet, dir, {
    task: RL_TASK,
    name: `dqn-${agent.env.id}`,
    metrics,
    training: {
      command: extra.command,
      wallTimeSeconds: +agent.wallTime.toFixed(2),
      backend: extra.backend,
      date: new Date().toISOString(),
      hyperparameters: { ...agent.options },
    },
    extra: {
      algorithm: 'DQN',
      envId: agent.env.id,
      envOptions: agent.envOptions,
      seed: agent.options.seed,
      steps: agent.numTimesteps,
      updates: agent.nUpdates,
      observationShape: agent.obsShape,
      nActions: agent.nActions,
      episodeReturns: returns,
      episodeLengths: agent.episodeLengths,
      ...extra.extra,
    },
  });
}

export async function loadAgent(dir: string, env?: Env | string): Promise<DQN> {
  const { model, card } = await loadModel(dir);
  try {
    if (!card || card.task !== RL_TASK) {
      throw new DlkitError('CORRUPT_DATA', `${dir} is not a saved DQN agent (model-card.json task is ${JSON.stringify(card?.task)}, expected "${RL_TASK}").`, {
        hint: 'Pass a directory written by DQN.save().',
        details: { file: dir },
      });
    }
    const x = (card.extra ?? {}) as Record<string, unknown>;
    const envArg = env ?? (x.envId as string | undefined);
    if (!envArg) throw new DlkitError('INVALID_INPUT', `${dir}: the model card names no environment; pass one to DQN.load(dir, env).`);
    const envOptions = (env === undefined ? x.envOptions : undefined) as Record<string, unknown> | undefined;
    const e = typeof envArg === 'string' ? makeEnv(envArg, envOptions ?? {}) : envArg;
    const shape = x.observationShape as number[] | undefined;
    if (shape && shape.join() !== e.observationSpace.shape.join()) {
      throw new DlkitError(
        'SHAPE_MISMATCH',
        `The agent in ${dir} was trained on observations of shape ${JSON.stringify(shape)}, but env "${e.id}" gives ${JSON.stringify(e.observationSpace.shape)}.`,
        { hint: 'Use the same environment (and options) it was trained on.' },
      );
    }
    if (x.nActions !== undefined && x.nActions !== e.actionSpace.n) {
      throw new DlkitError('SHAPE_MISMATCH', `The agent in ${dir} has ${x.nActions} actions, env "${e.id}" has ${e.actionSpace.n}.`);
    }
    const hp = { ...(card.training?.hyperparameters ?? {}) } as DQNOptions;
    const agent = new DQN(e, hp);
    if (envOptions) agent.envOptions = envOptions;
    agent.setQNetworkWeights(model);
    agent.numTimesteps = (x.steps as number) ?? 0;
    agent.episodeReturns = (x.episodeReturns as number[]) ?? [];
    agent.episodeLengths = (x.episodeLengths as number[]) ?? [];
    agent.wallTime = card.training?.wallTimeSeconds ?? 0;
    return agent;
  } finally {
    model.dispose();
  }
}

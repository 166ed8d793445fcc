/**
 * Named environments, gym.make style: `makeEnv('CartPole-v1')` returns the env wrapped in its
 * registered TimeLimit. Short aliases ('cartpole', 'snake') are accepted case-insensitively.
 */
import { DlkitError } from '@dlkit/core';
import { type Env, TimeLimit } from '../env.js';
import { CartPoleEnv } from './cartpole.js';
import { CatchEnv } from './catch.js';
import { MountainCarEnv } from './mountain-car.js';
import { SnakeEnv } from './snake.js';

export type EnvFactory = (options: Record<string, unknown>) => Env;

interface EnvSpec {
  id: string;
  factory: EnvFactory;
  maxEpisodeSteps?: number;
  aliases: string[];
}

const specs = new Map<string, EnvSpec>();

export function registerEnv(id: string, factory: EnvFactory, opts: { maxEpisodeSteps?: number; aliases?: string[] } = {}): void {
  specs.set(id, { id, factory, maxEpisodeSteps: opts.maxEpisodeSteps, aliases: opts.aliases ?? [] });
}

export function listEnvs(): string[] {
  return [...specs.keys()].sort();
}

/** The canonical id for an id or alias ('cartpole' → 'CartPole-v1'). */
export function resolveEnvId(name: string): string {
  const lower = name.toLowerCase();
  for (const s of specs.values()) {
    if (s.id.toLowerCase() === lower || s.aliases.includes(lower)) return s.id;
  }
  throw new DlkitError('NOT_FOUND', `Unknown environment "${name}". Known: ${listEnvs().join(', ')}.`, {
    hint: 'Use one of those ids (or its short name: cartpole, mountaincar, snake, catch), or registerEnv() your own.',
    details: { option: 'env', value: name },
  });
}

export function makeEnv(name: string, options: Record<string, unknown> = {}): Env {
  const spec = specs.get(resolveEnvId(name))!;
  const { maxEpisodeSteps, ...rest } = options;
  const env = spec.factory(rest);
  const limit = (maxEpisodeSteps as number | undefined) ?? spec.maxEpisodeSteps;
  return limit ? new TimeLimit(env, limit) : env;
}

registerEnv('CartPole-v1', (o) => new CartPoleEnv(o), { maxEpisodeSteps: 500, aliases: ['cartpole'] });
registerEnv('MountainCar-v0', (o) => new MountainCarEnv(o), { maxEpisodeSteps: 200, aliases: ['mountaincar', 'mountain-car'] });
registerEnv('Snake-v0', (o) => new SnakeEnv(o), { aliases: ['snake'] });
registerEnv('Catch-v0', (o) => new CatchEnv(o), { aliases: ['catch'] });

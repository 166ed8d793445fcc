/**
 * `dlkit rl train|eval|play`, declared library-free (core's TaskCli); the work is in
 * node/commands.ts, imported lazily so this file stays browser-safe.
 */
import { checkInt, invalidOption, type TaskCli } from '@dlkit/core';

const envOption = { flags: '--env <name>', description: 'environment: CartPole-v1, MountainCar-v0, Snake-v0, Catch-v0 (or cartpole, mountaincar, snake, catch)' };

export const rlCli: TaskCli = {
  command: 'rl',
  description: 'Reinforcement learning: train, evaluate and watch DQN agents',
  verbs: [
    {
      name: 'train',
      description: 'train a DQN agent with the tuned hyperparameters of the environment',
      options: [
        { ...envOption, default: 'CartPole-v1' },
        { flags: '--steps <n>', description: 'total environment steps (default: the tuned value)', parse: 'int' },
        { flags: '--seed <s>', description: 'random seed', default: 0, parse: 'int' },
        { flags: '--out <dir>', description: 'where to save the agent (default rl-<env>-dqn)' },
        { flags: '--backend <name>', description: 'tfjs backend: auto, wasm, cpu, webgpu, tensorflow (default: DLKIT_BACKEND or auto)' },
        { flags: '--net-arch <sizes>', description: 'hidden layer sizes of the Q-network, e.g. 64,64 (default: the tuned ones)', parse: 'list' },
        { flags: '--eval-episodes <n>', description: 'evaluation episodes after training', default: 10, parse: 'int' },
        { flags: '--eval-freq <n>', description: 'every n steps evaluate 20 episodes and keep the best weights (rl-zoo best_model); 0 = off', default: 0, parse: 'int' },
      ],
      async run(_args, opts, io) {
        const { trainAgent } = await import('./node/commands.js');
        return trainAgent({
          env: opts.env as string,
          steps: opts.steps as number | undefined,
          seed: opts.seed as number,
          out: opts.out as string | undefined,
          backend: opts.backend as string | undefined,
          netArch: opts.netArch ? (opts.netArch as string[]).map((v) => checkInt('--net-arch', Number(v), 1)) : undefined,
          evalEpisodes: opts.evalEpisodes as number,
          evalFreq: opts.evalFreq as number,
          progress: true,
          log: io.json ? undefined : io.log,
        });
      },
    },
    {
      name: 'eval',
      description: 'evaluate a saved agent: mean/std return and mean length (Snake: mean fruits)',
      options: [
        { flags: '--model <dir>', description: 'directory written by rl train / DQN.save' },
        { ...envOption, description: 'environment (default: the one in the model card)' },
        { flags: '--episodes <n>', description: 'evaluation episodes', default: 10, parse: 'int' },
        { flags: '--seed <s>', description: 'episode i is reset with seed + i', default: 0, parse: 'int' },
      ],
      async run(_args, opts, io) {
        const { evalAgent } = await import('./node/commands.js');
        const r = await evalAgent({ model: requireModel(opts), env: opts.env as string | undefined, episodes: opts.episodes as number, seed: opts.seed as number });
        io.log(`${r.env}: mean return ${(r.meanReturn as number).toFixed(2)} ± ${(r.stdReturn as number).toFixed(2)} over ${r.episodes} episodes`);
        return r;
      },
    },
    {
      name: 'play',
      description: 'watch a saved agent play in the terminal, or record PNG frames',
      options: [
        { flags: '--model <dir>', description: 'directory written by rl train / DQN.save' },
        { ...envOption, description: 'environment (default: the one in the model card)' },
        { flags: '--episodes <n>', description: 'episodes to play', default: 1, parse: 'int' },
        { flags: '--fps <f>', description: 'frames per second (0 = as fast as possible)', default: 10, parse: 'float' },
        { flags: '--seed <s>', description: 'seed of the first episode', default: 0, parse: 'int' },
        { flags: '--record <dir>', description: 'write PNG frames to this directory instead of animating' },
      ],
      async run(_args, opts, io) {
        const { playAgent } = await import('./node/commands.js');
        return playAgent({
          model: requireModel(opts),
          env: opts.env as string | undefined,
          episodes: opts.episodes as number,
          fps: opts.fps as number,
          seed: opts.seed as number,
          record: opts.record as string | undefined,
          write: io.json ? () => {} : undefined,
        });
      },
    },
  ],
};

function requireModel(opts: Record<string, unknown>): string {
  if (typeof opts.model !== 'string' || opts.model === '') {
    throw invalidOption('--model', opts.model, 'the directory of a saved agent (written by `dlkit rl train --out DIR`)');
  }
  return opts.model;
}

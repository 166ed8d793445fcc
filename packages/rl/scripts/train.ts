/**
 * Train a DQN agent with the tuned hyperparameters: the same code path as `dlkit rl train`.
 *   pnpm tsx packages/rl/scripts/train.ts --env CartPole-v1 --steps 50000 --seed 0 --out /tmp/rl-models/cartpole-dqn --backend wasm --eval-episodes 100
 */
import { parseArgs } from 'node:util';
import { selectBackend } from '@dlkit/core';
import { trainAgent } from '../src/node.js';

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'CartPole-v1' },
    steps: { type: 'string' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    'eval-episodes': { type: 'string', default: '100' },
  },
});

await selectBackend(values.backend as 'wasm');
const result = await trainAgent({
  env: values.env,
  steps: values.steps ? Number(values.steps) : undefined,
  seed: Number(values.seed),
  out: values.out,
  evalEpisodes: Number(values['eval-episodes']),
  log: (m) => console.error(m),
  command: `pnpm tsx packages/rl/scripts/train.ts ${process.argv.slice(2).join(' ')}`,
});
console.log(JSON.stringify(result));

// The release checkpoints in models/: each loads and still plays at its card's level (CI runs
// this; the 100-episode numbers are in the cards), and the CLI acceptance command.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend, tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DQN, evaluatePolicyParallel, makeEnv } from '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Release {
  name: string;
  env: string;
  /** Evaluation episodes here: fewer than the card's 100, to stay fast. */
  episodes: number;
  metric: 'meanReturn' | 'meanFruits';
  /** The bar; a regression (wrong weights, env or eval change) falls below it. */
  threshold: number;
}

const RELEASES: Release[] = [
  { name: 'cartpole-dqn', env: 'CartPole-v1', episodes: 20, metric: 'meanReturn', threshold: 475 },
  { name: 'mountaincar-dqn', env: 'MountainCar-v0', episodes: 50, metric: 'meanReturn', threshold: -110 },
  { name: 'snake-dqn', env: 'Snake-v0', episodes: 30, metric: 'meanFruits', threshold: 12 },
];

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('release checkpoints in models/', () => {
  for (const r of RELEASES) {
    const dir = join(root, 'models', r.name);
    const present = existsSync(join(dir, 'model-card.json'));
    const title = present ? `${r.name}: ${r.metric} ≥ ${r.threshold} over ${r.episodes} episodes` : `${r.name}: SKIPPED — models/${r.name} is not committed`;
    it.skipIf(!present)(title, async () => {
      const card = JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8'));
      expect(card.extra.envId).toBe(r.env);
      // The card documents a reproducible CLI recipe and its 100-episode result.
      expect(card.training.command).toMatch(/^pnpm dlkit rl train --env /);
      expect(card.extra.evaluation.episodes).toBe(100);
      const cardMetric = r.metric === 'meanFruits' ? card.metrics.evalMeanFruits : card.metrics.evalMeanReturn;
      expect(cardMetric).toBeGreaterThanOrEqual(r.threshold);
      const bytes = card.weights.reduce((s: number, w: { bytes: number }) => s + w.bytes, 0);
      expect(bytes).toBeLessThan(4 * 2 ** 20);
      expect(statSync(join(dir, 'model.json')).size).toBeLessThan(2 ** 20);

      const base = tf.memory().numTensors;
      const agent = await DQN.load(dir);
      const result = evaluatePolicyParallel(agent, () => makeEnv(r.env, agent.envOptions), { nEvalEpisodes: r.episodes, seed: 7 });
      agent.dispose();
      expect(tf.memory().numTensors).toBe(base);
      expect(result[r.metric]).toBeGreaterThanOrEqual(r.threshold);
    });
  }
});

const cartpole = join(root, 'models', 'cartpole-dqn');
describe('CLI acceptance', () => {
  it.skipIf(!existsSync(join(cartpole, 'model-card.json')))(
    'pnpm dlkit rl eval --model models/cartpole-dqn --env cartpole --episodes 100 --seed 123 --json → meanReturn ≥ 475',
    () => {
      const out = execFileSync('pnpm', ['--silent', 'dlkit', 'rl', 'eval', '--model', 'models/cartpole-dqn', '--env', 'cartpole', '--episodes', '100', '--seed', '123', '--json'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, DLKIT_BACKEND: 'wasm' },
      });
      const result = JSON.parse(out.trim().split('\n').at(-1)!);
      expect(result).toMatchObject({ env: 'CartPole-v1', episodes: 100 });
      expect(result.meanReturn).toBeGreaterThanOrEqual(475);
    },
    60_000,
  );
});

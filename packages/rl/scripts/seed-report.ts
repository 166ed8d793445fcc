/**
 * Adds the other seeds' runs to a release card: SB3/rl-zoo report a recipe over several seeds,
 * and one committed checkpoint should say how the others did. Reads each run's model-card.json
 * (written by `dlkit rl train`), stores a summary per seed in the first card's
 * `extra.seedRuns`, and draws every seed's learning curve (mean of the last 100 episodes).
 *   pnpm tsx packages/rl/scripts/seed-report.ts models/cartpole-dqn /tmp/rl-models/cartpole-dqn-seed1 /tmp/rl-models/cartpole-dqn-seed2
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from '@dlkit/core/node';
import { writePlot } from '@dlkit/train/node';
import { learningCurveSpec } from '../src/curve.js';

const [release, ...others] = process.argv.slice(2);
if (!release) throw new Error('usage: seed-report.ts RELEASE_DIR [OTHER_RUN_DIR ...]');

const cards = [release, ...others].map((dir) => ({ dir, card: JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8')) }));
const seedRuns = cards.map(({ dir, card }) => ({
  seed: card.extra.seed,
  committed: dir === release,
  steps: card.extra.steps,
  wallTimeSeconds: card.training.wallTimeSeconds,
  backend: card.training.backend,
  command: card.training.command,
  evalMeanReturn: card.metrics.evalMeanReturn,
  evalStdReturn: card.metrics.evalStdReturn,
  ...(card.metrics.evalMeanFruits !== undefined ? { evalMeanFruits: card.metrics.evalMeanFruits } : {}),
  evalEpisodes: card.metrics.evalEpisodes,
  meanReturnLast100: card.metrics.meanReturnLast100,
  trainEpisodes: card.metrics.trainEpisodes,
}));
const main = cards[0]!.card;
main.extra.seedRuns = seedRuns;
main.extra.seedCurve = 'learning-curve-seeds.svg';
await atomicWriteFile(join(release, 'model-card.json'), `${JSON.stringify(main, null, 2)}\n`);

const series = cards.map(({ card }) => {
  const spec = learningCurveSpec({ envId: card.extra.envId, episodeReturns: card.extra.episodeReturns, episodeLengths: card.extra.episodeLengths });
  return { ...spec.series[1]!, name: `seed ${card.extra.seed}`, color: undefined };
});
await writePlot(join(release, 'learning-curve-seeds.svg'), {
  title: `DQN on ${main.extra.envId}: mean return of the last 100 training episodes`,
  xLabel: 'environment steps',
  yLabel: 'mean episode return',
  series,
});
console.log(JSON.stringify(seedRuns));

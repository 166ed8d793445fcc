/**
 * A/B of the two DQN update paths (typed-array fast path vs tfjs autodiff) interleaved in one
 * process, so a loaded machine slows both alike; reports wall and CPU ms per update.
 *   pnpm exec tsx bench/profile/dqn-ab.ts [--env MountainCar-v0] [--backend wasm] [--rounds 10]
 */
import { parseArgs } from 'node:util';
import { type BackendName, selectBackend } from '@dlkit/core';
import { DQN, defaultHyperparams } from '@dlkit/rl';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    env: { type: 'string', default: 'MountainCar-v0' },
    rounds: { type: 'string', default: '10' },
    per: { type: 'string', default: '5' },
  },
});

async function main() {
  await selectBackend(values.backend as BackendName);
  const hp = defaultHyperparams(values.env!);
  const agents = await Promise.all(
    [true, false].map(async (fastPath) => {
      const a = new DQN(values.env!, { ...hp.options, seed: 0, fastPath });
      await a.learn({ totalTimesteps: hp.options.learningStarts! });
      a.train(2);
      return a;
    }),
  );
  const per = Number(values.per);
  const acc = agents.map(() => ({ wall: 0, cpu: 0, n: 0 }));
  for (let r = 0; r < Number(values.rounds); r++) {
    agents.forEach((a, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      a.train(per);
      const c = process.cpuUsage(c0);
      acc[i]!.wall += performance.now() - t0;
      acc[i]!.cpu += (c.user + c.system) / 1000;
      acc[i]!.n += per;
    });
  }
  const rows = acc.map((x, i) => ({ path: i === 0 ? 'fast' : 'tfjs', wallMs: +(x.wall / x.n).toFixed(2), cpuMs: +(x.cpu / x.n).toFixed(2) }));
  console.log(JSON.stringify({ env: values.env, backend: values.backend, netArch: hp.options.netArch, batch: hp.options.batchSize, rows, speedupCpu: +(rows[1]!.cpuMs / rows[0]!.cpuMs).toFixed(2) }));
  for (const a of agents) a.dispose();
}

await main();

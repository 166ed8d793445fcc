/**
 * The learning curve of a DQN run as a @dlkit/train line-chart spec: every training episode's
 * return against the env step it ended at, and SB3's `ep_rew_mean` (mean of the last 100).
 */
import type { LineChartSpec } from '@dlkit/train';

export function learningCurveSpec(run: { envId: string; episodeReturns: number[]; episodeLengths: number[]; window?: number }): LineChartSpec {
  const window = run.window ?? 100;
  const x: number[] = [];
  const mean: number[] = [];
  let t = 0;
  let sum = 0;
  run.episodeReturns.forEach((r, i) => {
    t += run.episodeLengths[i] ?? 0;
    x.push(t);
    sum += r;
    if (i >= window) sum -= run.episodeReturns[i - window]!;
    mean.push(sum / Math.min(i + 1, window));
  });
  return {
    title: `DQN on ${run.envId}: training episode returns`,
    xLabel: 'environment steps',
    yLabel: 'episode return',
    series: [
      { name: 'episode', x, y: run.episodeReturns, color: '#9ecae1', points: true },
      { name: `mean of last ${window}`, x, y: mean, color: '#1f77b4' },
    ],
  };
}

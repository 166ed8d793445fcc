import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineChartSvg, niceTicks, plotHistory } from '../src/index.js';
import { writePlot } from '../src/node.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dlkit-plot-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('plots', () => {
  it('niceTicks picks 1-2-5 steps', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 47)).toEqual([10, 20, 30, 40]);
  });

  it('lineChartSvg draws axes, ticks, legend, labels, escaped title and log-x', () => {
    const svg = lineChartSvg({
      title: 'loss <&>',
      series: [
        { name: 'loss', x: [1, 2, 3], y: [1, 0.5, 0.25] },
        { name: 'val_loss', x: [1, 2, 3], y: [1.2, 0.7, 0.6] },
      ],
      xLabel: 'epoch',
      yLabel: 'value',
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('loss &lt;&amp;&gt;');
    expect(svg.match(/<polyline/g)!.length).toBe(2);
    expect(svg).toContain('>val_loss</text>');
    expect(svg).toContain('>epoch</text>');
    const log = lineChartSvg({ series: [{ name: 'l', x: [1e-5, 1e-3, 1e-1], y: [1, 2, 3] }], logX: true });
    expect(log).toContain('>1e-5</text>');
    expect(log).toContain('>1e-1</text>');
    expect(() => lineChartSvg({ series: [] })).toThrow(/series/);
  });

  it('plotHistory and writePlot (.svg and .png via sharp)', async () => {
    const svg = plotHistory({ epoch: [0, 1, 2], history: { loss: [1, 0.6, 0.4], val_loss: [1.1, 0.8, 0.7], lr: [1, 1, 1] } });
    expect(svg).toContain('>val_loss</text>');
    expect(svg).not.toContain('>lr</text>');
    await writePlot(join(dir, 'h.svg'), svg);
    expect(await readFile(join(dir, 'h.svg'), 'utf8')).toBe(svg);
    await writePlot(join(dir, 'h.png'), svg);
    const png = await readFile(join(dir, 'h.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(720); // width from the IHDR chunk
    await expect(writePlot(join(dir, 'h.gif'), svg)).rejects.toThrow(/use \.svg or \.png/);
  });
});

import { DlkitError } from '@dlkit/core';
import type { History } from '../types.js';
import { type LineChartSpec, lineChartSvg, type Series } from './svg.js';

export interface PlotHistoryOptions {
  /** Keys to plot (default: every key but `lr`; each metric with its `val_` twin). */
  keys?: string[];
  title?: string;
}

/** Training curves of a History: one series per key, x = epoch (1-based, like Keras' printout). */
export function historySpec(history: History, options: PlotHistoryOptions = {}): LineChartSpec {
  const keys = options.keys ?? Object.keys(history.history).filter((k) => k !== 'lr');
  if (keys.length === 0 || history.epoch.length === 0) throw new DlkitError('INVALID_INPUT', 'plotHistory: the History has no epochs to plot.');
  const series: Series[] = keys.map((k) => {
    const y = history.history[k];
    if (!y) throw new DlkitError('INVALID_OPTION', `plotHistory: key "${k}" is not in the History (${Object.keys(history.history).join(', ')}).`);
    return { name: k, x: history.epoch.map((e) => e + 1), y };
  });
  return { title: options.title ?? 'Training history', series, xLabel: 'epoch', yLabel: 'value' };
}

export function plotHistory(history: History, options: PlotHistoryOptions = {}): string {
  return lineChartSvg(historySpec(history, options));
}

// Shared "watch a logged quantity" logic of earlyStopping, reduceLROnPlateau and modelCheckpoint.
import { checkOneOf, DlkitError } from '@dlkit/core';
import type { Logs } from '../types.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Keras 'auto': accuracy-like quantities are maximised, everything else minimised. */
export function resolveMode(monitor: string, mode: MonitorMode = 'auto'): 'min' | 'max' {
  checkOneOf('mode', mode, ['auto', 'min', 'max'] as const);
  if (mode !== 'auto') return mode;
  return /acc|auc|f1|precision|recall|ndcg|map$/i.test(monitor) ? 'max' : 'min';
}

/** The monitored value, or an error naming the keys that do exist (a typo must not silently disable the callback). */
export function monitored(logs: Logs, monitor: string, who: string): number {
  const v = logs[monitor];
  if (v === undefined) {
    const hint = monitor.startsWith('val_') ? ' Pass validationData (or validationSplit), or monitor a training key.' : '';
    throw new DlkitError('INVALID_OPTION', `${who}: monitor "${monitor}" is not in the epoch logs (${Object.keys(logs).join(', ') || 'none'}).${hint}`, {
      details: { option: 'monitor', value: monitor },
    });
  }
  return v;
}

/** Is `current` better than `best` by more than minDelta in this direction. */
export function improved(current: number, best: number, mode: 'min' | 'max', minDelta: number): boolean {
  if (Number.isNaN(current)) return false;
  return mode === 'min' ? current < best - Math.abs(minDelta) : current > best + Math.abs(minDelta);
}

export function worst(mode: 'min' | 'max'): number {
  return mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

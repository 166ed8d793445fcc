import { readFile } from 'node:fs/promises';
import { DlkitError } from '@dlkit/core';
import { atomicWriteFile as writeAtomic } from '@dlkit/core/node';
import type { Callback, Logs } from '../types.js';

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DlkitError('IO_ERROR', `Could not read ${path}: ${(e as Error).message}.`, { cause: e });
  }
}

export interface JsonlLoggerOptions {
  /** Keep existing lines (default true: a resumed run continues the log). */
  append?: boolean;
  /** Also log every batch (`{"epoch", "batch", ...}`); default false. */
  batches?: boolean;
}

/**
 * One JSON object per epoch (`{"epoch":0,"loss":...,"val_loss":...}`). Each write replaces the
 * file atomically, so a crash leaves a complete log.
 */
export function jsonlLogger(path: string, options: JsonlLoggerOptions = {}): Callback {
  let lines: string[] = [];
  let epoch = 0;
  return {
    async onTrainBegin() {
      const old = options.append === false ? undefined : await readIfExists(path);
      lines = old ? old.split('\n').filter((l) => l.trim() !== '') : [];
    },
    onEpochBegin(e) {
      epoch = e;
    },
    onBatchEnd(batch, logs) {
      if (options.batches) lines.push(JSON.stringify({ epoch, batch, ...logs }));
    },
    async onEpochEnd(e, logs) {
      lines.push(JSON.stringify({ epoch: e, ...logs, time: new Date().toISOString() }));
      await writeAtomic(path, `${lines.join('\n')}\n`);
    },
  };
}

export interface CsvLoggerOptions {
  /** Continue an existing file (keeping its header) instead of replacing it. Default false (Keras). */
  append?: boolean;
  separator?: string;
}

function csvCell(v: number | string | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Keras CSVLogger: `epoch,<keys...>` header, one row per epoch, atomically rewritten. */
export function csvLogger(path: string, options: CsvLoggerOptions = {}): Callback {
  const sep = options.separator ?? ',';
  let header: string[] | undefined;
  let rows: string[] = [];
  return {
    async onTrainBegin() {
      header = undefined;
      rows = [];
      if (options.append) {
        const old = await readIfExists(path);
        if (old?.trim()) {
          const ls = old.split('\n').filter((l) => l.trim() !== '');
          header = ls[0]!.split(sep);
          rows = ls.slice(1);
        }
      }
    },
    async onEpochEnd(epoch, logs: Logs) {
      if (!header) header = ['epoch', ...Object.keys(logs).sort()];
      rows.push(header.map((k) => csvCell(k === 'epoch' ? epoch : logs[k])).join(sep));
      await writeAtomic(path, `${[header.join(sep), ...rows].join('\n')}\n`);
    },
  };
}

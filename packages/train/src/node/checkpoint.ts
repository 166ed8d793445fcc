import { checkOneOf, DlkitError } from '@dlkit/core';
import { improved, type MonitorMode, monitored, resolveMode, worst } from '../callbacks/monitor.js';
import type { Callback, Logs, TrainContext } from '../types.js';
import { saveModel } from './core-io.js';

export interface ModelCheckpointOptions {
  monitor?: string;
  /** Only save when the monitored value improves (the directory then always holds the best model). */
  saveBestOnly?: boolean;
  mode?: MonitorMode;
  saveFreq?: 'epoch';
  /** Extra model-card fields (task, labels...) passed to saveModel. */
  card?: Record<string, unknown>;
}

/**
 * Keras ModelCheckpoint through core's atomic saveModel. `dir` may contain `{epoch}` (1-based,
 * zero-padded to 3) to keep one directory per epoch, or names one directory overwritten each time.
 */
export function modelCheckpoint(dir: string, options: ModelCheckpointOptions = {}): Callback & { saved: string[] } {
  const monitor = options.monitor ?? 'val_loss';
  const mode = resolveMode(monitor, options.mode);
  checkOneOf('saveFreq', options.saveFreq ?? 'epoch', ['epoch'] as const);
  let ctx: TrainContext;
  let best = worst(mode);
  const cb = {
    saved: [] as string[],
    setContext(c: TrainContext) {
      ctx = c;
    },
    onTrainBegin() {
      if (!ctx.model) throw new DlkitError('STATE', 'modelCheckpoint needs a model in the loop (fit provides it; pass `model` to runLoop).');
    },
    async onEpochEnd(epoch: number, logs: Logs) {
      if (options.saveBestOnly) {
        const v = monitored(logs, monitor, 'modelCheckpoint');
        if (!improved(v, best, mode, 0)) return;
        best = v;
      }
      const path = dir.replace('{epoch}', String(epoch + 1).padStart(3, '0'));
      await saveModel(ctx.model!, path, {
        ...options.card,
        metrics: { ...logs },
        training: { epochs: epoch + 1 },
      });
      cb.saved.push(path);
    },
  };
  return cb;
}

import { createProgress, type Progress, type ProgressOptions } from '@dlkit/core';
import type { Callback, Logs, TrainContext } from '../types.js';

export interface ProgressBarOptions {
  /** 'auto' (bar on a TTY, JSON lines otherwise), 'bar', 'json', 'none', or a callback receiving events. */
  mode?: ProgressOptions['mode'];
  stream?: ProgressOptions['stream'];
}

/** Epoch progress through core's one progress mechanism: label `epoch 3/10`, step/total, loss, metrics, ETA. */
export function progressBar(options: ProgressBarOptions = {}): Callback {
  let ctx: TrainContext;
  let bar: Progress | undefined;
  const numeric = (logs: Logs) => {
    const m: Record<string, number> = {};
    for (const [k, v] of Object.entries(logs)) if (k !== 'batch' && k !== 'size' && typeof v === 'number') m[k] = v;
    return m;
  };
  return {
    setContext(c) {
      ctx = c;
    },
    onEpochBegin(epoch) {
      bar = createProgress({
        label: `epoch ${epoch + 1}/${ctx.params.epochs}`,
        total: ctx.params.steps,
        unit: 'step',
        mode: options.mode,
        stream: options.stream,
      });
    },
    onBatchEnd(batch, logs) {
      bar?.update(batch + 1, numeric(logs));
    },
    onEpochEnd(_epoch, logs) {
      bar?.done(numeric(logs));
      bar = undefined;
    },
  };
}

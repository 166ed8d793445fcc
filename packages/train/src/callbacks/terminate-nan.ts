import type { Callback, Logs, TrainContext } from '../types.js';

/** Keras TerminateOnNaN: stop as soon as a batch loss is NaN or infinite. `stoppedAt` says where. */
export function terminateOnNaN(): Callback & { stoppedAt?: { epoch: number; batch: number } } {
  let ctx: TrainContext;
  const cb: Callback & { stoppedAt?: { epoch: number; batch: number } } = {
    setContext(c) {
      ctx = c;
    },
    onBatchEnd(batch: number, logs: Logs) {
      const loss = logs.loss;
      if (loss !== undefined && !Number.isFinite(loss)) {
        cb.stoppedAt = { epoch: ctx.epoch, batch };
        ctx.stopTraining = true;
      }
    },
  };
  return cb;
}

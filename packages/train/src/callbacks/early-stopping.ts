import { checkInt, checkNumber, tf } from '@dlkit/core';
import type { Callback, Logs, TrainContext } from '../types.js';
import { improved, type MonitorMode, monitored, resolveMode, worst } from './monitor.js';

export interface EarlyStoppingOptions {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: MonitorMode;
  /** Training stops if the monitored value has not beaten this after `patience` epochs. */
  baseline?: number;
  /** Put back the weights of the best epoch when training ends (needs `model` in the loop). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before starting to monitor. */
  startFromEpoch?: number;
}

/**
 * Keras EarlyStopping. `stoppedEpoch` and `bestEpoch` are readable afterwards. With
 * restoreBestWeights the best epoch's weights are put back when training ends (Keras 3).
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback & { stoppedEpoch: number; bestEpoch: number } {
  const monitor = options.monitor ?? 'val_loss';
  const minDelta = checkNumber('minDelta', options.minDelta ?? 0);
  const patience = checkInt('patience', options.patience ?? 0, 0);
  const mode = resolveMode(monitor, options.mode);
  const startFrom = options.startFromEpoch ?? 0;
  let ctx: TrainContext;
  let wait = 0;
  let best = worst(mode);
  let bestWeights: tf.Tensor[] | undefined;
  const freeBest = () => {
    if (bestWeights) tf.dispose(bestWeights);
    bestWeights = undefined;
  };
  const cb = {
    stoppedEpoch: -1,
    bestEpoch: -1,
    setContext(c: TrainContext) {
      ctx = c;
    },
    onTrainBegin() {
      wait = 0;
      best = options.baseline ?? worst(mode);
      cb.stoppedEpoch = -1;
      cb.bestEpoch = -1;
      freeBest();
    },
    onEpochEnd(epoch: number, logs: Logs) {
      if (epoch < startFrom) return;
      const current = monitored(logs, monitor, 'earlyStopping');
      wait++;
      if (improved(current, best, mode, minDelta)) {
        best = current;
        cb.bestEpoch = epoch;
        wait = 0;
        if (options.restoreBestWeights && ctx.model) {
          freeBest();
          bestWeights = ctx.model.getWeights().map((w) => tf.keep(w.clone()));
        }
        return;
      }
      if (wait >= patience && epoch > 0) {
        cb.stoppedEpoch = epoch;
        ctx.stopTraining = true;
      }
    },
    onTrainEnd() {
      if (options.restoreBestWeights && ctx.model && bestWeights && cb.bestEpoch !== ctx.history.epoch.at(-1)) {
        ctx.model.setWeights(bestWeights);
      }
      freeBest();
    },
  };
  return cb;
}

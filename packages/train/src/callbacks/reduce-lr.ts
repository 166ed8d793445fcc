import { checkInt, checkNumber, DlkitError } from '@dlkit/core';
import type { Callback, Logs, TrainContext } from '../types.js';
import { improved, type MonitorMode, monitored, resolveMode, worst } from './monitor.js';

export interface ReduceLROnPlateauOptions {
  monitor?: string;
  /** New LR = LR × factor (must be < 1). */
  factor?: number;
  patience?: number;
  minLr?: number;
  /** Epochs to wait after a reduction before counting again. */
  cooldown?: number;
  minDelta?: number;
  mode?: MonitorMode;
}

/** Keras ReduceLROnPlateau. */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): Callback {
  const monitor = options.monitor ?? 'val_loss';
  const factor = checkNumber('factor', options.factor ?? 0.1, 0);
  if (factor >= 1) throw new DlkitError('INVALID_OPTION', `Invalid option factor: ${factor}; expected a number < 1 (the LR is multiplied by it).`);
  const patience = checkInt('patience', options.patience ?? 10, 0);
  const minLr = checkNumber('minLr', options.minLr ?? 0, 0);
  const cooldown = checkInt('cooldown', options.cooldown ?? 0, 0);
  const minDelta = checkNumber('minDelta', options.minDelta ?? 1e-4);
  const mode = resolveMode(monitor, options.mode);
  let ctx: TrainContext;
  let wait = 0;
  let cooldownLeft = 0;
  let best = worst(mode);
  return {
    setContext(c) {
      ctx = c;
    },
    onTrainBegin() {
      if (!ctx.lr) throw new DlkitError('STATE', 'reduceLROnPlateau needs an optimizer in the loop (fit provides one; pass `optimizer` to runLoop).');
      wait = 0;
      cooldownLeft = 0;
      best = worst(mode);
    },
    onEpochEnd(_epoch: number, logs: Logs) {
      const current = monitored(logs, monitor, 'reduceLROnPlateau');
      if (cooldownLeft > 0) {
        cooldownLeft--;
        wait = 0;
      }
      if (improved(current, best, mode, minDelta)) {
        best = current;
        wait = 0;
      } else if (cooldownLeft === 0) {
        wait++;
        if (wait >= patience) {
          const old = ctx.lr!.get();
          if (old > minLr) {
            ctx.lr!.set(Math.max(old * factor, minLr));
            cooldownLeft = cooldown;
            wait = 0;
          }
        }
      }
    },
  };
}

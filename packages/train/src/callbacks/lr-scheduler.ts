import { DlkitError } from '@dlkit/core';
import type { Schedule } from '../schedules.js';
import type { Callback, TrainContext } from '../types.js';

/** Keras-style: `(epoch, currentLr) => newLr`, or a dlkit Schedule (per epoch or per step). */
export type ScheduleLike = Schedule | ((t: number, lr: number) => number);

export interface LearningRateSchedulerOptions {
  /** Override the schedule's own unit. Plain functions default to 'epoch' (Keras). */
  per?: 'epoch' | 'step';
}

/**
 * Sets the LR before each epoch (Keras LearningRateScheduler) or before each step
 * (oneCycle, warmup). Per-step `t` counts steps since epoch `initialEpoch` × steps, so a
 * resumed run continues the curve where it left off when steps per epoch are known.
 */
export function learningRateScheduler(schedule: ScheduleLike, options: LearningRateSchedulerOptions = {}): Callback {
  const per = options.per ?? (schedule as Partial<Schedule>).per ?? 'epoch';
  let ctx: TrainContext;
  const apply = (t: number) => {
    if (!ctx.lr) throw new DlkitError('STATE', 'learningRateScheduler needs an optimizer in the loop (fit provides one; pass `optimizer` to runLoop).');
    const lr = schedule(t, ctx.lr.get());
    if (!Number.isFinite(lr) || lr < 0) {
      throw new DlkitError('NUMERIC', `The learning-rate schedule returned ${lr} at ${per} ${t}; it must be a finite number ≥ 0.`);
    }
    ctx.lr.set(lr);
  };
  return {
    setContext(c) {
      ctx = c;
    },
    onEpochBegin(epoch) {
      if (per === 'epoch') apply(epoch);
    },
    onBatchBegin() {
      if (per === 'step') apply(ctx.params.initialEpoch * (ctx.params.steps ?? 0) + ctx.globalStep);
    },
  };
}


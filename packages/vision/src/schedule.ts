/** The named LR schedules of fit/fineTune as @dlkit/train callbacks (per step, over one training phase). */
import { invalidOption } from '@dlkit/core';
import { type Callback, cosineDecay, learningRateScheduler, oneCycle, type Schedule } from '@dlkit/train';

export type ScheduleOption = 'constant' | 'cosine' | 'one-cycle' | Schedule;

export function scheduleCallbacks(schedule: ScheduleOption, lr: number, epochs: number, steps: number): Callback[] {
  if (schedule === 'constant') return [];
  if (schedule === 'cosine') return [learningRateScheduler(cosineDecay({ initialLr: lr, decaySteps: epochs * steps, per: 'step' }))];
  if (schedule === 'one-cycle') return [learningRateScheduler(oneCycle({ maxLr: lr, totalSteps: epochs * steps }))];
  // A Schedule is a function with a `per` field.
  if (typeof schedule === 'function' && typeof (schedule as Schedule).per === 'string') return [learningRateScheduler(schedule)];
  throw invalidOption('schedule', schedule, '"constant", "cosine", "one-cycle" or a Schedule from @dlkit/train');
}

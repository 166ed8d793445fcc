/**
 * Learning-rate schedules as plain functions of a counter `t` (epochs or steps, see `per`).
 * Semantics follow Keras/TF (stepDecay, exponentialDecay, cosineDecay with alpha) and
 * PyTorch/fastai OneCycleLR (per step, cosine annealing).
 */
import { checkInt, checkNumber, DlkitError } from '@dlkit/core';

export interface Schedule {
  (t: number): number;
  /** Whether `t` counts epochs or optimizer steps (learningRateScheduler follows this). */
  per: 'epoch' | 'step';
}

function schedule(fn: (t: number) => number, per: 'epoch' | 'step'): Schedule {
  return Object.assign((t: number) => fn(t), { per });
}

export interface StepDecayOptions {
  initialLr: number;
  /** Multiplier applied every `stepSize` (default 0.5). */
  dropRate?: number;
  stepSize?: number;
  per?: 'epoch' | 'step';
}

/** lr = initialLr × dropRate^floor(t / stepSize). */
export function stepDecay(o: StepDecayOptions): Schedule {
  const lr0 = checkNumber('initialLr', o.initialLr, 0);
  const drop = checkNumber('dropRate', o.dropRate ?? 0.5, 0);
  const size = checkInt('stepSize', o.stepSize ?? 10, 1);
  return schedule((t) => lr0 * drop ** Math.floor(t / size), o.per ?? 'epoch');
}

export interface ExponentialDecayOptions {
  initialLr: number;
  decayRate: number;
  decaySteps: number;
  staircase?: boolean;
  per?: 'epoch' | 'step';
}

/** TF ExponentialDecay: lr = initialLr × decayRate^(t / decaySteps) (floored with staircase). */
export function exponentialDecay(o: ExponentialDecayOptions): Schedule {
  const lr0 = checkNumber('initialLr', o.initialLr, 0);
  const rate = checkNumber('decayRate', o.decayRate, 0);
  const steps = checkNumber('decaySteps', o.decaySteps, Number.MIN_VALUE);
  return schedule((t) => lr0 * rate ** (o.staircase ? Math.floor(t / steps) : t / steps), o.per ?? 'epoch');
}

export interface CosineDecayOptions {
  initialLr: number;
  decaySteps: number;
  /** Floor as a fraction of initialLr (default 0). */
  alpha?: number;
  per?: 'epoch' | 'step';
}

/** TF CosineDecay: lr = initialLr × ((1 − α)·½(1 + cos(π·min(t, T)/T)) + α). */
export function cosineDecay(o: CosineDecayOptions): Schedule {
  const lr0 = checkNumber('initialLr', o.initialLr, 0);
  const T = checkNumber('decaySteps', o.decaySteps, Number.MIN_VALUE);
  const alpha = checkNumber('alpha', o.alpha ?? 0, 0, 1);
  return schedule((t) => {
    const cos = 0.5 * (1 + Math.cos((Math.PI * Math.min(t, T)) / T));
    return lr0 * ((1 - alpha) * cos + alpha);
  }, o.per ?? 'epoch');
}

/**
 * Linear warmup from 0 to `inner(0)` over `warmupSteps`, then `inner(t − warmupSteps)`
 * (HF get_linear_schedule_with_warmup's ramp; the inner schedule starts after the warmup).
 */
export function linearWarmup(inner: Schedule | ((t: number) => number), warmupSteps: number): Schedule {
  const w = checkInt('warmupSteps', warmupSteps, 0);
  const per = (inner as Partial<Schedule>).per ?? 'step';
  return schedule((t) => (t < w ? (inner(0) * t) / w : inner(t - w)), per);
}

export interface OneCycleOptions {
  maxLr: number;
  totalSteps: number;
  /** Fraction of steps spent increasing the LR (fastai 0.25; PyTorch 0.3). */
  pctStart?: number;
  /** Initial LR = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final LR = initial LR / finalDivFactor (fastai 1e5; PyTorch 1e4). */
  finalDivFactor?: number;
}

/**
 * One-cycle policy, per step, PyTorch OneCycleLR (anneal_strategy 'cos', two phases):
 * cosine from maxLr/divFactor up to maxLr over the first pctStart·totalSteps − 1 steps, then
 * cosine down to initial/finalDivFactor at step totalSteps − 1. Defaults are fastai's.
 */
export function oneCycle(o: OneCycleOptions): Schedule {
  const maxLr = checkNumber('maxLr', o.maxLr, 0);
  const total = checkInt('totalSteps', o.totalSteps, 2);
  const pct = checkNumber('pctStart', o.pctStart ?? 0.25, 0, 1);
  const div = checkNumber('divFactor', o.divFactor ?? 25, Number.MIN_VALUE);
  const finalDiv = checkNumber('finalDivFactor', o.finalDivFactor ?? 1e5, Number.MIN_VALUE);
  const initial = maxLr / div;
  const minLr = initial / finalDiv;
  const upEnd = pct * total - 1;
  const downEnd = total - 1;
  if (upEnd <= 0 || upEnd >= downEnd) {
    throw new DlkitError('INVALID_OPTION', `oneCycle: pctStart ${pct} × totalSteps ${total} leaves an empty warm-up or annealing phase.`, {
      details: { option: 'pctStart', value: pct },
    });
  }
  const anneal = (start: number, end: number, p: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * p) + 1);
  return schedule((t) => {
    const s = Math.min(Math.max(t, 0), downEnd);
    if (s <= upEnd) return anneal(initial, maxLr, s / upEnd);
    return anneal(maxLr, minLr, (s - upEnd) / (downEnd - upEnd));
  }, 'step');
}

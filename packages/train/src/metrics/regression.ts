import { checkSameLength, toNumbers, type Values } from './inputs.js';

/** Root mean squared error over all elements. */
export function rmse(yTrue: Values, yPred: Values): number {
  const t = toNumbers(yTrue);
  const p = toNumbers(yPred);
  checkSameLength(t, p, 'rmse');
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (t[i]! - p[i]!) ** 2;
  return Math.sqrt(s / t.length);
}

/** Mean absolute error over all elements. */
export function mae(yTrue: Values, yPred: Values): number {
  const t = toNumbers(yTrue);
  const p = toNumbers(yPred);
  checkSameLength(t, p, 'mae');
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs(t[i]! - p[i]!);
  return s / t.length;
}

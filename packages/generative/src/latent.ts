/** Latent-space paths: linear and spherical (slerp, Shoemake 1985; White 2016 "Sampling Generative Networks"). */
import { invalidOption } from '@dlkit/core';

export type InterpolationMode = 'linear' | 'spherical';

export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!;
  return out;
}

/**
 * Great-circle interpolation: keeps the norm of Gaussian latents typical (a straight line between
 * two samples passes near the origin, where the prior has little mass). Falls back to lerp when
 * the vectors are (anti)parallel.
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  const cos = Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb || 1)));
  const omega = Math.acos(cos);
  const so = Math.sin(omega);
  if (so < 1e-6) return lerp(a, b, t);
  const ka = Math.sin((1 - t) * omega) / so;
  const kb = Math.sin(t * omega) / so;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = ka * a[i]! + kb * b[i]!;
  return out;
}

/** `steps` points from a to b inclusive, concatenated ([steps · dim]). */
export function interpolatePath(a: ArrayLike<number>, b: ArrayLike<number>, steps: number, mode: InterpolationMode = 'spherical'): Float32Array {
  if (a.length !== b.length) throw invalidOption('b', `a vector of length ${b.length}`, `the same length as a (${a.length})`);
  if (!Number.isInteger(steps) || steps < 2) throw invalidOption('steps', steps, 'an integer ≥ 2');
  if (mode !== 'linear' && mode !== 'spherical') throw invalidOption('mode', mode, '"linear" or "spherical"');
  const f = mode === 'linear' ? lerp : slerp;
  const out = new Float32Array(steps * a.length);
  for (let s = 0; s < steps; s++) out.set(f(a, b, s / (steps - 1)), s * a.length);
  return out;
}

/**
 * Gym-style spaces. Observations are always flat Float32Arrays in row-major order of `shape`;
 * actions are integers in [0, n). Only what DQN needs: Box observations, Discrete actions.
 */
import { DlkitError } from '@dlkit/core';

export interface BoxSpace {
  kind: 'box';
  shape: number[];
  /** Per-element bounds, flat, length = product(shape). May hold ±Infinity. */
  low: Float32Array;
  high: Float32Array;
}

export interface DiscreteSpace {
  kind: 'discrete';
  n: number;
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A Box; `low`/`high` may be scalars (broadcast) or arrays of length product(shape). */
export function Box(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape: number[]): BoxSpace {
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new DlkitError('INVALID_OPTION', `Invalid Box shape ${JSON.stringify(shape)}; expected a non-empty array of positive integers.`, {
      details: { option: 'shape', value: shape },
    });
  }
  const size = shapeSize(shape);
  const fill = (v: number | ArrayLike<number>, name: string): Float32Array => {
    if (typeof v === 'number') return new Float32Array(size).fill(v);
    if (v.length !== size) {
      throw new DlkitError('SHAPE_MISMATCH', `Box ${name} has ${v.length} values but shape ${JSON.stringify(shape)} needs ${size}.`, {
        details: { option: name },
      });
    }
    return Float32Array.from(v);
  };
  const lo = fill(low, 'low');
  const hi = fill(high, 'high');
  for (let i = 0; i < size; i++) {
    if (!(lo[i]! <= hi[i]!)) {
      throw new DlkitError('INVALID_OPTION', `Box low[${i}]=${lo[i]} is not ≤ high[${i}]=${hi[i]}.`, { details: { option: 'low', index: i } });
    }
  }
  return { kind: 'box', shape: [...shape], low: lo, high: hi };
}

export function Discrete(n: number): DiscreteSpace {
  if (!Number.isInteger(n) || n < 1) {
    throw new DlkitError('INVALID_OPTION', `Invalid Discrete size ${n}; expected an integer ≥ 1.`, { details: { option: 'n', value: n } });
  }
  return { kind: 'discrete', n };
}

export function boxContains(space: BoxSpace, obs: ArrayLike<number>): boolean {
  if (obs.length !== space.low.length) return false;
  for (let i = 0; i < obs.length; i++) if (!(obs[i]! >= space.low[i]! && obs[i]! <= space.high[i]!)) return false;
  return true;
}

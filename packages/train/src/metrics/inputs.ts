// Metric inputs: plain arrays or tensors, class indices or per-class scores.
import { DlkitError, tf } from '@dlkit/core';

export type Values = ArrayLike<number> | tf.Tensor;
/** Class indices (rank 1) or per-class scores/probabilities (rank 2: tensor or number[][]). */
export type ClassInput = ArrayLike<number> | ArrayLike<ArrayLike<number>> | tf.Tensor;

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

function is2d(v: ArrayLike<number> | ArrayLike<ArrayLike<number>>): v is ArrayLike<ArrayLike<number>> {
  return v.length > 0 && typeof v[0] === 'object' && v[0] !== null;
}

/** Class indices: argmax of score rows, `[n, 1]` flattened, indices as-is. */
export function toIndices(v: ClassInput, name: string): number[] {
  if (v instanceof tf.Tensor) {
    if (v.rank === 2 && v.shape[1]! > 1) {
      const a = tf.argMax(v, 1);
      const out = Array.from(a.dataSync());
      a.dispose();
      return out;
    }
    if (v.rank > 2) throw new DlkitError('SHAPE_MISMATCH', `${name}: expected class indices [n] or scores [n, classes]; got shape [${v.shape}].`);
    return Array.from(v.dataSync());
  }
  if (is2d(v)) return Array.from(v, (row) => (row.length === 1 ? row[0]! : argmax(row)));
  return Array.from(v as ArrayLike<number>);
}

export function toMatrix(v: ArrayLike<ArrayLike<number>> | tf.Tensor, name: string): number[][] {
  if (v instanceof tf.Tensor) {
    if (v.rank !== 2) throw new DlkitError('SHAPE_MISMATCH', `${name}: expected scores of shape [n, classes]; got [${v.shape}].`);
    return v.arraySync() as number[][];
  }
  return Array.from(v, (r) => Array.from(r));
}

export function toNumbers(v: Values): number[] {
  return v instanceof tf.Tensor ? Array.from(v.dataSync()) : Array.from(v);
}

export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new DlkitError('SHAPE_MISMATCH', `${what}: yTrue has ${a.length} entries but yPred has ${b.length}; they must match.`);
  }
  if (a.length === 0) throw new DlkitError('INVALID_INPUT', `${what}: no samples.`);
}

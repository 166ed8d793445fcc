/**
 * The observed rating matrix as dense [users × items] tensors. MovieLens-sized problems (≤ a few
 * million cells) train fastest as a handful of full-batch matmuls per step: the backend's
 * matmul is its fastest kernel, while per-rating gathers and their scatter gradients are slow on
 * wasm and cost one op per tiny slice.
 */
import { DlkitError, tf } from '@dlkit/core';
import type { Interactions } from '../interactions.js';

/** Beyond this many cells the dense formulation wastes memory; see the error's hint. */
export const MAX_DENSE_CELLS = 60_000_000;

export interface DenseRatings {
  /** Ratings minus `center` on observed cells, 0 elsewhere. */
  residual: tf.Tensor2D;
  /** 1 on observed cells. */
  mask: tf.Tensor2D;
  /** Interactions per user [users, 1] and per item [items, 1]. */
  userCounts: Float32Array;
  itemCounts: Float32Array;
  center: number;
  n: number;
}

export function checkDenseSize(numUsers: number, numItems: number): void {
  if (numUsers * numItems > MAX_DENSE_CELLS) {
    throw new DlkitError('UNSUPPORTED', `${numUsers} users × ${numItems} items is too large for the full-batch trainer (limit ${MAX_DENSE_CELLS} cells).`, {
      hint: 'Use --model-type two-tower (mini-batches) for catalogues of this size.',
      details: { users: numUsers, items: numItems },
    });
  }
}

export function denseRatings(train: Interactions, center: number): DenseRatings {
  const nU = train.numUsers;
  const nI = train.numItems;
  checkDenseSize(nU, nI);
  const r = new Float32Array(nU * nI);
  const m = new Float32Array(nU * nI);
  const userCounts = new Float32Array(nU);
  const itemCounts = new Float32Array(nI);
  for (let j = 0; j < train.size; j++) {
    const u = train.users[j]!;
    const i = train.items[j]!;
    r[u * nI + i] = train.ratings[j]! - center;
    m[u * nI + i] = 1;
    userCounts[u]!++;
    itemCounts[i]!++;
  }
  return { residual: tf.tensor2d(r, [nU, nI]), mask: tf.tensor2d(m, [nU, nI]), userCounts, itemCounts, center, n: train.size };
}

export function disposeDense(d: DenseRatings): void {
  d.residual.dispose();
  d.mask.dispose();
}

/** Rows of a row-major score matrix for the given users. */
export async function rowsOf(scores: tf.Tensor2D, users: Int32Array): Promise<Float32Array> {
  const idx = tf.tensor1d(users, 'int32');
  try {
    const rows = tf.gather(scores, idx);
    const out = (await rows.data()) as Float32Array;
    rows.dispose();
    return out;
  } finally {
    idx.dispose();
  }
}

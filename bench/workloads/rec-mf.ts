/**
 * Recommender training steps on a MovieLens-100k-shaped problem: 943 users × 1,682 items with
 * 80,000 observed ratings (one 5-fold training part), 64 factors. One step is one full-batch
 * Adam update of biased MF or SVD++ exactly as @dlkit/recommenders trains them, so
 * samples/s = ratings/s and 1 / steps-per-second = epoch time.
 */
import { tf } from '@dlkit/core';
import { type FactorConstants, factorGradients } from '@dlkit/recommenders';
import type { Workload } from './types.js';

const USERS = 943;
const ITEMS = 1682;
const RATINGS = 80_000;
const K = 64;

function problem(implicit: boolean) {
  // A fixed random mask with exactly RATINGS observed cells (speed does not depend on which).
  const cells = new Float32Array(USERS * ITEMS);
  let s = 12345;
  for (let n = 0; n < RATINGS; ) {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff; // imul: a float product would lose the low bits and cycle
    const c = s % cells.length;
    if (!cells[c]) {
      cells[c] = 1;
      n++;
    }
  }
  const m = tf.tensor2d(cells, [USERS, ITEMS]);
  const counts = (axis: number) => m.sum(axis).reshape([-1, 1]);
  const colw = (a: number, b: number) => tf.concat([tf.fill([1, K], 0.1), tf.tensor2d([[a, b]])], 1);
  const c: FactorConstants = {
    residual: tf.tidy(() => tf.randomNormal([USERS, ITEMS], 0, 1, 'float32', 1).mul(m) as tf.Tensor2D),
    mask: m,
    n: RATINGS,
    wU: tf.tidy(() => counts(1).mul(colw(0.01, 0)).mul(2 / RATINGS)),
    wV: tf.tidy(() => counts(0).mul(colw(0, 0.01)).mul(2 / RATINGS)),
    maskU: tf.tidy(() => tf.concat([tf.ones([1, K + 1]), tf.zeros([1, 1])], 1)),
    maskV: tf.tidy(() => tf.concat([tf.ones([1, K]), tf.zeros([1, 1]), tf.ones([1, 1])], 1)),
  };
  if (implicit) {
    c.implicitRows = tf.tidy(() => m.div(counts(1).maximum(1).sqrt()) as tf.Tensor2D);
    c.maskY = tf.tidy(() => tf.concat([tf.ones([1, K]), tf.zeros([1, 2])], 1));
    c.wY = tf.tidy(() => counts(0).mul(2 / RATINGS).mul(c.maskY!));
  }
  const variable = (t: tf.Tensor2D) => {
    const v = tf.variable(t);
    t.dispose();
    return v;
  };
  const U = variable(tf.randomNormal([USERS, K + 2], 0, 0.1, 'float32', 2));
  const V = variable(tf.randomNormal([ITEMS, K + 2], 0, 0.1, 'float32', 3));
  const Y = implicit ? variable(tf.zeros([ITEMS, K + 2])) : undefined;
  return { c, U, V, Y };
}

function workload(name: string, implicit: boolean): Workload {
  return {
    name,
    description: `${implicit ? 'SVD++' : 'biased MF'} full-batch Adam step, 943×1682, 80k ratings, 64 factors`,
    samplesPerStep: RATINGS,
    pytorch: { script: 'mf_fullbatch.py', args: [implicit ? 'svdpp' : 'mf'] },
    async setup() {
      const { c, U, V, Y } = problem(implicit);
      const opt = tf.train.adam(0.05);
      return {
        async step() {
          const loss = tf.tidy(() => {
            const { loss, grads } = factorGradients({ U, V, Y }, c);
            opt.applyGradients([{ name: U.name, tensor: grads.U }, { name: V.name, tensor: grads.V }, ...(Y && grads.Y ? [{ name: Y.name, tensor: grads.Y }] : [])]);
            return loss;
          });
          await loss.data();
          loss.dispose();
        },
        dispose() {
          opt.dispose();
          tf.dispose([U, V, ...(Y ? [Y] : []), ...Object.values(c).filter((v): v is tf.Tensor => v instanceof tf.Tensor)]);
        },
      };
    },
  };
}

export const REC_WORKLOADS: Workload[] = [workload('rec-mf-train', false), workload('rec-svdpp-train', true)];

import { tf } from '@dlkit/core';

/** A variable that takes over `t` (tf.variable keeps its own reference, so `t` is released). */
export function toVariable<R extends tf.Rank>(t: tf.Tensor<R>, name?: string): tf.Variable<R> {
  const v = tf.variable(t, true, name);
  t.dispose();
  return v;
}

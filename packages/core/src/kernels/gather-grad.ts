/**
 * GatherV2 gradient (embedding layers) for backends without UnsortedSegmentSum: tfjs-backend-wasm
 * has no such kernel, so stock tfjs cannot train any Embedding on wasm. Same maths as the stock
 * gradient, with the segment sum done by scatterND (which accumulates duplicate indices).
 */
import { tf } from '../tf.js';

function range(start: number, stop: number): number[] {
  return Array.from({ length: Math.max(0, stop - start) }, (_, i) => start + i);
}

function undo(perm: number[]): number[] {
  const out: number[] = [];
  perm.forEach((p, i) => {
    out[p] = i;
  });
  return out;
}

/** Sum of `values` rows into `n` segments along axis 0; picks the kernel the backend has. */
export function segmentSum(values: tf.Tensor, ids: tf.Tensor1D, n: number): tf.Tensor {
  if (tf.getKernel('UnsortedSegmentSum', tf.getBackend())) return tf.unsortedSegmentSum(values, ids, n);
  return tf.scatterND(tf.reshape(tf.cast(ids, 'int32'), [-1, 1]), values, [n, ...values.shape.slice(1)]);
}

/** d(gather(x, indices, axis))/dx, for one batch element (batchDims 0). */
export function gatherParamsGrad(x: tf.Tensor, indices: tf.Tensor, dy: tf.Tensor, axis: number): tf.Tensor {
  const shape = x.shape;
  const outer = shape.slice(0, axis);
  const inner = shape.slice(axis + 1);
  const values = tf.reshape(dy, [...outer, indices.size, ...inner]);
  const perm = [outer.length, ...range(0, outer.length), ...range(outer.length + 1, outer.length + 1 + inner.length)];
  const summed = segmentSum(tf.transpose(values, perm), tf.reshape(indices, [indices.size]) as tf.Tensor1D, shape[axis]!);
  return tf.transpose(summed, undo(perm));
}

export function installGatherGrad(): void {
  tf.registerGradient({
    kernelName: 'GatherV2',
    inputsToSave: ['x', 'indices'],
    gradFunc: (dy, saved, attrs) => {
      const [x, indices] = saved as [tf.Tensor, tf.Tensor];
      const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
      const ax = axis < 0 ? axis + x.rank : axis;
      const g = dy as tf.Tensor;
      if (batchDims === 1) {
        const parts = tf.split(x, x.shape[0]!, 0);
        return {
          x: () => tf.reshape(tf.stack(parts.map((p, i) => gatherParamsGrad(p, tf.slice(indices, i, 1), tf.slice(g, i, 1), ax))), x.shape),
          indices: () => indices,
        };
      }
      return { x: () => gatherParamsGrad(x, indices, g, ax), indices: () => indices };
    },
  });
}

/**
 * Unpack (tf.unstack) gradient that also works when the unstacked axis has length 1. tfjs hands the
 * gradient of an op with ONE output a bare tensor instead of an array, and the stock Unpack
 * gradient passes it straight to tf.stack, which throws. RNN layers unstack over time, so a batch of
 * one-token texts (SST-2 has thousands of one-word phrases) crashed LSTM/GRU training.
 */
import { tf } from '../tf.js';

export function installUnpackGrad(): void {
  tf.registerGradient({
    kernelName: 'Unpack',
    gradFunc: (dy, _saved, attrs) => {
      const { axis } = attrs as unknown as { axis: number };
      const dys = Array.isArray(dy) ? dy : [dy];
      return { value: () => tf.stack(dys, axis) };
    },
  });
}

// Small helpers over tensor containers (Tensor | Tensor[] | Record<string, Tensor>).
import { DlkitError, tf } from '@dlkit/core';
import type { TensorContainer } from './types.js';

export function isTensor(v: unknown): v is tf.Tensor {
  return v instanceof tf.Tensor;
}

export function containerTensors(c: TensorContainer): tf.Tensor[] {
  if (isTensor(c)) return [c];
  if (Array.isArray(c)) return c;
  return Object.values(c);
}

export function disposeContainer(c: TensorContainer | undefined): void {
  if (c) tf.dispose(containerTensors(c));
}

/** Number of samples (first dimension), checking every tensor agrees. */
export function containerLength(c: TensorContainer, name: string): number {
  const ts = containerTensors(c);
  if (ts.length === 0) throw new DlkitError('INVALID_INPUT', `${name} holds no tensors.`);
  const n = ts[0]!.shape[0];
  for (const t of ts) {
    if (t.rank === 0 || t.shape[0] !== n) {
      throw new DlkitError('SHAPE_MISMATCH', `${name}: every tensor needs the same first (sample) dimension; got shapes ${ts.map((x) => `[${x.shape}]`).join(', ')}.`);
    }
  }
  return n ?? 0;
}

/** Apply `fn` to each tensor of a container, keeping its shape (array / record / single). */
export function mapContainer(c: TensorContainer, fn: (t: tf.Tensor) => tf.Tensor): TensorContainer {
  if (isTensor(c)) return fn(c);
  if (Array.isArray(c)) return c.map(fn);
  const out: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(c)) out[k] = fn(v);
  return out;
}

/** Model inputs/targets as an ordered array, resolving records by the model's input/output names. */
export function orderedTensors(c: TensorContainer, names: string[], what: string): tf.Tensor[] {
  if (isTensor(c)) return [c];
  if (Array.isArray(c)) return c;
  return names.map((n) => {
    const t = c[n];
    if (!t) throw new DlkitError('INVALID_INPUT', `${what} has no tensor for "${n}"; keys are ${Object.keys(c).join(', ')}.`);
    return t;
  });
}

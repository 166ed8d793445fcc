/**
 * Zero-copy access to tensor data for kernels written in JS that run on both tfjs's cpu backend
 * (data in JS typed arrays) and tfjs-backend-wasm (data on the wasm heap).
 */
import { tf } from '../tf.js';

export type Info = tf.TensorInfo;
export type JsBackend = {
  typedArrayFromHeap?(t: Info): Float32Array | Int32Array;
  makeOutput?(shape: number[], dtype: tf.DataType): Info;
  readSync(dataId: object): ArrayLike<number>;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): Info;
};

/** The backends whose tensor data JS can read and write in place. */
export const JS_BACKENDS = ['cpu', 'wasm'];

/** Zero-copy view of a cpu or wasm tensor's data. */
export function view<T extends Float32Array | Int32Array>(backend: JsBackend, t: Info): T {
  return (backend.typedArrayFromHeap ? backend.typedArrayFromHeap(t) : backend.readSync(t.dataId)) as T;
}

/** Runs `fill` on a fresh zeroed float32 output of `shape` on either backend. */
export function output(backend: JsBackend, shape: number[], fill: (out: Float32Array) => void): Info {
  // wasm (the cpu backend's makeOutput is a different method).
  if (backend.typedArrayFromHeap && backend.makeOutput) {
    const out = backend.makeOutput(shape, 'float32');
    // Views only after makeOutput: it may grow the wasm heap and detach older views.
    const o = view<Float32Array>(backend, out);
    o.fill(0);
    fill(o);
    return out;
  }
  const o = new Float32Array(tf.util.sizeFromShape(shape));
  fill(o);
  return backend.makeTensorInfo(shape, 'float32', o);
}

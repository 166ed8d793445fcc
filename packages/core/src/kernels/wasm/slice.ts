/**
 * Slice and Unpack (unstack) on tfjs-backend-wasm as contiguous-run copies on the wasm heap.
 * tfjs's RNN layers unstack the whole [T,B,D] sequence every step: the stock Unpack (one stock
 * Slice per time step) cost ~450 ms of CPU for [200,64,64], ~2 ms per 16 KB slice.
 */
import { tf } from '../../tf.js';
import type { KernelArgs, TensorInfo, WasmKernelFunc } from './backend-wasm.js';

type Arr = Float32Array | Int32Array | Uint8Array;
const COPYABLE = ['float32', 'int32', 'bool'];
// Below this many elements a plain loop beats a subarray + set per run (as in gather.ts).
const SHORT_RUN = 96;

/** Copies x[begin : begin+size] (row-major, any rank) into dst; one contiguous run per outer index. */
export function sliceInto(src: Arr, shape: number[], begin: number[], size: number[], dst: Arr): void {
  const r = shape.length;
  const strides = new Array<number>(r);
  for (let d = r - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  // Trailing axes taken whole join the run, then one partial axis.
  let d = r - 1;
  let run = 1;
  while (d >= 0 && begin[d] === 0 && size[d] === shape[d]) run *= shape[d--]!;
  if (d < 0) {
    dst.set(src.subarray(0, run));
    return;
  }
  run *= size[d]!;
  let start = 0;
  for (let i = 0; i <= d; i++) start += begin[i]! * strides[i]!;
  const outer = size.slice(0, d);
  const idx = new Array<number>(d).fill(0);
  const total = dst.length;
  let s = start;
  for (let o = 0; o < total; o += run) {
    if (run < SHORT_RUN) for (let k = 0; k < run; k++) dst[o + k] = src[s + k]!;
    else dst.set(src.subarray(s, s + run), o);
    for (let a = d - 1; a >= 0; a--) {
      s += strides[a]!;
      if (++idx[a]! < outer[a]!) break;
      idx[a] = 0;
      s -= strides[a]! * outer[a]!;
    }
  }
}

export function sliceRuns(stock: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x!;
    if (!COPYABLE.includes(x.dtype)) return stock(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, attrs.begin as number[], attrs.size as number[]);
    const out = backend.makeOutput(size, x.dtype);
    if (tf.util.sizeFromShape(size) === 0) return out;
    sliceInto(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
    return out;
  };
}

export function unpackRuns(stock: WasmKernelFunc): (args: KernelArgs) => TensorInfo[] {
  return (args: KernelArgs): TensorInfo[] => {
    const { inputs, backend, attrs } = args;
    const x = inputs.value!;
    if (!COPYABLE.includes(x.dtype)) return stock(args) as unknown as TensorInfo[];
    const rank = x.shape.length;
    const axis = (attrs.axis as number) < 0 ? (attrs.axis as number) + rank : (attrs.axis as number);
    const outShape = x.shape.filter((_, i) => i !== axis);
    const outs = Array.from({ length: x.shape[axis]! }, () => backend.makeOutput(outShape, x.dtype));
    if (tf.util.sizeFromShape(outShape) === 0) return outs;
    // Views only after the last makeOutput (it may grow the heap and detach older views).
    const src = backend.typedArrayFromHeap(x);
    const begin = new Array<number>(rank).fill(0);
    const size = x.shape.slice();
    size[axis] = 1;
    outs.forEach((out, i) => {
      begin[axis] = i;
      sliceInto(src, x.shape, begin, size, backend.typedArrayFromHeap(out));
    });
    return outs;
  };
}

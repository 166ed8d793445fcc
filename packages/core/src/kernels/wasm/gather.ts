/**
 * GatherV2 (embedding lookups) on tfjs-backend-wasm as row copies on the wasm heap. The stock
 * kernel reads the indices back to JS, then gathers element by element in C++ through a generic
 * index computation: [20000,64] by [64,200] cost ~70 ms of CPU for 12,800 rows. A gathered row is
 * contiguous (`sliceSize` elements), so one typed-array copy per row does it.
 */
import { tf } from '../../tf.js';
import type { KernelArgs, TensorInfo, WasmKernelFunc } from './backend-wasm.js';

type Arr = Float32Array | Int32Array | Uint8Array;

// Below this many elements a plain loop beats a subarray + set per row (measured: 2x at 32, 1.2x at 64).
const SHORT_ROW = 96;

export function gatherRows(stock: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x!;
    const indices = inputs.indices!;
    if (indices.dtype !== 'int32' || !['float32', 'int32', 'bool'].includes(x.dtype)) return stock(args);
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0]!;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as unknown as tf.TensorInfo,
      indices as unknown as tf.TensorInfo,
      axis,
      (attrs.batchDims as number | undefined) ?? 0,
    );
    const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;
    const idx = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < idx.length; i++) {
      const v = idx[i]!;
      // Same check and message as the stock kernel.
      if (!(v <= dimSize - 1 && v >= 0)) throw new Error(`GatherV2: the index value ${v} is not in [0, ${dimSize - 1}]`);
    }
    // From the shape, not idx.length: makeOutput below may grow the heap, which detaches `idx`
    // (length 0) — the copy loop then copied nothing and returned uninitialised memory.
    const perBatch = tf.util.sizeFromShape(indices.shape) / batchSize;
    const out = backend.makeOutput(outputShape, x.dtype);
    if (tf.util.sizeFromShape(outputShape) === 0) return out;
    // Views only after makeOutput (it may grow the heap and detach older views).
    const src = backend.typedArrayFromHeap(x) as Arr;
    const dst = backend.typedArrayFromHeap(out) as Arr;
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    let o = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let q = 0; q < outerSize; q++) {
        const base = (b * outerSize + q) * dimSize;
        for (let i = 0; i < perBatch; i++, o += sliceSize) {
          const s = (base + ids[b * perBatch + i]!) * sliceSize;
          if (sliceSize < SHORT_ROW) for (let k = 0; k < sliceSize; k++) dst[o + k] = src[s + k]!;
          else dst.set(src.subarray(s, s + sliceSize), o);
        }
      }
    }
    return out;
  };
}

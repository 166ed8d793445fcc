/**
 * Sum and Mean over leading axes (bias gradients: dy [N,H,W,C] summed to [C]; batch-norm moments:
 * x [N,H,W,C] averaged to [C]) on tfjs-backend-wasm. The
 * stock kernel first transposes the reduced axes to the end, which costs ~10x the sum itself; a
 * row-by-row JS loop over the wasm heap reads the data once, in order. (A ones-vector matmul is
 * fast only for a tensor XNNPACK has already packed, so not for a fresh gradient.)
 * Accumulates in float64: more accurate than the stock float32 sum.
 */
import { f32, type KernelArgs, type TensorInfo, type WasmKernelFunc } from './backend-wasm.js';

function leadingAxesCount(axis: unknown, rank: number): number {
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => ((a as number) < 0 ? (a as number) + rank : (a as number)));
  const sorted = [...new Set(list)].sort((p, q) => p - q);
  return sorted.every((a, i) => a === i) ? sorted.length : -1;
}

export function sumLeadingAxes(stock: WasmKernelFunc): WasmKernelFunc {
  return reduceLeadingAxes(stock, false);
}

export function meanLeadingAxes(stock: WasmKernelFunc): WasmKernelFunc {
  return reduceLeadingAxes(stock, true);
}

function reduceLeadingAxes(stock: WasmKernelFunc, mean: boolean): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x!;
    const rank = x.shape.length;
    const k = leadingAxesCount(attrs.axis, rank);
    // A proper prefix of the axes of a float32 tensor; everything else is the stock kernel's.
    if (x.dtype !== 'float32' || k <= 0 || k >= rank) return stock(args);
    const outer = x.shape.slice(0, k).reduce((p, q) => p * q, 1);
    const innerShape = x.shape.slice(k);
    const inner = innerShape.reduce((p, q) => p * q, 1);
    const shape = attrs.keepDims === true ? [...x.shape.slice(0, k).map(() => 1), ...innerShape] : innerShape;
    const out = backend.makeOutput(shape, 'float32');
    const src = f32(backend, x);
    const acc = new Float64Array(inner);
    for (let i = 0, o = 0; i < outer; i++) {
      for (let j = 0; j < inner; j++, o++) acc[j]! += src[o]!;
    }
    if (mean) for (let j = 0; j < inner; j++) acc[j]! /= outer;
    f32(backend, out).set(acc);
    return out;
  };
}

/**
 * Comparison and logical ops (Equal, Less, LogicalAnd, ...) on tfjs-backend-wasm with broadcasting.
 * The stock kernels send every broadcast through a generic C++ path that rebuilds index vectors for
 * each element: Equal [64,200,100] vs [64,1,100] (the gradient of global max pooling: x == max)
 * took ~270 ms of CPU, ~100x an arithmetic op of that size (arithmetic broadcasts go to XNNPACK and
 * stay stock). Here the shapes are collapsed to the fewest runs and one typed loop walks each run.
 * Same-shape inputs keep the stock kernel (already a plain loop).
 */
import { tf } from '../../tf.js';
import type { KernelArgs, TensorInfo, WasmKernelFunc } from './backend-wasm.js';

type Arr = Float32Array | Int32Array | Uint8Array;
/** out[o+i] = a[ai + i*sa] OP b[bi + i*sb] for i < n; sa, sb are 0 (broadcast) or 1. */
type Run = (a: Arr, ai: number, sa: number, b: Arr, bi: number, sb: number, out: Uint8Array, o: number, n: number) => void;

// One function per op so each loop stays monomorphic in its comparison.
const RUNS: Record<string, Run> = {
  Equal: (a, ai, sa, b, bi, sb, out, o, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ai + i * sa]! === b[bi + i * sb]! ? 1 : 0;
  },
  NotEqual: (a, ai, sa, b, bi, sb, out, o, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ai + i * sa]! !== b[bi + i * sb]! ? 1 : 0;
  },
  Greater: (a, ai, sa, b, bi, sb, out, o, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ai + i * sa]! > b[bi + i * sb]! ? 1 : 0;
  },
  GreaterEqual: (a, ai, sa, b, bi, sb, out, o, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ai + i * sa]! >= b[bi + i * sb]! ? 1 : 0;
  },
  Less: (a, ai, sa, b, bi, sb, out, o, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ai + i * sa]! < b[bi + i * sb]! ? 1 : 0;
  },
  LessEqual: (a, ai, sa, b, bi, sb, out, o, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ai + i * sa]! <= b[bi + i * sb]! ? 1 : 0;
  },
  LogicalAnd: (a, ai, sa, b, bi, sb, out, o, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ai + i * sa]! !== 0 && b[bi + i * sb]! !== 0 ? 1 : 0;
  },
  LogicalOr: (a, ai, sa, b, bi, sb, out, o, n) => {
    for (let i = 0; i < n; i++) out[o + i] = a[ai + i * sa]! !== 0 || b[bi + i * sb]! !== 0 ? 1 : 0;
  },
};

export const COMPARE_KERNELS = Object.keys(RUNS);

/** Element strides of `shape` right-aligned to `out`, 0 along broadcast axes. */
function broadcastStrides(shape: number[], out: number[]): number[] {
  const r = out.length;
  const aligned = [...Array<number>(r - shape.length).fill(1), ...shape];
  const strides = Array<number>(r).fill(0);
  let s = 1;
  for (let d = r - 1; d >= 0; d--) {
    strides[d] = aligned[d] === 1 ? 0 : s;
    s *= aligned[d]!;
  }
  return strides;
}

export interface BroadcastPlan {
  dims: number[];
  sa: number[];
  sb: number[];
}

/** Drops size-1 output axes and merges neighbours that both inputs walk the same way. */
export function planBroadcast(aShape: number[], bShape: number[], out: number[]): BroadcastPlan {
  const fa = broadcastStrides(aShape, out);
  const fb = broadcastStrides(bShape, out);
  const dims: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let d = 0; d < out.length; d++) {
    if (out[d] === 1) continue;
    const k = dims.length - 1;
    // Axis d continues axis k when stepping k once equals stepping d over its whole length.
    if (k >= 0 && sa[k] === fa[d]! * out[d]! && sb[k] === fb[d]! * out[d]!) {
      dims[k]! *= out[d]!;
      sa[k] = fa[d]!;
      sb[k] = fb[d]!;
    } else {
      dims.push(out[d]!);
      sa.push(fa[d]!);
      sb.push(fb[d]!);
    }
  }
  if (dims.length === 0) return { dims: [1], sa: [0], sb: [0] };
  return { dims, sa, sb };
}

function runPlan(run: Run, plan: BroadcastPlan, a: Arr, b: Arr, out: Uint8Array): void {
  const { dims, sa, sb } = plan;
  const r = dims.length;
  const n = dims[r - 1]!;
  const ia = sa[r - 1]!;
  const ib = sb[r - 1]!;
  const idx = new Array<number>(r - 1).fill(0);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < out.length; o += n) {
    run(a, ai, ia, b, bi, ib, out, o, n);
    // Odometer over the outer axes, keeping the input offsets in step.
    for (let d = r - 2; d >= 0; d--) {
      ai += sa[d]!;
      bi += sb[d]!;
      if (++idx[d]! < dims[d]!) break;
      idx[d] = 0;
      ai -= sa[d]! * dims[d]!;
      bi -= sb[d]! * dims[d]!;
    }
  }
}

export function compareBroadcast(name: string, stock: WasmKernelFunc): WasmKernelFunc {
  const run = RUNS[name]!;
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend } = args;
    const a = inputs.a!;
    const b = inputs.b!;
    const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
    if (same || a.dtype !== b.dtype || a.dtype === 'string' || a.dtype === 'complex64') return stock(args);
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.makeOutput(shape, 'bool');
    if (shape.some((d) => d === 0)) return out;
    const plan = planBroadcast(a.shape, b.shape, shape);
    // Views only after makeOutput (it may grow the heap).
    runPlan(run, plan, backend.typedArrayFromHeap(a), backend.typedArrayFromHeap(b), backend.typedArrayFromHeap(out) as Uint8Array);
    return out;
  };
}

/**
 * Sum and Mean over leading axes (bias gradients: dy [N,H,W,C] summed to [C]; batch-norm moments:
 * x [N,H,W,C] averaged to [C]) on tfjs-backend-wasm. The
 * stock kernel first transposes the reduced axes to the end, which costs ~10x the sum itself; a
 * row-by-row JS loop over the wasm heap reads the data once, in order. (A ones-vector matmul is
 * fast only for a tensor XNNPACK has already packed, so not for a fresh gradient.)
 * Accumulates in float64: more accurate than the stock float32 sum. Where wasm SIMD is available the
 * pass is a WebAssembly loop (f64x2 accumulators): [64,26,26,32] → [32] in ~1/4 of the JS loop's time.
 */
import { type Code, type FuncSpec, heapMemory, instantiate } from '../wasm-asm.js';
import { f32, type KernelArgs, type TensorInfo, type WasmKernelFunc } from './backend-wasm.js';

/** `while (j + step <= innerBytes) { body; j += step }` over the byte offset j within a row. */
function columns(c: Code, step: number, body: (c: Code) => void): void {
  c.block((c) =>
    c.loop((c) => {
      c.get('j').i32(step).op('i32.add').get('innerBytes').op('i32.gt_s').brIf(1);
      body(c);
      c.get('j').i32(step).op('i32.add').set('j');
      c.br(0);
    }),
  );
}

/**
 * acc[j] += Σ_r src[r, j] in float64 (acc zeroed by the caller, 8-byte aligned): two floats per
 * f64x2 lane pair, the same accuracy as the JS loop at a fraction of its cost.
 */
const sumRows: FuncSpec = {
  name: 'sum_rows',
  params: { src: 'i32', rows: 'i32', innerBytes: 'i32', acc: 'i32' },
  locals: { r: 'i32', j: 'i32', p: 'i32', q: 'i32' },
  body: (c) => {
    c.get('src').set('p');
    c.block((c) =>
      c.loop((c) => {
        c.get('r').get('rows').op('i32.ge_s').brIf(1);
        c.i32(0).set('j');
        // acc address for float offset j (bytes) is acc + 2·j
        const accAt = (c: Code, extra: number) => c.get('acc').get('j').i32(1).op('i32.shl').op('i32.add').i32(extra).op('i32.add').tee('q');
        columns(c, 16, (c) => {
          for (const half of [0, 8]) {
            accAt(c, 2 * half);
            c.get('q').mem('v128.load').get('p').get('j').op('i32.add').mem('v128.load64_zero', half).op('f64x2.promote_low_f32x4', 'f64x2.add').mem('v128.store');
          }
        });
        columns(c, 4, (c) => {
          accAt(c, 0);
          c.get('q').mem('f64.load').get('p').get('j').op('i32.add').mem('f32.load').op('f64.promote_f32', 'f64.add').mem('f64.store');
        });
        c.get('p').get('innerBytes').op('i32.add').set('p');
        c.get('r').i32(1).op('i32.add').set('r');
        c.br(0);
      }),
    );
  },
};

let simd = true;

/** Whether Sum/Mean over leading axes use the SIMD loop (default yes); false keeps the JS loop, for A/B runs and tests. */
export function sumLeadingAxesSimd(on?: boolean): boolean {
  if (on !== undefined) simd = on;
  return simd;
}

/** Column sums of src [outer, inner] in float64 via the SIMD loop, or null where it is unavailable. */
function simdColumnSums(args: KernelArgs, x: TensorInfo, outer: number, inner: number): Float64Array | null {
  const memory = simd ? heapMemory(args.backend) : null;
  const m = memory ? instantiate<{ sum_rows(src: number, rows: number, innerBytes: number, acc: number): void }>('sum-rows', [sumRows], memory) : null;
  if (!m) return null;
  const tmp = args.backend.makeOutput([2 * inner], 'float32'); // inner float64 accumulators
  try {
    const accView = f32(args.backend, tmp);
    if (accView.byteOffset % 8 !== 0) return null;
    accView.fill(0);
    m.sum_rows(f32(args.backend, x).byteOffset, outer, inner * 4, accView.byteOffset);
    return new Float64Array(f32(args.backend, tmp).buffer, accView.byteOffset, inner).slice();
  } finally {
    args.backend.disposeData(tmp.dataId);
  }
}

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
    let acc = simdColumnSums(args, x, outer, inner);
    if (!acc) {
      const src = f32(backend, x);
      acc = new Float64Array(inner);
      for (let i = 0, o = 0; i < outer; i++) {
        for (let j = 0; j < inner; j++, o++) acc[j]! += src[o]!;
      }
    }
    const out = backend.makeOutput(shape, 'float32');
    if (mean) for (let j = 0; j < inner; j++) acc[j]! /= outer;
    f32(backend, out).set(acc);
    return out;
  };
}

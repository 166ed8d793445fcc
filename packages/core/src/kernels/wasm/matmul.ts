/**
 * tfjs-backend-wasm runs BatchMatMul/_FusedMatMul through XNNPACK only when neither operand is
 * transposed and there is one batch; anything else takes a scalar triple loop that is 5-6x slower
 * than transposing first (measured: the CNN's dense-layer gradients, [64,1600]^T x [64,128]).
 * Every dense-layer gradient is a transposed matmul, so we transpose explicitly and call the stock
 * kernel on its fast path.
 */
import type { KernelArgs, TensorInfo, WasmKernelFunc } from './backend-wasm.js';

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function withExplicitTransposes(stock: WasmKernelFunc, transpose: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const tA = attrs.transposeA === true;
    const tB = attrs.transposeB === true;
    const a = inputs.a!;
    const b = inputs.b!;
    const oneBatch = a.shape.slice(0, -2).every((d) => d === 1) && b.shape.slice(0, -2).every((d) => d === 1);
    // Batched products take the slow loop either way; transposing would only add a copy.
    if ((!tA && !tB) || !oneBatch || a.dtype !== 'float32') return stock(args);
    const temps: TensorInfo[] = [];
    const flip = (t: TensorInfo): TensorInfo => {
      const r = transpose({ inputs: { x: t }, backend, attrs: { perm: swapLastTwo(t.shape.length) } });
      temps.push(r);
      return r;
    };
    try {
      return stock({
        inputs: { ...inputs, a: tA ? flip(a) : a, b: tB ? flip(b) : b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

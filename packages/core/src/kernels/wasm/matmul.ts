/**
 * tfjs-backend-wasm runs BatchMatMul/_FusedMatMul through XNNPACK only when neither operand is
 * transposed and there is one batch; anything else takes a scalar triple loop that is 5-6x slower
 * than transposing first (measured: the CNN's dense-layer gradients, [64,1600]^T x [64,128]).
 * Every dense-layer gradient is a transposed matmul, so we transpose explicitly and call the stock
 * kernel on its fast path. Batched products (attention: [64·4 heads] × [200,16]·[16,200]) also
 * took the scalar loop — ~2 s of CPU per Transformer step — so they run as one XNNPACK product per
 * batch item, copied in and out of single-batch temporaries. XNNPACK packs its right operand on
 * every call with a new one (the weights of a training step are new every step), so a·bᵀ with
 * fewer rows in a than in b is computed as (b·aᵀ)ᵀ, which packs the smaller aᵀ.
 */
import type { KernelArgs, TensorInfo, WasmKernelFunc } from './backend-wasm.js';

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** Transposes the last two axes; each result is pushed to `temps` for the caller to free. */
function flipper(transpose: WasmKernelFunc, backend: KernelArgs['backend'], temps: TensorInfo[]): (t: TensorInfo) => TensorInfo {
  return (t) => {
    const r = transpose({ inputs: { x: t }, backend, attrs: { perm: swapLastTwo(t.shape.length) } });
    temps.push(r);
    return r;
  };
}

export function withExplicitTransposes(stock: WasmKernelFunc, transpose: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const tA = attrs.transposeA === true;
    const tB = attrs.transposeB === true;
    const a = inputs.a!;
    const b = inputs.b!;
    const oneBatch = a.shape.slice(0, -2).every((d) => d === 1) && b.shape.slice(0, -2).every((d) => d === 1);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    if (!oneBatch) return perBatch(args, stock, transpose);
    if (!tA && !tB) return stock(args);
    const temps: TensorInfo[] = [];
    const flip = flipper(transpose, backend, temps);
    const plain = !inputs.bias && !inputs.preluActivationWeights && (attrs.activation === undefined || attrs.activation === 'linear');
    const [m, n] = [a.shape[a.shape.length - 2]!, b.shape[b.shape.length - 2]!];
    if (tB && !tA && plain && m < n) {
      // a·bᵀ with a short a (a dense layer's input gradient dy [64,128] · Wᵀ): XNNPACK packs its
      // right operand on every call, ~15-30 ns a float for a fresh one, so pack aᵀ [k, m] rather
      // than bᵀ [k, n]: (b·aᵀ)ᵀ. [64,128]·[1600,128]ᵀ: 5.5 → 3.5 ms CPU.
      try {
        const ct = stock({ inputs: { a: b, b: flip(a) }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
        temps.push(ct);
        const c = transpose({ inputs: { x: ct }, backend, attrs: { perm: swapLastTwo(ct.shape.length) } });
        // Batch dimensions are all 1 here: the output has the larger operand rank, as tfjs's.
        const rank = Math.max(a.shape.length, b.shape.length);
        return { ...c, shape: [...Array<number>(rank - 2).fill(1), m, n] };
      } finally {
        for (const t of temps) backend.disposeData(t.dataId);
      }
    }
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

// Multiply-adds per batch item below which the scalar batched loop is kept (a guess, not tuned).
const MIN_ITEM_WORK = 16 ** 3;

/**
 * BatchMatMul with equal batch shapes (no bias or activation) as one single-batch stock product per
 * batch item: the stock kernel's batched path is a scalar loop, its single-batch path XNNPACK.
 */
function perBatch(args: KernelArgs, stock: WasmKernelFunc, transpose: WasmKernelFunc): TensorInfo {
  const { inputs, backend, attrs } = args;
  const a0 = inputs.a!;
  const b0 = inputs.b!;
  const ra = a0.shape.length;
  const sameBatch = ra === b0.shape.length && a0.shape.slice(0, -2).every((d, i) => d === b0.shape[i]);
  if (!sameBatch || inputs.bias || (attrs.activation !== undefined && attrs.activation !== 'linear')) return stock(args);
  // Tiny items cost less in the scalar loop than an XNNPACK operator (created per item) does.
  const [m0, k0] = attrs.transposeA === true ? [a0.shape[ra - 1]!, a0.shape[ra - 2]!] : [a0.shape[ra - 2]!, a0.shape[ra - 1]!];
  const n0 = attrs.transposeB === true ? b0.shape[ra - 2]! : b0.shape[ra - 1]!;
  if (m0 * k0 * n0 < MIN_ITEM_WORK) return stock(args);
  const temps: TensorInfo[] = [];
  const flip = flipper(transpose, backend, temps);
  try {
    const a = attrs.transposeA === true ? flip(a0) : a0;
    const b = attrs.transposeB === true ? flip(b0) : b0;
    const [m, k] = a.shape.slice(-2) as [number, number];
    const n = b.shape[ra - 1]!;
    const batch = a.shape.slice(0, -2).reduce((p, q) => p * q, 1);
    const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], 'float32');
    const ai = backend.makeOutput([1, m, k], 'float32');
    temps.push(ai);
    for (let i = 0; i < batch; i++) {
      // A new b each item: tfjs-wasm caches XNNPACK's packed weights by b's data id, so refilling one
      // temporary would reuse stale weights. Fresh views each time: allocations may grow the heap.
      const bi = backend.makeOutput([1, k, n], 'float32');
      (backend.typedArrayFromHeap(ai) as Float32Array).set((backend.typedArrayFromHeap(a) as Float32Array).subarray(i * m * k, (i + 1) * m * k));
      (backend.typedArrayFromHeap(bi) as Float32Array).set((backend.typedArrayFromHeap(b) as Float32Array).subarray(i * k * n, (i + 1) * k * n));
      const r = stock({ inputs: { a: ai, b: bi }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      (backend.typedArrayFromHeap(out) as Float32Array).set(backend.typedArrayFromHeap(r) as Float32Array, i * m * n);
      backend.disposeData(r.dataId);
      backend.disposeData(bi.dataId);
    }
    return out;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/**
 * C = op(A)·op(B) on Float32Arrays for the typed-array Q-network. Big products go to the tfjs
 * backend's matmul (XNNPACK SIMD on wasm, ~10× a JS loop); small ones stay in JS, where a tfjs
 * call's fixed cost (tensor upload, kernel dispatch, read-back) would dominate.
 * On wasm a read-back is a memcpy, not a device sync, so mixing the two is cheap.
 */
import { tf } from '@dlkit/core';

/**
 * When tfjs is faster than the JS loop (CPU time on wasm, scratch measurements in the README's
 * speed notes): from a few thousand multiply-adds, except for a handful of rows, where uploading
 * the weight matrix costs more than the product (acting on one observation).
 */
export const TF_GEMM_MIN_MACS = 4096;
export const TF_GEMM_MIN_ROWS = 2;

// Native-code backends whose dataSync is a host copy. The others stay in JS: cpu's matmul is a
// JS loop behind tensor bookkeeping, and webgpu/webgl reads are real device syncs.
const SYNC_BACKENDS = new Set(['wasm', 'tensorflow']);

/** Row-major C[m, n] = op(A)·op(B); A is [m, k] ([k, m] when transA), B is [k, n] ([n, k] when transB). */
export function gemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA = false, transB = false): Float32Array {
  if (m >= TF_GEMM_MIN_ROWS && m * k * n >= TF_GEMM_MIN_MACS && SYNC_BACKENDS.has(tf.getBackend())) return gemmTf(a, b, m, k, n, transA, transB);
  return gemmJs(a, b, m, k, n, transA, transB);
}

export function gemmTf(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA = false, transB = false): Float32Array {
  // Transposed in JS: a copy here is cheaper than wasm's transpose kernel + its upload (measured).
  const at = transA ? transpose(a, k, m) : a;
  const bt = transB ? transpose(b, n, k) : b;
  const c = tf.tidy(() => tf.matMul(tf.tensor2d(at, [m, k]), tf.tensor2d(bt, [k, n])));
  const out = c.dataSync() as Float32Array;
  c.dispose();
  return out;
}

export function gemmJs(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA = false, transB = false): Float32Array {
  const c = new Float32Array(m * n);
  if (transB) {
    // Dot products of contiguous rows: C[i, j] = A[i, :]·B[j, :] (A transposed is rare here).
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[p * m + i]! * b[j * k + p]!;
        else for (let p = 0, ai = i * k, bj = j * k; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        c[i * n + j] = s;
      }
    }
    return c;
  }
  // Outer-product order (i, p, j): the inner loop runs along contiguous rows of B and C.
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = transA ? a[p * m + i]! : a[i * k + p]!;
      if (av === 0) continue; // ReLU zeros: common in hidden activations
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += av * b[bp + j]!;
    }
  }
  return c;
}

/** [rows, cols] → [cols, rows]. */
export function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0, o = i * cols; j < cols; j++) t[j * rows + i] = x[o + j]!;
  return t;
}

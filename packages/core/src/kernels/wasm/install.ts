/**
 * Faster (and, for MaxPoolGrad, correct) kernels for tfjs-backend-wasm, registered over the stock
 * ones. The stock kernel functions stay reachable through `stockWasmKernel` for tests and benches.
 */
import { tf } from '../../tf.js';
import { resizeNearestGrad } from '../resize-nearest.js';
import type { WasmKernelFunc } from './backend-wasm.js';
import { COMPARE_KERNELS, compareBroadcast } from './compare.js';
import { conv2dCo1, fusedConv2dCo1 } from './conv-co1.js';
import { backpropFilterFewOut } from './conv-few-out.js';
import { conv2dBackpropFilterIm2col, conv2dBackpropInputCol2im } from './conv-grad.js';
import { gatherRows } from './gather.js';
import { castShared, identityShared } from './identity.js';
import { withExplicitTransposes } from './matmul.js';
import { maxPoolGradWasm } from './max-pool-grad.js';
import { maxPoolGradSimdKernel } from './max-pool-grad-simd.js';
import { resizeNearestGradSimd, resizeNearestSimd } from './resize-nearest-simd.js';
import { compareSimd, leakyReluSimd, SIMD_COMPARE_KERNELS, selectSimd, stepSimd } from './simd-elementwise.js';
import { sliceRuns, unpackRuns } from './slice.js';
import { meanLeadingAxes, sumLeadingAxes } from './sum.js';
import { tileRuns } from './tile.js';

export const WASM_KERNELS = [
  'MaxPoolGrad (JS on the wasm heap: 3x faster, fixes stock gradients of negative windows; non-overlapping windows as a WebAssembly SIMD loop)',
  'BatchMatMul/_FusedMatMul with transposes (explicit transpose, then XNNPACK); batched products as one XNNPACK product per batch item',
  'Sum and Mean over leading axes (one in-order pass instead of transpose + reduce)',
  'Tile (row copies doubled with copyWithin instead of per-element index maths: batch-norm gradients)',
  'Broadcasting comparison/logical ops (typed loops over collapsed runs instead of per-element index maths)',
  'GatherV2 (one row copy per index instead of per-element gathering)',
  'Slice and Unpack (contiguous-run copies; RNNs unstack their whole input sequence)',
  'Conv2DBackpropFilter/Input for strided or few-channel layers as im2col/col2im + one XNNPACK matmul',
  'ResizeNearestNeighborGrad (channel-run adds instead of per-element index maths); whole-factor upsampling and its gradient as WebAssembly SIMD loops',
  'Float comparisons (same shape or against a scalar), Select, LeakyRelu and Step as WebAssembly SIMD loops',
  'Identity, and Cast to the same dtype, as a second reference to the same data (as on cpu) instead of a copy',
  'Conv2D/FusedConv2D with one output channel as a WebAssembly SIMD loop (the worst case of XNNPACK)',
  'Conv2DBackpropFilter with at most 4 output channels as dy moved to the taps that read each input pixel + one XNNPACK matmul',
];

const stock = new Map<string, WasmKernelFunc>();

/** The kernel tfjs-backend-wasm registered for `name`, before ours replaced it. */
export function stockWasmKernel(name: string): WasmKernelFunc | undefined {
  return stock.get(name);
}

function replace(name: string, make: (original: WasmKernelFunc) => WasmKernelFunc): boolean {
  const config = tf.getKernel(name, 'wasm');
  if (!config) return false;
  const original = config.kernelFunc as unknown as WasmKernelFunc;
  stock.set(name, original);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...config, kernelFunc: make(original) as unknown as tf.KernelFunc });
  return true;
}

let installed = false;

/** Returns the descriptions of what it installed (empty when tfjs-backend-wasm is not loaded). */
export function installWasmKernels(): string[] {
  if (installed) return stock.size > 0 ? WASM_KERNELS : [];
  installed = true;
  const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc as unknown as WasmKernelFunc | undefined;
  if (!transpose) return [];
  replace('MaxPoolGrad', () => maxPoolGradSimdKernel(maxPoolGradWasm));
  replace('BatchMatMul', (orig) => withExplicitTransposes(orig, transpose));
  replace('_FusedMatMul', (orig) => withExplicitTransposes(orig, transpose));
  replace('Sum', (orig) => sumLeadingAxes(orig));
  replace('Mean', (orig) => meanLeadingAxes(orig));
  replace('Tile', (orig) => tileRuns(orig));
  for (const name of COMPARE_KERNELS) {
    replace(name, (orig) => (SIMD_COMPARE_KERNELS.includes(name) ? compareSimd(name, compareBroadcast(name, orig)) : compareBroadcast(name, orig)));
  }
  replace('Select', (orig) => selectSimd(orig));
  replace('LeakyRelu', (orig) => leakyReluSimd(orig));
  replace('Step', (orig) => stepSimd(orig));
  replace('GatherV2', (orig) => gatherRows(orig));
  replace('Identity', (orig) => identityShared(orig));
  replace('Cast', (orig) => castShared(orig));
  replace('Slice', (orig) => sliceRuns(orig));
  replace('Unpack', (orig) => unpackRuns(orig) as unknown as WasmKernelFunc);
  // Replaces the forward-op versions kernels/backprop-kernels.ts installed (they stay the fallback).
  replace('Conv2DBackpropFilter', (orig) => backpropFilterFewOut(conv2dBackpropFilterIm2col(orig)));
  replace('Conv2DBackpropInput', (orig) => conv2dBackpropInputCol2im(orig));
  replace('Conv2D', (orig) => conv2dCo1(orig));
  replace('FusedConv2D', (orig) => fusedConv2dCo1(orig));
  type Generic = Parameters<typeof resizeNearestGrad>[0];
  replace('ResizeNearestNeighborGrad', (orig) => resizeNearestGradSimd(resizeNearestGrad(orig as unknown as Generic) as unknown as WasmKernelFunc));
  replace('ResizeNearestNeighbor', (orig) => resizeNearestSimd(orig));
  return WASM_KERNELS;
}

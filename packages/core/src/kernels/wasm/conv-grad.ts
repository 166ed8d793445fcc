/**
 * Conv2D gradients on tfjs-backend-wasm as one XNNPACK matmul plus a JS pass over the heap
 * (im2col / col2im), NHWC, dilation 1, any stride and padding:
 *   dW [K, Co] = colsᵀ [K, M] × dy [M, Co]     (K = fh·fw·Ci, M = B·oh·ow, colsᵀ built by im2col)
 *   dx = col2im( dy [M, Co] × Wᵀ [Co, K] )    (each row scatter-adds its fh·fw patches into dx)
 * The forward-op formulation (kernels/conv2d-grad.ts) convolves a zero-dilated, padded dy with the
 * flipped filter: for a stride-2 layer 3/4 of its input is zeros, it needs pad/reverse/transpose
 * ops around it, and XNNPACK handles its 1-channel output (a GAN discriminator's image input)
 * badly. The batch is cut into chunks so the column matrix stays below COLS_LIMIT floats.
 */
import { tf } from '../../tf.js';
import type { ConvAttrs as Attrs } from '../conv-geometry.js';
import { convInfo } from '../numeric-pad.js';
import { f32, type KernelArgs, type TensorInfo, type WasmKernelFunc } from './backend-wasm.js';
import { col2imSimd } from './col2im-simd.js';
import { gemmSmallK, SMALL_K_MAX } from './gemm-small-k.js';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

// 4M floats (16 MB) per column matrix: big enough that chunks keep XNNPACK busy, small enough for
// batch-64 ResNet layers not to grow the wasm heap by hundreds of MB.
const COLS_LIMIT = 1 << 22;


function matmul(backend: KernelArgs['backend'], a: TensorInfo, b: TensorInfo, transposeB: boolean): TensorInfo {
  // The registered kernel: dlkit's (explicit transposes, then XNNPACK) when installed.
  const k = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc as unknown as WasmKernelFunc;
  return k({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB } });
}

/** Batch items per chunk so that a [K, items·oh·ow] column matrix fits COLS_LIMIT. */
function chunkItems(info: ConvInfo): number {
  const perItem = info.filterHeight * info.filterWidth * info.inChannels * info.outHeight * info.outWidth;
  return Math.max(1, Math.min(info.batchSize, Math.floor(COLS_LIMIT / perItem)));
}

/** colsᵀ[(kh·fw + kw)·Ci + c, m] = x[b, oh·sh − top + kh, ow·sw − left + kw, c] (0 outside), m over items b0 … b0+n. */
function im2colT(x: Float32Array, info: ConvInfo, b0: number, n: number, cols: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const M = n * OH * OW;
  for (let kh = 0; kh < FH; kh++) {
    for (let kw = 0; kw < FW; kw++) {
      const rowBase = (kh * FW + kw) * C * M;
      let m = 0;
      for (let b = b0; b < b0 + n; b++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sh - top + kh;
          const inRow = ih >= 0 && ih < H;
          for (let ow = 0; ow < OW; ow++, m++) {
            const iw = ow * sw - left + kw;
            if (!inRow || iw < 0 || iw >= W) {
              for (let c = 0; c < C; c++) cols[rowBase + c * M + m] = 0;
              continue;
            }
            const src = ((b * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) cols[rowBase + c * M + m] = x[src + c]!;
          }
        }
      }
    }
  }
}

/** dx[b, ih, iw, c] += cols[m, (kh·fw + kw)·Ci + c] for every patch position inside dx. */
function col2im(cols: Float32Array, info: ConvInfo, b0: number, n: number, dx: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const K = FH * FW * C;
  let src = 0;
  for (let b = b0; b < b0 + n; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, src += K) {
        for (let kh = 0; kh < FH; kh++) {
          const ih = oh * sh - top + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < FW; kw++) {
            const iw = ow * sw - left + kw;
            if (iw < 0 || iw >= W) continue;
            const dst = ((b * H + ih) * W + iw) * C;
            const s = src + (kh * FW + kw) * C;
            for (let c = 0; c < C; c++) dx[dst + c]! += cols[s + c]!;
          }
        }
      }
    }
  }
}

/**
 * Where the JS pass pays off (CPU ms at a DCGAN's and the MNIST CNN's shapes: `bench/profile/kernel-cpu.ts --only Conv2D`):
 * strided layers, whose forward-op input gradient is 3/4 zeros, and few-channel inputs (images),
 * which XNNPACK handles badly as the forward-op formulation's output or "batch". For stride-1
 * layers with 16+ input channels the forward conv is faster than JS's im2col / col2im loops.
 */
function pays(info: ConvInfo): boolean {
  return info.strideHeight > 1 || info.strideWidth > 1 || info.inChannels <= 4;
}

const nhwcFloat = (a: Attrs, ...ts: TensorInfo[]) => (a.dataFormat ?? 'NHWC') === 'NHWC' && ts.every((t) => t.dtype === 'float32');

let smallKOn = true;
let col2imOn = true;

/** Whether input gradients use the SIMD col2im (and take it for widening stride-1 layers); false: JS col2im, for A/B runs and tests. */
export function col2imSimdOn(on?: boolean): boolean {
  if (on !== undefined) col2imOn = on;
  return col2imOn;
}

/** Whether few-input-channel filter gradients use the SIMD small-K loop (default yes); false keeps XNNPACK, for A/B runs and tests. */
export function smallKFilterGrad(on?: boolean): boolean {
  if (on !== undefined) smallKOn = on;
  return smallKOn;
}

/** Conv2DBackpropFilter: inputs x, dy; attrs strides, pad, filterShape. */
export function conv2dBackpropFilterIm2col(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend } = args;
    const a = args.attrs as unknown as Attrs;
    const x = inputs.x!;
    const dy = inputs.dy!;
    if (!nhwcFloat(a, x, dy)) return fallback(args);
    const info = convInfo(x.shape, a.filterShape!, a);
    if (!pays(info)) return fallback(args);
    const K = info.filterHeight * info.filterWidth * info.inChannels;
    const Co = info.outChannels;
    const perItem = info.outHeight * info.outWidth;
    const step = chunkItems(info);
    const out = backend.makeOutput(a.filterShape!, 'float32');
    if (K <= SMALL_K_MAX && Co % 16 === 0 && smallKOn) {
      // Few input channels (images): a SIMD loop over dy as it is, no XNNPACK packing of it.
      f32(backend, out).fill(0);
      let done = true;
      for (let b0 = 0; b0 < info.batchSize && done; b0 += step) {
        const n = Math.min(step, info.batchSize - b0);
        const M = n * perItem;
        const cols = backend.makeOutput([K, M], 'float32');
        im2colT(f32(backend, x), info, b0, n, f32(backend, cols));
        const dyAt = f32(backend, dy).byteOffset + b0 * perItem * Co * 4;
        done = gemmSmallK(backend, f32(backend, cols).byteOffset, dyAt, f32(backend, out).byteOffset, K, M, Co);
        backend.disposeData(cols.dataId);
      }
      if (done) return out;
    }
    let acc: Float32Array | undefined; // sum over chunks when there is more than one
    for (let b0 = 0; b0 < info.batchSize; b0 += step) {
      const n = Math.min(step, info.batchSize - b0);
      const M = n * perItem;
      const cols = backend.makeOutput([K, M], 'float32');
      // dy rows of this chunk as their own tensor: XNNPACK takes b whole.
      const dyc = n === info.batchSize ? dy : backend.makeOutput([M, Co], 'float32');
      im2colT(f32(backend, x), info, b0, n, f32(backend, cols));
      if (dyc !== dy) f32(backend, dyc).set(f32(backend, dy).subarray(b0 * perItem * Co, (b0 + n) * perItem * Co));
      const part = matmul(backend, cols, { ...dyc, shape: [M, Co] }, false);
      const p = f32(backend, part);
      if (n === info.batchSize) f32(backend, out).set(p);
      else {
        acc ??= new Float32Array(K * Co);
        for (let i = 0; i < p.length; i++) acc[i]! += p[i]!;
      }
      backend.disposeData(part.dataId);
      backend.disposeData(cols.dataId);
      if (dyc !== dy) backend.disposeData(dyc.dataId);
    }
    if (acc) f32(backend, out).set(acc);
    return out;
  };
}

/** Conv2DBackpropInput: inputs dy, filter; attrs strides, pad, inputShape. */
export function conv2dBackpropInputCol2im(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend } = args;
    const a = args.attrs as unknown as Attrs;
    const dy = inputs.dy!;
    const filter = inputs.filter!;
    if (!nhwcFloat(a, dy, filter)) return fallback(args);
    const info = convInfo(a.inputShape!, filter.shape, a);
    // With the SIMD col2im, stride-1 layers that widen (Co ≥ 2·Ci: the MNIST CNN's conv2) pay too.
    const widening = col2imOn && info.inChannels % 4 === 0 && info.outChannels >= 2 * info.inChannels;
    if (!pays(info) && !widening) return fallback(args);
    const K = info.filterHeight * info.filterWidth * info.inChannels;
    const Co = info.outChannels;
    const perItem = info.outHeight * info.outWidth;
    const step = chunkItems(info);
    const out = backend.makeOutput(a.inputShape!, 'float32');
    f32(backend, out).fill(0);
    const w = { ...filter, shape: [K, Co] }; // [fh,fw,Ci,Co] is [K, Co] row-major
    for (let b0 = 0; b0 < info.batchSize; b0 += step) {
      const n = Math.min(step, info.batchSize - b0);
      const M = n * perItem;
      let dyc: TensorInfo = { ...dy, shape: [M, Co] };
      if (n !== info.batchSize) {
        dyc = backend.makeOutput([M, Co], 'float32');
        f32(backend, dyc).set(f32(backend, dy).subarray(b0 * perItem * Co, (b0 + n) * perItem * Co));
      }
      const cols = matmul(backend, dyc, w, true); // [M, K]
      const simd = col2imOn && col2imSimd(backend, f32(backend, cols).byteOffset, f32(backend, out).byteOffset, info, b0, n);
      if (!simd) col2im(f32(backend, cols), info, b0, n, f32(backend, out));
      backend.disposeData(cols.dataId);
      if (n !== info.batchSize) backend.disposeData(dyc.dataId);
    }
    return out;
  };
}

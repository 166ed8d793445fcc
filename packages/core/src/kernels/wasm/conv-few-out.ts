/**
 * Filter gradient of convolutions with few output channels (Co ≤ 4: a generator's image output, a
 * segmentation head) on tfjs-backend-wasm. The forward-op formulation convolves x with the dy batch
 * as a Co-channel filter, which XNNPACK runs at ~2 GFLOP/s, and the im2col one would build a
 * [fh·fw·Ci, B·H·W] column matrix (7.2M floats for the DCGAN's 3×3 16→1 output conv at
 * [64,28,28,16]). Here dy is moved to the input pixels each of the T = fh·fw·Co taps reads, Dᵀ
 * [T, B·H·W] (T·B·H·W floats: 0.45M there), and one XNNPACK matmul does the rest (NHWC, dilation 1,
 * any stride and padding):  dW [(kh,kw,o), c] = Dᵀ × x [B·H·W, Ci], permuted to [fh, fw, Ci, Co].
 * 18.4 → 8.5 ms CPU at that shape (kernel-cpu.ts --only Conv2DBackprop, load ≈ 5). The same trick for
 * the forward conv and dx (kn2row) was no faster than XNNPACK there: its JS shift pass costs as much
 * as it saves. Layers too big for one tap buffer keep the next kernel.
 */
import { tf } from '../../tf.js';
import type { ConvAttrs as Attrs } from '../conv-geometry.js';
import { convInfo } from '../numeric-pad.js';
import { f32, type TensorInfo, type WasmBackend, type WasmKernelFunc } from './backend-wasm.js';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/** At most this many output channels take this path. */
export const FEW_OUT_MAX = 4;
// The [T, B·H·W] tap buffer, in floats (16 MB), like conv-grad.ts's column limit.
const TAPS_LIMIT = 1 << 22;

const noDilation = (d: Attrs['dilations']) => d === undefined || d === 1 || (Array.isArray(d) && d[0] === 1 && d[1] === 1);

/** The layer's geometry when this path applies, else undefined (the caller falls back). */
function fewOutInfo(xShape: number[], fShape: number[], a: Attrs, ...ts: TensorInfo[]): ConvInfo | undefined {
  if ((a.dataFormat ?? 'NHWC') !== 'NHWC' || !noDilation(a.dilations) || ts.some((t) => t.dtype !== 'float32')) return undefined;
  if (xShape.length !== 4 || fShape[3]! > FEW_OUT_MAX) return undefined;
  const info = convInfo(xShape, fShape, a);
  const taps = info.filterHeight * info.filterWidth * info.outChannels;
  return info.batchSize * info.inHeight * info.inWidth * taps <= TAPS_LIMIT ? info : undefined;
}

function kernel(name: string): WasmKernelFunc {
  return tf.getKernel(name, 'wasm')!.kernelFunc as unknown as WasmKernelFunc;
}

/**
 * Dᵀ[(kh,kw,o), (b, yy, xx)] = dy[b, i, j, o] for the output (i, j) whose tap (kh, kw) reads input
 * pixel (yy, xx); 0 where none does (Dᵀ zeroed by the caller).
 */
function scatterTaps(dy: Float32Array, info: ConvInfo, d: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW, outChannels: O, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const P = B * H * W;
  let src = 0;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++, src += O) {
        for (let kh = 0; kh < FH; kh++) {
          const yy = i * sh - top + kh;
          if (yy < 0 || yy >= H) continue;
          for (let kw = 0; kw < FW; kw++) {
            const xx = j * sw - left + kw;
            if (xx < 0 || xx >= W) continue;
            const p = (b * H + yy) * W + xx;
            const t = (kh * FW + kw) * O;
            for (let o = 0; o < O; o++) d[(t + o) * P + p] = dy[src + o]!;
          }
        }
      }
    }
  }
}

function matmul(backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  return kernel('BatchMatMul')({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } });
}

/** The tap matrix Dᵀ of dy, [T, B·H·W]. */
function taps(backend: WasmBackend, dy: TensorInfo, info: ConvInfo): TensorInfo {
  const T = info.filterHeight * info.filterWidth * info.outChannels;
  const d = backend.makeOutput([T, info.batchSize * info.inHeight * info.inWidth], 'float32');
  const view = f32(backend, d);
  view.fill(0);
  scatterTaps(f32(backend, dy), info, view);
  return d;
}

/** Conv2DBackpropFilter: inputs x, dy; attrs filterShape. */
export function backpropFilterFewOut(next: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const a = args.attrs as unknown as Attrs;
    const { x, dy } = args.inputs;
    const info = fewOutInfo(x!.shape, a.filterShape!, a, x!, dy!);
    if (!info) return next(args);
    const { backend } = args;
    const { filterHeight: FH, filterWidth: FW, inChannels: C, outChannels: O } = info;
    const dt = taps(backend, dy!, info);
    const wt = matmul(backend, dt, { ...x!, shape: [info.batchSize * info.inHeight * info.inWidth, C] }); // [T, Ci] = [(kh,kw,o), c]
    backend.disposeData(dt.dataId);
    if (O === 1) return { ...wt, shape: a.filterShape! };
    const dw = kernel('Transpose')({ inputs: { x: { ...wt, shape: [FH * FW, O, C] } }, backend, attrs: { perm: [0, 2, 1] } });
    backend.disposeData(wt.dataId);
    return { ...dw, shape: a.filterShape! };
  };
}

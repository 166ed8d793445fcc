/**
 * ResizeNearestNeighborGrad as a JS loop over channel runs, for tfjs's cpu backend and
 * tfjs-backend-wasm (UpSampling2D; a GAN generator's resize-convolutions).
 * - wasm: the stock kernel loops per element in C++ with per-element index maths, 2.5x slower at
 *   [64,28,28,16] → [64,14,14,16]. (The stock forward kernel beats a JS copy: kept.)
 * - cpu: the stock gradient is WRONG for batches > 1 (tfjs 4.22: every item after the first gets
 *   another item's gradient — for x [2,1,2,1] → [1,4] and dy 1…8 it returns 3,7,7,11, not
 *   3,7,11,15) and NaN for some output sizes; GAN training on cpu learned from garbage.
 * Source rows/columns follow tfjs's cpu forward kernel exactly; the gradient scatter-adds dy
 * through the same map (the exact gradient of that forward), for alignCorners and
 * halfPixelCenters false (UpSampling2D's and tf.image's defaults); other modes keep the stock kernel.
 */
import { type Info, type JsBackend, output, view } from './js-data.js';

type Attrs = { alignCorners: boolean; halfPixelCenters: boolean; size?: [number, number] };
type Args = { inputs: Record<string, Info>; backend: unknown; attrs: unknown };
type KernelFunc = (args: Args) => Info;

/** Source index of each of `outSize` output positions (tfjs cpu ResizeNearestNeighbor's formula). */
function sourceIndex(inSize: number, outSize: number, a: Attrs): Int32Array {
  const corners = a.alignCorners && outSize > 1;
  const ratio = (corners ? inSize - 1 : inSize) / (corners ? outSize - 1 : outSize);
  const map = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const frac = a.halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
    let s = Math.min(inSize - 1, a.alignCorners ? Math.round(frac) : Math.floor(frac));
    if (a.halfPixelCenters) s = Math.max(0, s);
    map[i] = s;
  }
  return map;
}

export function resizeNearestGrad(stock: KernelFunc): KernelFunc {
  return (args: Args): Info => {
    const be = args.backend as JsBackend;
    const a = args.attrs as Attrs;
    const x = args.inputs.images!;
    const dy = args.inputs.dy!;
    if (dy.dtype !== 'float32' || x.shape.length !== 4 || a.alignCorners || a.halfPixelCenters) return stock(args);
    const C = x.shape[3]!;
    return output(be, x.shape, (dx) => {
      const g = view<Float32Array>(be, dy);
      const [B, H, W] = x.shape as [number, number, number, number];
      const [, OH, OW] = dy.shape as [number, number, number, number];
      const rows = sourceIndex(H, OH, a);
      const cols = sourceIndex(W, OW, a);
      let o = 0;
      for (let b = 0; b < B; b++) {
        for (let r = 0; r < OH; r++) {
          const rowBase = (b * H + rows[r]!) * W;
          for (let c = 0; c < OW; c++, o += C) {
            const s = (rowBase + cols[c]!) * C;
            for (let k = 0; k < C; k++) dx[s + k]! += g[o + k]!;
          }
        }
      }
    });
  };
}

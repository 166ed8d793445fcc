/**
 * MaxPoolGrad for the wasm backend, in JS on the wasm heap. The stock wasm kernel is ~3x slower
 * on the CNN's [64,26,26,32] pool and drops the gradient of every window whose maximum is
 * negative (it starts its running max at 0, where tfjs's cpu kernel starts at -Infinity): 1.6% of
 * dx was wrong on random inputs. Semantics here are the cpu kernel's: the first strictly greatest
 * element of each window gets dy; windows may overlap (their dy add up).
 */
import { tf } from '../../tf.js';
import { f32, type KernelArgs, type TensorInfo } from './backend-wasm.js';

type PoolAttrs = {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

export function maxPoolGradWasm({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const x = inputs.input!;
  const dy = inputs.dy!;
  const a = attrs as unknown as PoolAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const out = backend.makeOutput(x.shape, 'float32');
  const dx = f32(backend, out);
  const xv = f32(backend, x);
  const dyv = f32(backend, dy);
  dx.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const bBase = b * inHeight;
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - top;
      const rLo = Math.max(0, r0);
      const rHi = Math.min(inHeight, r0 + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * strideWidth - left;
        const cLo = Math.max(0, c0);
        const cHi = Math.min(inWidth, c0 + filterWidth);
        for (let d = 0; d < C; d++, o++) {
          let best = Number.NEGATIVE_INFINITY;
          let pos = -1;
          for (let r = rLo; r < rHi; r++) {
            const rowBase = (bBase + r) * inWidth * C + d;
            for (let c = cLo; c < cHi; c++) {
              const p = rowBase + c * C;
              const v = xv[p]!;
              if (v > best) {
                best = v;
                pos = p;
              }
            }
          }
          if (pos >= 0) dx[pos]! += dyv[o]!;
        }
      }
    }
  }
  return out;
}

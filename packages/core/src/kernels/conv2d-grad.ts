/**
 * Conv2D gradients from forward convolutions. The wasm backend has no Conv2DBackpropFilter
 * kernel and the cpu one is a naive loop (~92% of a training step), while every backend has a
 * fast forward conv2d. Identities used (NHWC, x: [B,H,W,Ci], filter: [fh,fw,Ci,Co]):
 *   dW = transpose( conv2d(transpose(pad(x)) as [Ci,Hp,Wp,B], transpose(dy) as [oh,ow,B,Co],
 *                          stride = dilation, dilation = stride) ) cropped to [fh,fw]
 *   dx = conv2d(pad(dilate(dy, stride)), flip(W) as [fh,fw,Co,Ci], stride 1, dilation = dilation)
 * They match tfjs's reference gradients to float rounding (tested by finite differences too).
 */
import { tf } from '../tf.js';
import { dilateSpatial, padForInputGrad, padSpatial } from './conv-geometry.js';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/**
 * conv1d's filter gradient (x [B,1,W,Ci], filter [1,K,Ci,Co], stride 1) as ONE matmul:
 *   dW[k] = sum over b,t of x[b, t + k·dil] ⊗ dy[b, t]
 * With x flattened to [Ci, B·Wp] (Wp = padded width) and dy zero-padded to [B·Wp, Co], tap k is
 * the column window k·dil … k·dil + B·Wp of x (zero-extended at the end): the zero dy rows are
 * exactly the windows that would cross into the next sequence. Stacking the K windows gives
 * [K·Ci, B·Wp] × [B·Wp, Co] → [K·Ci, Co], already the filter's layout. The general path convolves
 * with the whole dy batch as a "filter", which XNNPACK re-packs every step (k=5 at the text CNN's
 * shapes: 192 → 128 ms CPU, bench/profile/conv1d-grad-ab.ts). Extending x rather than cutting dy: tfjs-wasm's row Slice of dy cost
 * ~11 ms, padding x ~1 ms.
 */
export function conv1dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  return tf.tidy(() => {
    const xp = padSpatial(x, info.padInfo);
    const [b, , wp, ci] = xp.shape;
    const { outWidth: t, outChannels: co, filterWidth: k, dilationWidth: dil } = info;
    const m = b * wp;
    const xt = tf.transpose(tf.reshape(xp, [m, ci])); // [Ci, B·Wp]
    let cols: tf.Tensor = xt;
    if (k > 1) {
      const ext = tf.pad(xt, [
        [0, 0],
        [0, (k - 1) * dil],
      ]);
      cols = tf.concat(Array.from({ length: k }, (_, j) => tf.slice(ext, [0, j * dil], [ci, m])), 0);
    }
    const dyp = tf.pad(tf.reshape(dy, [b, t, co]), [
      [0, 0],
      [0, wp - t],
      [0, 0],
    ]);
    return tf.reshape(tf.matMul(cols, tf.reshape(dyp, [m, co])), [1, k, ci, co]);
  });
}

/** True when conv1dFilterGrad applies: one input row, 1×K filter, stride 1, no height padding. */
export function isConv1d(info: ConvInfo): boolean {
  const p = info.padInfo;
  return (
    info.inHeight === 1 &&
    info.filterHeight === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    p.top === 0 &&
    p.bottom === 0 &&
    info.inWidth + p.left + p.right - (info.filterWidth - 1) * info.dilationWidth === info.outWidth
  );
}

export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  if (isConv1d(info)) return conv1dFilterGrad(x, dy, info);
  return tf.tidy(() => {
    const xp = padSpatial(x, info.padInfo);
    const xt = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D;
    const dyt = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const r = tf.conv2d(xt, dyt, [info.dilationHeight, info.dilationWidth], 'valid', 'NHWC', [
      info.strideHeight,
      info.strideWidth,
    ]);
    const [ci, kh, kw, co] = r.shape;
    const cropped = kh === info.filterHeight && kw === info.filterWidth ? r : tf.slice(r, [0, 0, 0, 0], [ci, info.filterHeight, info.filterWidth, co]);
    return tf.transpose(cropped, [1, 2, 0, 3]);
  });
}

export function conv2dInputGrad(dy: tf.Tensor4D, filter: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  return tf.tidy(() => {
    const dyd = dilateSpatial(dy, info.strideHeight, info.strideWidth);
    const padded = padForInputGrad(
      dyd,
      info.inHeight,
      info.inWidth,
      info.filterHeight,
      info.filterWidth,
      info.dilationHeight,
      info.dilationWidth,
      info.padInfo,
    );
    const wFlip = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(padded, wFlip, 1, 'valid', 'NHWC', [info.dilationHeight, info.dilationWidth]);
  });
}

/**
 * DepthwiseConv2dNative gradients from forward depthwise convolutions (wasm has neither
 * backprop kernel). x: [B,H,W,C], filter: [fh,fw,C,M], dy: [B,oh,ow,C·M].
 *   dW: fold the batch into channels — x as [1,Hp,Wp,B·C], dy as a filter [oh,ow,B·C,M] —,
 *       one depthwise conv with stride = dilation and dilation = stride, then sum over B.
 *   dx: depthwise conv of pad(dilate(dy)) with the flipped filter as [fh,fw,C·M,1], then sum over M.
 */
import { tf } from '../tf.js';
import { dilateSpatial, padForInputGrad, padSpatial } from './conv-geometry.js';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

export function depthwiseFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, info: ConvInfo, m: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, , , c] = x.shape;
    const xp = padSpatial(x, info.padInfo);
    const [, hp, wp] = xp.shape;
    const xFolded = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, hp, wp, b * c]) as tf.Tensor4D;
    const [, oh, ow] = dy.shape;
    const dyFilter = tf.reshape(tf.transpose(tf.reshape(dy, [b, oh, ow, c, m]), [1, 2, 0, 3, 4]), [oh, ow, b * c, m]) as tf.Tensor4D;
    const r = tf.depthwiseConv2d(xFolded, dyFilter, [info.dilationHeight, info.dilationWidth], 'valid', 'NHWC', [
      info.strideHeight,
      info.strideWidth,
    ]);
    const cropped = tf.slice(r, [0, 0, 0, 0], [1, info.filterHeight, info.filterWidth, b * c * m]);
    return tf.sum(tf.reshape(cropped, [info.filterHeight, info.filterWidth, b, c, m]), 2) as tf.Tensor4D;
  });
}

export function depthwiseInputGrad(dy: tf.Tensor4D, filter: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  return tf.tidy(() => {
    const [fh, fw, c, m] = filter.shape;
    const dyd = dilateSpatial(dy, info.strideHeight, info.strideWidth);
    const padded = padForInputGrad(dyd, info.inHeight, info.inWidth, fh, fw, info.dilationHeight, info.dilationWidth, info.padInfo);
    const wFlip = tf.reshape(tf.reverse(filter, [0, 1]), [fh, fw, c * m, 1]) as tf.Tensor4D;
    const r = tf.depthwiseConv2d(padded, wFlip, 1, 'valid', 'NHWC', [info.dilationHeight, info.dilationWidth]);
    if (m === 1) return r;
    const [b, h, w] = r.shape;
    return tf.sum(tf.reshape(r, [b, h, w, c, m]), 4) as tf.Tensor4D;
  });
}

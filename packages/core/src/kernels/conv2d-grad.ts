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

export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
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

/**
 * Shape helpers shared by the conv gradients: explicit padding, stride dilation of dy and the
 * padding that turns a strided/dilated forward conv's input gradient into a plain forward conv.
 */
import { tf } from '../tf.js';

/** Attributes of tfjs's Conv2D / backprop / fused-conv kernels (each kernel reads the ones it has). */
export type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
  activation?: string;
};

export type Pad4 = { top: number; bottom: number; left: number; right: number };

export function padSpatial(x: tf.Tensor4D, p: Pad4): tf.Tensor4D {
  if (p.top === 0 && p.bottom === 0 && p.left === 0 && p.right === 0) return x;
  return tf.pad(x, [
    [0, 0],
    [p.top, p.bottom],
    [p.left, p.right],
    [0, 0],
  ]);
}

/**
 * Insert (stride-1) zeros between spatial elements: [B,h,w,C] → [B,(h-1)sh+1,(w-1)sw+1,C].
 * Only rank-4 pads: tfjs-backend-webgpu 4.22 emits invalid WGSL for rank-6 pad and returns zeros.
 */
export function dilateSpatial(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [b, h, w, c] = dy.shape;
  let t: tf.Tensor = dy;
  if (sw > 1) {
    const cols = tf.pad(tf.reshape(t, [b * h, w, 1, c]), [
      [0, 0],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    t = tf.reshape(cols, [b, h, w * sw, c]);
  }
  if (sh > 1) {
    const rows = tf.pad(tf.reshape(t, [b, h, 1, w * sw * c]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
    ]);
    t = tf.reshape(rows, [b, h * sh, w * sw, c]);
  }
  return tf.slice(t as tf.Tensor4D, [0, 0, 0, 0], [b, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
}

/**
 * Pad (or crop, where negative) a dilated dy so that a 'valid' stride-1 conv with the
 * flipped filter at dilation d yields exactly the input's spatial size.
 */
export function padForInputGrad(
  dyd: tf.Tensor4D,
  inH: number,
  inW: number,
  fh: number,
  fw: number,
  dh: number,
  dw: number,
  p: Pad4,
): tf.Tensor4D {
  const [b, lh, lw, c] = dyd.shape;
  const before = [(fh - 1) * dh - p.top, (fw - 1) * dw - p.left];
  const after = [inH + (fh - 1) * dh - lh - before[0]!, inW + (fw - 1) * dw - lw - before[1]!];
  const cropStart = [Math.max(0, -before[0]!), Math.max(0, -before[1]!)];
  const cropEnd = [Math.max(0, -after[0]!), Math.max(0, -after[1]!)];
  let t = dyd;
  if (cropStart[0] || cropStart[1] || cropEnd[0] || cropEnd[1]) {
    t = tf.slice(t, [0, cropStart[0]!, cropStart[1]!, 0], [b, lh - cropStart[0]! - cropEnd[0]!, lw - cropStart[1]! - cropEnd[1]!, c]);
  }
  return padSpatial(t, {
    top: Math.max(0, before[0]!),
    bottom: Math.max(0, after[0]!),
    left: Math.max(0, before[1]!),
    right: Math.max(0, after[1]!),
  });
}

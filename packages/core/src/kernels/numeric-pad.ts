/**
 * tfjs 4.22 sizes a convolution with a *numeric* pad from the filter's height and the height stride
 * on both axes (conv_util getPadAndOutInfo), so `tf.conv2d(x, w, [1, 2], 1)` or a 3×5 filter with
 * pad 1 gets a wrong output shape — and its gradients read past their buffers (a wasm abort that
 * kills the backend, or a negative typed-array length on cpu). The same padding written out
 * explicitly takes tfjs's correct path, so dlkit rewrites it at the kernels' entry.
 */
import { tf } from '../tf.js';
import type { ConvAttrs } from './conv-geometry.js';

type Pair = number | [number, number];
const pair = (v: Pair | undefined): [number, number] => (v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v);

/** `pad` as tfjs can size it: a numeric pad with a non-square filter or stride becomes explicit NHWC padding. */
export function sizablePad(pad: ConvAttrs['pad'], strides: Pair, filterShape: readonly number[], dilations?: Pair): ConvAttrs['pad'] {
  if (typeof pad !== 'number' || pad === 0) return pad;
  const [sh, sw] = pair(strides);
  const [dh, dw] = pair(dilations);
  if (sh === sw && filterShape[0] === filterShape[1] && dh === dw) return pad;
  return [
    [0, 0],
    [pad, pad],
    [pad, pad],
    [0, 0],
  ];
}

/** Conv2DInfo with the numeric-pad fix (what every dlkit conv gradient sizes itself with). */
export function convInfo(xShape: readonly number[], fShape: readonly number[], a: ConvAttrs, depthwise = false): tf.backend_util.Conv2DInfo {
  const x = xShape as [number, number, number, number];
  const f = fShape as [number, number, number, number];
  return tf.backend_util.computeConv2DInfo(x, f, a.strides, a.dilations ?? 1, sizablePad(a.pad, a.strides, fShape, a.dilations), a.dimRoundingMode, depthwise);
}

/** Kernel name → how to find its filter shape (input tensor or attribute). */
const CONV_KERNELS: Record<string, (inputs: Record<string, tf.TensorInfo>, attrs: ConvAttrs) => readonly number[] | undefined> = {
  Conv2D: (i) => i.filter?.shape,
  FusedConv2D: (i) => i.filter?.shape,
  DepthwiseConv2dNative: (i) => i.filter?.shape,
  FusedDepthwiseConv2D: (i) => i.filter?.shape,
  Conv2DBackpropInput: (i) => i.filter?.shape,
  DepthwiseConv2dNativeBackpropInput: (i) => i.filter?.shape,
  Conv2DBackpropFilter: (_i, a) => a.filterShape,
  DepthwiseConv2dNativeBackpropFilter: (_i, a) => a.filterShape,
};

const wrapped = new Set<string>();

/** Wraps `backend`'s conv kernels (call after every other kernel replacement on it); once per backend. */
export function installNumericPadFix(backend: string): string[] {
  if (wrapped.has(backend)) return [];
  wrapped.add(backend);
  let n = 0;
  for (const [kernelName, filterShapeOf] of Object.entries(CONV_KERNELS)) {
    const k = tf.getKernel(kernelName, backend);
    if (!k) continue;
    const inner = k.kernelFunc;
    tf.unregisterKernel(kernelName, backend);
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        const a = args.attrs as unknown as ConvAttrs;
        const fShape = filterShapeOf(args.inputs as Record<string, tf.TensorInfo>, a);
        const pad = fShape ? sizablePad(a.pad, a.strides, fShape, a.dilations) : a.pad;
        return inner(pad === a.pad ? args : { ...args, attrs: { ...args.attrs, pad } as unknown as tf.NamedAttrMap });
      },
    });
    n++;
  }
  return n ? [`numeric conv padding sized per axis (${n} conv kernels; tfjs sizes both axes from the height)`] : [];
}

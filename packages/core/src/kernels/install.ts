/**
 * Installs dlkit's gradient fixes once, for every backend (tfjs's gradient registry is global):
 * Conv2D and DepthwiseConv2dNative gradients built from forward ops. NCHW falls back to the
 * stock gradient. A bonus over stock: dilated convolutions get gradients too.
 */
import { tf } from '../tf.js';
import type { ConvAttrs as Attrs } from './conv-geometry.js';
import { conv2dFilterGrad, conv2dInputGrad } from './conv2d-grad.js';
import { depthwiseFilterGrad, depthwiseInputGrad } from './depthwise-grad.js';
import { installGatherGrad } from './gather-grad.js';
import { installLazyFusedConvGrad } from './lazy-fused-grad.js';
import { convInfo } from './numeric-pad.js';
import { resizeNearestGrad } from './resize-nearest.js';
import { installUnpackGrad } from './unpack-grad.js';


export const KERNEL_FIXES = [
  'Conv2D gradient (from forward conv2d)',
  'DepthwiseConv2dNative gradient (from forward depthwiseConv2d)',
  'GatherV2 gradient (scatterND where UnsortedSegmentSum is missing: wasm)',
  'ResizeNearestNeighborGrad on cpu (the stock kernel mixes up batch items)',
  'Unpack gradient when the unstacked axis has length 1 (RNNs on one-token batches threw)',
  'Fused conv2d gradient computes only the input/filter/bias gradients the tape needs (tfjs computes all three)',
];

let installed = false;

/** The backprop kernels take no dilation; on other backends than wasm they are tfjs's slow loops. */
function useBackpropKernels(info: tf.backend_util.Conv2DInfo): boolean {
  return tf.getBackend() === 'wasm' && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/** DLKIT_KERNEL_FIXES=0 keeps stock tfjs gradients: only for measuring against stock (pnpm bench). */
function disabledByEnv(): boolean {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.DLKIT_KERNEL_FIXES === '0';
}

export function installKernelFixes(): string[] {
  if (disabledByEnv()) return [];
  if (installed) return KERNEL_FIXES;
  installed = true;
  installGatherGrad();
  installUnpackGrad();
  installLazyFusedConvGrad();
  const cpuResizeGrad = tf.getKernel('ResizeNearestNeighborGrad', 'cpu');
  if (cpuResizeGrad) {
    tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
    tf.registerKernel({ ...cpuResizeGrad, kernelFunc: resizeNearestGrad(cpuResizeGrad.kernelFunc as never) as unknown as tf.KernelFunc });
  }
  for (const kernelName of ['Conv2D', 'DepthwiseConv2dNative'] as const) {
    const stock = tf.getGradient(kernelName);
    const depthwise = kernelName === 'DepthwiseConv2dNative';
    tf.registerGradient({
      kernelName,
      inputsToSave: ['x', 'filter'],
      gradFunc: (dy, saved, attrs) => {
        const a = attrs as unknown as Attrs;
        if (a.dataFormat === 'NCHW' && stock) return stock.gradFunc(dy, saved, attrs);
        const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
        const info = convInfo(x.shape, filter.shape, a, depthwise);
        const g = dy as tf.Tensor4D;
        if (!depthwise && useBackpropKernels(info)) {
          // wasm's backprop kernels (kernels/wasm/conv-grad.ts) beat the op formulas below on strided
          // and few-channel layers, and fall back to them elsewhere.
          const common = { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: a.dimRoundingMode };
          return {
            x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: g, filter }, { ...common, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
            filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: g }, { ...common, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
          };
        }
        if (depthwise) {
          return {
            x: () => depthwiseInputGrad(g, filter, info),
            filter: () => depthwiseFilterGrad(x, g, info, filter.shape[3]),
          };
        }
        return {
          x: () => conv2dInputGrad(g, filter, info),
          filter: () => conv2dFilterGrad(x, g, info),
        };
      },
    });
  }
  return KERNEL_FIXES;
}

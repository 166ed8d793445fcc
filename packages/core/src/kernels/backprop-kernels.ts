/**
 * Conv backprop *kernels* for backends that lack them (wasm). Gradients registered in
 * install.ts cover plain conv2d/depthwise ops, but tfjs' fused conv ops (used by every Conv2D
 * layer with a linear activation, e.g. conv → batch-norm) call conv2DBackpropFilter/Input
 * directly in their custom gradient, so the kernels themselves must exist. They are built from
 * the same forward-op formulas.
 */
import { tf } from '../tf.js';
import type { ConvAttrs as Attrs } from './conv-geometry.js';
import { conv2dFilterGrad, conv2dInputGrad } from './conv2d-grad.js';
import { depthwiseFilterGrad, depthwiseInputGrad } from './depthwise-grad.js';
import { convInfo } from './numeric-pad.js';


type Info = tf.TensorInfo;
const engine = () => tf.engine() as unknown as { makeTensorFromTensorInfo(t: Info): tf.Tensor };

function run(inputs: Info[], f: (ts: tf.Tensor4D[]) => tf.Tensor): tf.Tensor {
  // Tensor views of the inputs; makeTensorFromTensorInfo does not take a backend reference,
  // so take one ourselves or disposing the views would free the caller's data.
  const ts = inputs.map((t) => {
    const view = engine().makeTensorFromTensorInfo(t) as tf.Tensor4D;
    tf.backend().incRef(t.dataId);
    return view;
  });
  try {
    return tf.tidy(() => f(ts));
  } finally {
    tf.dispose(ts);
  }
}

const info = convInfo;

const installedOn = new Map<string, string[]>();

/**
 * Registers the missing conv backprop kernels on `backend`, once; returns their names. Once only:
 * selectBackend runs this on every call, and on wasm it replaces the stock Conv2DBackpropInput — a
 * second run replaced dlkit's faster col2im kernel (installed after this, kernels/wasm) with the
 * forward-op one again, so every bench workload after the first lost it.
 */
export function installBackpropKernels(backend: string): string[] {
  const done = installedOn.get(backend);
  if (done) return done;
  const added: string[] = [];
  installedOn.set(backend, added);
  const add = (kernelName: string, kernelFunc: (args: { inputs: Record<string, Info>; attrs: Attrs }) => tf.Tensor) => {
    if (tf.getKernel(kernelName, backend)) {
      // wasm's own Conv2DBackpropInput is a plain loop (no XNNPACK), ~4× slower than the forward-op version.
      if (!(backend === 'wasm' && kernelName === 'Conv2DBackpropInput')) return;
      tf.unregisterKernel(kernelName, backend);
    }
    tf.registerKernel({ kernelName, backendName: backend, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    added.push(`${kernelName} kernel (forward ops)`);
  };
  add('Conv2DBackpropFilter', ({ inputs: { x, dy }, attrs }) => run([x!, dy!], ([xx, g]) => conv2dFilterGrad(xx!, g!, info(xx!.shape, attrs.filterShape!, attrs, false))));
  add('Conv2DBackpropInput', ({ inputs: { dy, filter }, attrs }) => run([dy!, filter!], ([g, f]) => conv2dInputGrad(g!, f!, info(attrs.inputShape!, f!.shape, attrs, false))));
  add('DepthwiseConv2dNativeBackpropFilter', ({ inputs: { x, dy }, attrs }) =>
    run([x!, dy!], ([xx, g]) => depthwiseFilterGrad(xx!, g!, info(xx!.shape, attrs.filterShape!, attrs, true), attrs.filterShape![3])),
  );
  add('DepthwiseConv2dNativeBackpropInput', ({ inputs: { dy, filter }, attrs }) => run([dy!, filter!], ([g, f]) => depthwiseInputGrad(g!, f!, info(attrs.inputShape!, f!.shape, attrs, true))));
  return added;
}

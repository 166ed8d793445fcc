/**
 * Lazy gradients for tfjs's fused conv2d. Under a gradient tape, every conv layer with a linear
 * activation (tfjs-layers applies tanh, leakyReLU and friends as separate ops) runs
 * `tf.fused.conv2d` through `customGrad`, whose gradient computes dx, dW and db together whenever
 * the node is reached, needed or not: in a GAN's D step the input gradients of the real and fake
 * images, in its G step the discriminator's filter and bias gradients (~25 ms of a 300-400 ms DCGAN
 * step on wasm). tfjs's tape only calls the gradients of the inputs on a path to the sources, so
 * handing it one thunk per input skips the unneeded ones.
 *
 * The op cannot be replaced (tfjs-layers calls it through a frozen namespace), so this wraps the
 * engine's `customGrad`: only calls made from inside tfjs's `fusedConv2d` op with a linear
 * activation, NHWC and no dilation get the lazy gradient (the same kernels and maths as tfjs's);
 * everything else, and any call whose attributes were not seen, takes the stock path.
 */
import { tf } from '../tf.js';
import type { ConvAttrs } from './conv-geometry.js';

type Saved = tf.Tensor[];
type GradMap = Record<string, () => tf.Tensor>;
type CustomGradFn = (...args: unknown[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: Saved) => tf.Tensor | tf.Tensor[] };
interface EngineInternals {
  customGrad(f: CustomGradFn): (...inputs: tf.Tensor[]) => tf.Tensor;
  runKernel(name: string, inputs: Record<string, unknown>, attrs?: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  runKernelFunc(args: {
    forwardFunc: (backend: unknown, save: (tensors: Saved) => void) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: Saved) => GradMap;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor;
  state: { activeScope?: { name: string } | null };
}

/** The scope name tfjs's `op()` gives `fused.conv2d` (kernel name in tf.profile output). */
const FUSED_CONV_SCOPE = 'fusedConv2d__op';

const one = (v: number | [number, number] | undefined) => v === undefined || v === 1 || (Array.isArray(v) && v[0] === 1 && v[1] === 1);

/** dx, dW (and db) of y = conv2d(x, W) + b as separate thunks: tfjs's fused-conv gradient, split. */
function lazyConvGrads(dy: tf.Tensor, saved: Saved, a: ConvAttrs, n: number): GradMap {
  const [filter, x4D, y, bias] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor | undefined];
  // A rank-3 input was batched to rank 4 inside the op; its dy arrives unbatched.
  const g = dy.rank === 4 ? dy : tf.reshape(dy, y.shape);
  const common = { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: a.dimRoundingMode };
  const grads: GradMap = {
    0: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: g, filter }, { ...common, inputShape: x4D.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
    1: () => tf.engine().runKernel('Conv2DBackpropFilter', { x: x4D, dy: g }, { ...common, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
  };
  if (n === 3 && bias) {
    grads[2] = () => {
      const axes = tf.backend_util.getReductionAxes(bias.shape, g.shape);
      return tf.reshape(axes.length > 0 ? tf.sum(g, axes) : g, bias.shape);
    };
  }
  return grads;
}

let installed = false;
let enabled = true;

/**
 * Whether fused conv2d gradients are computed lazily (default yes once core installed its fixes).
 * `lazyFusedConvGrad(false)` restores tfjs's eager gradients: for A/B measurements and tests.
 */
export function lazyFusedConvGrad(on?: boolean): boolean {
  if (on !== undefined) enabled = on;
  return installed && enabled;
}

export function installLazyFusedConvGrad(): void {
  if (installed) return;
  installed = true;
  const engine = tf.engine() as unknown as EngineInternals;
  const stockCustomGrad = engine.customGrad.bind(engine);
  engine.customGrad = (f: CustomGradFn) => {
    const stock = stockCustomGrad(f);
    return (...inputs: tf.Tensor[]) => {
      if (!enabled || engine.state.activeScope?.name !== FUSED_CONV_SCOPE) return stock(...inputs);
      let res: ReturnType<CustomGradFn> | undefined;
      let attrs: ConvAttrs | undefined;
      const forwardFunc = (_: unknown, save: (t: Saved) => void) => {
        // The op passes its attributes only to the FusedConv2D kernel it runs inside f: note them.
        const runKernel = engine.runKernel;
        const own = Object.hasOwn(engine, 'runKernel');
        engine.runKernel = (name, kernelInputs, kernelAttrs) => {
          if (name === 'FusedConv2D') attrs = kernelAttrs as ConvAttrs;
          return runKernel.call(engine, name, kernelInputs, kernelAttrs);
        };
        try {
          res = f(...inputs, save);
        } finally {
          if (own) engine.runKernel = runKernel;
          else delete (engine as Partial<EngineInternals>).runKernel;
        }
        return res.value;
      };
      const backwardsFunc = (dy: tf.Tensor, saved: Saved): GradMap => {
        const a = attrs;
        if (a && (a.activation ?? 'linear') === 'linear' && (a.dataFormat ?? 'NHWC') === 'NHWC' && one(a.dilations)) {
          return lazyConvGrads(dy, saved, a, inputs.length);
        }
        // Anything else: tfjs's own (eager) gradient, as its customGrad would hand it over.
        const out = res!.gradFunc(dy, saved);
        const all = Array.isArray(out) ? out : [out];
        return Object.fromEntries(all.map((t, i) => [String(i), () => t]));
      };
      return engine.runKernelFunc({ forwardFunc, backwardsFunc, inputs: Object.fromEntries(inputs.map((t, i) => [String(i), t])) });
    };
  };
}

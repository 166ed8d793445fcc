/**
 * wasm Conv2DBackpropFilter / Conv2DBackpropInput (im2col / col2im + XNNPACK matmul where it pays,
 * the forward-op formulation elsewhere) against tfjs's reference cpu kernels, directly and as the
 * gradients of conv2d (plain and fused with a bias), with the heap left as it was.
 */
import { selectBackend, stockWasmKernel, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';

type Geometry = { name: string; x: [number, number, number, number]; f: [number, number, number, number]; stride: number | [number, number]; pad: 'same' | 'valid' | number };

const GEOMETRIES: Geometry[] = [
  { name: 'DCGAN D conv1: 1 channel in, 4x4 stride 2 same', x: [2, 28, 28, 1], f: [4, 4, 1, 16], stride: 2, pad: 'same' },
  { name: 'DCGAN D conv2: 4x4 stride 2 same', x: [2, 14, 14, 16], f: [4, 4, 16, 32], stride: 2, pad: 'same' },
  { name: 'MNIST conv1: 1 channel, 3x3 valid', x: [4, 12, 12, 1], f: [3, 3, 1, 8], stride: 1, pad: 'valid' },
  { name: 'RGB 3 channels, 5x5 stride 3, explicit pad 1', x: [2, 11, 10, 3], f: [5, 5, 3, 4], stride: 3, pad: 1 },
  { name: 'odd sizes, 3x2 filter, strides [2,1], valid', x: [3, 9, 11, 5], f: [3, 2, 5, 7], stride: [2, 1], pad: 'valid' },
  { name: 'stride 1, 16 channels (forward-op formulation)', x: [2, 9, 9, 16], f: [3, 3, 16, 6], stride: 1, pad: 'same' },
  // Few input channels, output channels a multiple of 16: the SIMD small-K filter gradient (gemm-small-k.ts).
  { name: 'MNIST conv1 shape: 3x3 1->32 valid (odd K = 9)', x: [4, 12, 12, 1], f: [3, 3, 1, 32], stride: 1, pad: 'valid' },
  { name: 'RGB 3x3 3->16 stride 2 same (K = 27)', x: [2, 9, 10, 3], f: [3, 3, 3, 16], stride: 2, pad: 'same' },
  // Stride 1, Co ≥ 2·Ci: the input gradient takes col2im (SIMD) instead of the forward-op formulation.
  { name: 'widening stride-1 layer: 3x3 8->16 valid (SIMD col2im)', x: [2, 7, 7, 8], f: [3, 3, 8, 16], stride: 1, pad: 'valid' },
  // At most 4 output channels: the filter gradient from dy moved to the taps (conv-few-out.ts).
  { name: 'DCGAN G output: 3x3 16->1 same', x: [2, 9, 9, 16], f: [3, 3, 16, 1], stride: 1, pad: 'same' },
  { name: '3 output channels, 5x5 stride 2 valid', x: [2, 11, 12, 4], f: [5, 5, 4, 3], stride: 2, pad: 'valid' },
  { name: '4 output channels, 3x3 filter, stride 2, explicit pad 1', x: [3, 7, 9, 5], f: [3, 3, 5, 4], stride: 2, pad: 1 },
];
// One item's column matrix (4.8M floats) exceeds the chunk limit: two chunks (dx; dW takes the
// few-output-channel path with 2.4M taps). The cpu reference takes ~40 s here, so this one is
// checked against the forward-op kernels it replaces on wasm.
const CHUNKED: Geometry = { name: 'batch split into chunks', x: [2, 100, 100, 4], f: [11, 11, 4, 1], stride: 1, pad: 'same' };

type Out = { dw: Float32Array; dx: Float32Array; gradX: Float32Array; gradF: Float32Array; gradB: Float32Array };

function inputs(g: Geometry) {
  const x = tf.randomNormal(g.x, 0, 1, 'float32', 1) as tf.Tensor4D;
  const f = tf.randomNormal(g.f, 0, 1, 'float32', 2) as tf.Tensor4D;
  const b = tf.randomNormal([g.f[3]], 0, 1, 'float32', 3) as tf.Tensor1D;
  const yShape = tf.conv2d(x, f, g.stride, g.pad).shape;
  const dy = tf.randomNormal(yShape, 0, 1, 'float32', 4) as tf.Tensor4D;
  return { x, f, b, dy };
}

async function compute(backend: 'cpu' | 'wasm', g: Geometry): Promise<Out> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const { x, f, b, dy } = inputs(g);
    const attrs = { strides: g.stride, pad: g.pad, dataFormat: 'NHWC' };
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: g.f } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...attrs, inputShape: g.x } as unknown as tf.NamedAttrMap) as tf.Tensor;
    // Plain conv2d (its registered gradient) and fused conv2d + bias (tfjs's custom gradient, kernels).
    const [gradX, gradF] = tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, g.stride, g.pad), dy)))([x, f]);
    const [fusedX, fusedF] = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
      tf.sum(tf.mul(tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ff as tf.Tensor4D, strides: g.stride, pad: g.pad, bias: b }), dy)),
    )([x, f]);
    const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
    const gradB = new Float32Array(fusedX!.size + fusedF!.size);
    gradB.set(read(fusedX!));
    gradB.set(read(fusedF!), fusedX!.size);
    return { dw: read(dw), dx: read(dx), gradX: read(gradX!), gradF: read(gradF!), gradB };
  });
}

/** Largest difference relative to the reference's largest magnitude. */
function relError(ours: Float32Array, ref: Float32Array): number {
  expect(ours.length).toBe(ref.length);
  let worst = 0;
  let scale = 1e-6;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i]! - ref[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return worst / scale;
}

describe('wasm conv2d backprop kernels match tfjs cpu', () => {
  for (const g of GEOMETRIES) {
    it(g.name, async () => {
      const ref = await compute('cpu', g);
      await selectBackend('wasm');
      const before = tf.memory().numTensors;
      const heap = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      const ours = await compute('wasm', g);
      for (const k of ['dw', 'dx', 'gradX', 'gradF', 'gradB'] as const) {
        expect(relError(ours[k], ref[k]), k).toBeLessThan(1e-5);
      }
      expect(tf.memory().numTensors).toBe(before);
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(heap);
    }, 60_000);
  }

  it(`${CHUNKED.name}: same as the forward-op kernels it replaces`, async () => {
    await selectBackend('wasm');
    const names = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
    const ours = names.map((n) => tf.getKernel(n, 'wasm')!);
    const swap = (use: 'stock' | 'ours') =>
      ours.forEach((config, i) => {
        tf.unregisterKernel(names[i]!, 'wasm');
        tf.registerKernel(use === 'ours' ? config : { ...config, kernelFunc: stockWasmKernel(names[i]!) as unknown as tf.KernelFunc });
      });
    swap('stock');
    const ref = await compute('wasm', CHUNKED).finally(() => swap('ours'));
    const got = await compute('wasm', CHUNKED);
    for (const k of ['dw', 'dx', 'gradX', 'gradF', 'gradB'] as const) expect(relError(got[k], ref[k]), k).toBeLessThan(1e-5);
  }, 60_000);

  it('keeps the im2col/col2im kernels when the backend is selected again (it used to fall back to forward ops)', async () => {
    await selectBackend('cpu');
    await selectBackend('wasm');
    await selectBackend('wasm');
    const dy = tf.randomNormal([2, 7, 7, 32]);
    const f = tf.randomNormal([4, 4, 16, 32]);
    const info = await tf.profile(() =>
      tf.dispose(tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 14, 14, 16] } as unknown as tf.NamedAttrMap) as tf.Tensor),
    );
    // The forward-op version runs Conv2D (and pads/transposes) inside; col2im runs no nested kernel.
    expect(info.kernels.map((k) => k.name)).toEqual(['Conv2DBackpropInput']);
    tf.dispose([dy, f]);
  });

  it('replaced the kernels installed before (kept reachable for benchmarks)', async () => {
    await selectBackend('wasm');
    for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput']) {
      expect(stockWasmKernel(name), name).toBeTypeOf('function');
      expect(tf.getKernel(name, 'wasm')?.kernelFunc).not.toBe(stockWasmKernel(name));
    }
  });
});

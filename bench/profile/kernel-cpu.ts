/**
 * CPU time of single wasm kernels at the text workloads' shapes, ours vs tfjs-backend-wasm's stock
 * kernel where core replaced it (process.cpuUsage: robust on a loaded machine, one thread).
 *   pnpm exec tsx bench/profile/kernel-cpu.ts [--reps 5] [--only Equal]
 */
import { parseArgs } from 'node:util';
import { embeddingBag, embeddingBagSimd, selectBackend, stockWasmKernel, tf } from '@dlkit/core';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' }, only: { type: 'string' } } });
const reps = Number(values.reps);

type Case = { name: string; kernel: string; make: () => tf.Tensor[]; run: (xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };
const n = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
const ids = (shape: number[], vocab: number) => tf.randomUniform(shape, 0, vocab, 'int32', 5);
const CASES: Case[] = [
  { name: 'Equal [64,200,100] [64,1,100]', kernel: 'Equal', make: () => [n([64, 200, 100], 1), n([64, 1, 100], 2)], run: ([a, b]) => tf.equal(a!, b!) },
  { name: 'Multiply [64,200,100] [64,1,100]', kernel: 'Multiply', make: () => [n([64, 200, 100], 1), n([64, 1, 100], 2)], run: ([a, b]) => tf.mul(a!, b!) },
  { name: 'Multiply [64,200,32] [64,200,1]', kernel: 'Multiply', make: () => [n([64, 200, 32], 1), n([64, 200, 1], 2)], run: ([a, b]) => tf.mul(a!, b!) },
  { name: 'Add [64,200,64] [200,64]', kernel: 'Add', make: () => [n([64, 200, 64], 1), n([200, 64], 2)], run: ([a, b]) => tf.add(a!, b!) },
  { name: 'Add [64,200,64] [64]', kernel: 'Add', make: () => [n([64, 200, 64], 1), n([64], 2)], run: ([a, b]) => tf.add(a!, b!) },
  { name: 'Add [20000,32] [20000,32]', kernel: 'Add', make: () => [n([20000, 32], 1), n([20000, 32], 2)], run: ([a, b]) => tf.add(a!, b!) },
  { name: 'Sub [64,200,64] [64,200,1]', kernel: 'Sub', make: () => [n([64, 200, 64], 1), n([64, 200, 1], 2)], run: ([a, b]) => tf.sub(a!, b!) },
  { name: 'RealDiv [64,200,64] [64,200,1]', kernel: 'RealDiv', make: () => [n([64, 200, 64], 1), n([64, 200, 1], 2)], run: ([a, b]) => tf.div(a!, b!) },
  { name: 'Add [64,4,200,200] [64,1,1,200]', kernel: 'Add', make: () => [n([64, 4, 200, 200], 1), n([64, 1, 1, 200], 2)], run: ([a, b]) => tf.add(a!, b!) },
  { name: 'Equal [64,200,100] [64,200,100]', kernel: 'Equal', make: () => [n([64, 200, 100], 1), n([64, 200, 100], 2)], run: ([a, b]) => tf.equal(a!, b!) },
  { name: 'NotEqual [64,200] []', kernel: 'NotEqual', make: () => [ids([64, 200], 5), tf.scalar(0, 'int32')], run: ([a, b]) => tf.notEqual(a!, b!) },
  { name: 'conv1d k5 forward [64,200,64] [5,64,100]', kernel: 'Conv2D', make: () => [n([64, 200, 64], 1), n([5, 64, 100], 2)], run: ([x, w]) => tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, 'same') },
  { name: 'conv1d k5 filter grad', kernel: 'Conv2D', make: () => [n([64, 200, 64], 1), n([5, 64, 100], 2), n([64, 200, 100], 3)], run: ([x, w, dy]) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(x as tf.Tensor3D, v as tf.Tensor3D, 1, 'same'), dy!)))(w!) },
  // The general filter gradient (conv2d with the dy batch as its filter), for the A/B.
  {
    name: 'conv1d k5 filter grad, general conv2d formulation only',
    kernel: 'Conv2D',
    make: () => [n([64, 1, 204, 64], 1), n([64, 1, 200, 100], 3)],
    run: ([xp, dy]) => {
      const xt = tf.transpose(xp!, [3, 1, 2, 0]) as tf.Tensor4D;
      const dyt = tf.transpose(dy!, [1, 2, 0, 3]) as tf.Tensor4D;
      return tf.transpose(tf.conv2d(xt, dyt, 1, 'valid'), [1, 2, 0, 3]);
    },
  },
  { name: 'conv1d k5 input grad', kernel: 'Conv2D', make: () => [n([64, 200, 64], 1), n([5, 64, 100], 2), n([64, 200, 100], 3)], run: ([x, w, dy]) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(v as tf.Tensor3D, w as tf.Tensor3D, 1, 'same'), dy!)))(x!) },
  { name: 'Unpack [200,64,64] (LSTM input sequence)', kernel: 'Unpack', make: () => [n([200, 64, 64], 1)], run: ([a]) => tf.unstack(a!) },
  { name: 'Slice [13056,100] rows 0..13052', kernel: 'Slice', make: () => [n([13056, 100], 1)], run: ([a]) => tf.slice(a!, [0, 0], [13052, 100]) },
  { name: 'Slice [64,13056] columns 2..13054', kernel: 'Slice', make: () => [n([64, 13056], 1)], run: ([a]) => tf.slice(a!, [0, 2], [64, 13052]) },
  { name: 'BatchMatMul [256,200,16] x [256,16,200] (attention scores)', kernel: 'BatchMatMul', make: () => [n([256, 200, 16], 1), n([256, 16, 200], 2)], run: ([a, b]) => tf.matMul(a!, b!) },
  { name: 'BatchMatMul [256,200,200] x [256,200,16] (attention values)', kernel: 'BatchMatMul', make: () => [n([256, 200, 200], 1), n([256, 200, 16], 2)], run: ([a, b]) => tf.matMul(a!, b!) },
  { name: 'GatherV2 [20000,64] [64,200]', kernel: 'GatherV2', make: () => [n([20000, 64], 1), ids([64, 200], 20000)], run: ([a, b]) => tf.gather(a!, b!) },
  // The DCGAN's strided discriminator convs and the MNIST CNN's 1-channel first layer (kernels/wasm/conv-grad.ts).
  ...convGradCases('DCGAN D conv1 4x4/2', [64, 28, 28, 1], [4, 4, 1, 16], 2, 'same'),
  ...convGradCases('DCGAN D conv2 4x4/2', [64, 14, 14, 16], [4, 4, 16, 32], 2, 'same'),
  ...convGradCases('MNIST conv1 3x3', [64, 28, 28, 1], [3, 3, 1, 32], 1, 'valid'),
  ...convGradCases('MNIST conv2 3x3 32->64', [64, 13, 13, 32], [3, 3, 32, 64], 1, 'valid'),
  ...convGradCases('DCGAN G hidden 3x3 32->16', [64, 14, 14, 32], [3, 3, 32, 16], 1, 'same'),
  ...convGradCases('DCGAN G out 3x3 16->1 (dW: few-output taps, dx: forward-op)', [64, 28, 28, 16], [3, 3, 16, 1], 1, 'same'),
  {
    name: 'ResizeNearestNeighborGrad [64,28,28,16] -> [64,14,14,16]',
    kernel: 'ResizeNearestNeighborGrad',
    make: () => [n([64, 14, 14, 16], 1), n([64, 28, 28, 16], 2)],
    run: ([x, dy]) => tf.engine().runKernel('ResizeNearestNeighborGrad', { images: x!, dy: dy! }, { alignCorners: false, halfPixelCenters: false }) as tf.Tensor,
  },
  // fastText's sentence vector: the fused op vs the same maths as tfjs ops (what BagOfEmbeddings ran before).
  { name: 'embeddingBag mean [20000,32] [64,200] (fused)', kernel: 'DlkitEmbeddingBag', make: () => [n([20000, 32], 1), ids([64, 200], 20000)], run: ([t, b]) => embeddingBag(t as tf.Tensor2D, b as tf.Tensor2D, { paddingId: 0 }) },
  { name: 'embeddingBag mean [20000,32] [64,200] as gather + mask + sum + div', kernel: 'GatherV2', make: () => [n([20000, 32], 1), ids([64, 200], 20000)], run: ([t, b]) => bagOps(t!, b!) },
  { name: 'embeddingBag mean gradient (fused)', kernel: 'DlkitEmbeddingBagGrad', make: () => [n([20000, 32], 1), ids([64, 200], 20000), n([64, 32], 2)], run: ([t, b, w]) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(embeddingBag(v as tf.Tensor2D, b as tf.Tensor2D, { paddingId: 0 }), w!)))(t!) },
  { name: 'embeddingBag mean gradient as tfjs ops', kernel: 'GatherV2', make: () => [n([20000, 32], 1), ids([64, 200], 20000), n([64, 32], 2)], run: ([t, b, w]) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(bagOps(v, b!), w!)))(t!) },
];

function convGradCases(name: string, xShape: number[], fShape: number[], stride: number, pad: 'same' | 'valid'): Case[] {
  const attrs = { strides: stride, pad, dataFormat: 'NHWC' };
  const dyShape = (x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad).shape;
  return [
    {
      name: `Conv2DBackpropFilter ${name} x${JSON.stringify(xShape)}`,
      kernel: 'Conv2DBackpropFilter',
      make: () => { const x = n(xShape, 1); const f = n(fShape, 2); return [x, n(tf.tidy(() => dyShape(x, f)), 3)]; },
      run: ([x, dy]) => tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, { ...attrs, filterShape: fShape } as unknown as tf.NamedAttrMap) as tf.Tensor,
    },
    {
      name: `Conv2DBackpropInput ${name} x${JSON.stringify(xShape)}`,
      kernel: 'Conv2DBackpropInput',
      make: () => { const x = n(xShape, 1); const f = n(fShape, 2); const dy = n(tf.tidy(() => dyShape(x, f)), 3); x.dispose(); return [f, dy]; },
      run: ([f, dy]) => tf.engine().runKernel('Conv2DBackpropInput', { dy: dy!, filter: f! }, { ...attrs, inputShape: xShape } as unknown as tf.NamedAttrMap) as tf.Tensor,
    },
  ];
}

function bagOps(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const keep = tf.cast(tf.notEqual(ids, 0), 'float32');
  const sum = tf.sum(tf.mul(tf.gather(table, ids), tf.expandDims(keep, -1)), 1);
  return tf.div(sum, tf.maximum(tf.sum(keep, 1, true), 1));
}

function cpuMs(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

await selectBackend('wasm');
for (const c of CASES) {
  if (values.only && !c.name.startsWith(values.only)) continue;
  const inputs = c.make();
  const measure = (): number => {
    tf.dispose(c.run(inputs)); // warm-up
    const t: number[] = [];
    for (let i = 0; i < reps; i++) t.push(cpuMs(() => tf.dispose(c.run(inputs))));
    return t.sort((p, q) => p - q)[Math.floor(reps / 2)]!;
  };
  const ours = measure();
  const stock = stockWasmKernel(c.kernel);
  let line = `${c.name}: ${ours.toFixed(2)} ms CPU`;
  if (stock) {
    const config = tf.getKernel(c.kernel, 'wasm')!;
    tf.unregisterKernel(c.kernel, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: stock as unknown as tf.KernelFunc });
    const s = measure();
    tf.unregisterKernel(c.kernel, 'wasm');
    tf.registerKernel(config);
    line += ` (stock ${s.toFixed(2)} ms, ${(s / ours).toFixed(1)}x)`;
  }
  if (c.kernel.startsWith('DlkitEmbeddingBag') && embeddingBagSimd()) {
    // The fused kernel's WebAssembly SIMD loops against its JS loops.
    embeddingBagSimd(false);
    const js = measure();
    embeddingBagSimd(true);
    line += ` (JS loops ${js.toFixed(2)} ms, ${(js / ours).toFixed(1)}x)`;
  }
  console.log(line);
  tf.dispose(inputs);
}

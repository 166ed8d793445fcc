/**
 * tfjs-backend-webgpu 4.22's rank ≥ 3 Transpose shader declares an f32 output and reads the input
 * with the type of its *buffer*: an int32 or bool tensor, or a float32 one that Cast only
 * relabelled from int32/bool, makes invalid WGSL, and the result is whatever the output buffer
 * held. RNNs hit it with their padding mask ([batch, time, 1] → [time, batch, 1]): masked BiGRU/
 * BiLSTM models predicted garbage on WebGPU. The rank-2 transpose is a different, correct shader,
 * so a transpose that moves at most two axes of size > 1 runs as reshape → 2-D transpose →
 * reshape; the others keep the stock kernel.
 */
import { tf } from '../tf.js';

type Info = tf.TensorInfo;

/** The axes of size > 1, and where `perm` sends them as a permutation of those axes alone. */
function significant(shape: readonly number[], perm: readonly number[]): { dims: number[]; perm: number[] } {
  const kept = shape.map((d, i) => (d > 1 ? i : -1)).filter((i) => i >= 0);
  return { dims: kept.map((i) => shape[i]!), perm: perm.filter((a) => shape[a]! > 1).map((a) => kept.indexOf(a)) };
}

let installed = false;

export function installWebGpuTransposeFix(backend: string): string[] {
  const stock = tf.getKernel('Transpose', backend);
  const reshape = tf.getKernel('Reshape', backend);
  if (backend !== 'webgpu' || !stock || !reshape || installed) return [];
  installed = true;
  tf.unregisterKernel('Transpose', backend);
  tf.registerKernel({
    ...stock,
    kernelFunc: (args) => {
      const x = args.inputs.x as Info;
      const perm = (args.attrs as unknown as { perm: number[] }).perm;
      if (x.shape.length < 3) return stock.kernelFunc(args);
      const s = significant(x.shape, perm);
      if (s.dims.length > 2) return stock.kernelFunc(args);
      const outShape = perm.map((a) => x.shape[a]!);
      const to = (v: Info, shape: number[]) => reshape.kernelFunc({ inputs: { x: v }, attrs: { shape }, backend: args.backend }) as Info;
      const flat = to(x, s.dims);
      const moved = s.perm.length === 2 && s.perm[0] === 1 ? (stock.kernelFunc({ inputs: { x: flat }, attrs: { perm: [1, 0] }, backend: args.backend }) as Info) : flat;
      const out = to(moved, outShape);
      // Reshape shares the buffer; only the transposed copy (if any) is a new one to release.
      const be = args.backend as unknown as { disposeData(id: object): void };
      if (moved !== flat) be.disposeData(moved.dataId);
      be.disposeData(flat.dataId);
      return out;
    },
  });
  return ['Transpose of rank ≥ 3 on webgpu as a 2-D transpose when at most two axes have size > 1 (the stock shader is invalid WGSL for int/bool buffers)'];
}

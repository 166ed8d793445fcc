/**
 * Identity (tensor.clone(), and what tfjs-layers and the gradient tape use to pass a tensor on) and
 * Cast to the dtype a tensor already has (ReLU's gradient casts its float32 step mask) as a second
 * reference to the same heap data, as tfjs's cpu backend does, instead of a copy: tensors are
 * immutable and no wasm kernel writes into its inputs. A DCGAN step made 57 such copies (up to
 * [64,14,14,16]), a CNN step copied its [64,26,26,32] ReLU mask.
 */
import type { KernelArgs, TensorInfo, WasmKernelFunc } from './backend-wasm.js';

export function identityShared(stock: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x!;
    if (x.dtype === 'string') return stock(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

export function castShared(stock: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x!;
    if (x.dtype === 'string' || args.attrs.dtype !== x.dtype) return stock(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

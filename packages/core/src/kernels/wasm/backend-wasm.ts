/** The few members of tfjs-backend-wasm's BackendWasm that our JS kernels use. */
import type { tf } from '../../tf.js';

export type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };

export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
}

export type KernelArgs = {
  inputs: Record<string, TensorInfo | undefined>;
  backend: WasmBackend;
  attrs: Record<string, unknown>;
};

export type WasmKernelFunc = (args: KernelArgs) => TensorInfo;

/** Float32 view of a tensor's data on the wasm heap. Take views only after the last makeOutput:
 *  an allocation can grow wasm memory and detach earlier views. */
export function f32(backend: WasmBackend, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

// Browser probes: the tfjs backends register themselves on import.
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf.js';
import type { BackendProbe } from './select.js';

export const platformName = 'browser' as const;

export function platformProbes(): BackendProbe[] {
  return [
    {
      name: 'webgpu',
      async probe() {
        const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
        if (!gpu) return { available: false, reason: 'navigator.gpu is missing (browser without WebGPU)' };
        const adapter = await gpu.requestAdapter();
        return adapter ? { available: true, reason: 'GPU adapter found' } : { available: false, reason: 'no GPU adapter' };
      },
    },
    {
      name: 'webgl',
      async probe() {
        const ok = tf.findBackendFactory('webgl') !== undefined && tf.env().getNumber('WEBGL_VERSION') > 0;
        return ok ? { available: true, reason: `WebGL ${tf.env().getNumber('WEBGL_VERSION')}` } : { available: false, reason: 'no WebGL context' };
      },
    },
    {
      name: 'wasm',
      async probe() {
        return { available: true, reason: 'WebAssembly', details: { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') } };
      },
    },
    { name: 'cpu', async probe() { return { available: true, reason: 'always available (plain JS)' }; } },
  ];
}

// Node probes. wasm and cpu always work; webgpu needs Dawn + an adapter; tensorflow needs a
// user-installed @tensorflow/tfjs-node(-gpu), which is never our dependency.
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../tf.js';
import { initNodeWebGPU } from './node-webgpu.js';
import type { BackendProbe, ProbeResult } from './select.js';
import { initWasmWithThreads, wantedWasmThreads } from './wasm-threads-node.js';

export const platformName = 'node' as const;

export function platformProbes(): BackendProbe[] {
  return [
    {
      name: 'webgpu',
      async probe() {
        const info = await initNodeWebGPU();
        return { available: info.available, reason: info.reason, details: info.adapter };
      },
    },
    {
      name: 'wasm',
      async probe() {
        const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
        // Initialised here, before tf.setBackend, because the thread count is fixed at init.
        const threads = await initWasmWithThreads(wantedWasmThreads());
        const plural = threads === 1 ? '1 thread (DLKIT_WASM_THREADS=auto for more)' : `${threads} threads`;
        return { available: true, reason: `WebAssembly${simd ? ' + SIMD' : ''}, ${plural}`, details: { simd, threads } };
      },
    },
    { name: 'cpu', async probe() { return { available: true, reason: 'always available (plain JS kernels)' }; } },
    { name: 'tensorflow', probe: probeTfjsNode },
  ];
}

async function probeTfjsNode(): Promise<ProbeResult> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      // A variable specifier keeps bundlers and tsc from requiring the optional package.
      const spec = pkg;
      await import(spec);
    } catch {
      continue;
    }
    if (!tf.findBackendFactory('tensorflow')) {
      return {
        available: false,
        reason: `${pkg} is installed but registered with a different @tensorflow/tfjs-core (install ${pkg}@${tf.version_core})`,
      };
    }
    return { available: true, reason: `${pkg} (libtensorflow${pkg.endsWith('gpu') ? ', CUDA' : ''})`, details: { package: pkg } };
  }
  return { available: false, reason: 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed (optional, user-installed)' };
}

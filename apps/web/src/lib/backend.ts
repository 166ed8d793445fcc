/**
 * Backend choice for the whole app: `?backend=` in the URL (the selector writes it), else auto
 * (webgpu → webgl → wasm → cpu, core's order). Switching reloads the page, because models and
 * tensors must be created after the backend is chosen.
 */
import { type BackendName, type BackendReport, selectBackend, tf } from '@dlkit/core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type Choice = (typeof CHOICES)[number];

// Vite fingerprints the binaries; tell tfjs-wasm where each one ended up.
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

// tfjs-wasm's threaded worker does not survive bundling (see vite.config.ts); stay single-threaded
// even when some host serves the page cross-origin isolated.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

export function requestedBackend(search = location.search): Choice {
  const b = new URLSearchParams(search).get('backend');
  return (CHOICES as readonly string[]).includes(b ?? '') ? (b as Choice) : 'auto';
}

let selection: Promise<BackendReport> | undefined;

/** Selects once per page load; an unavailable forced backend falls back to auto and says so. */
export function backend(): Promise<BackendReport & { fellBack?: string }> {
  selection ??= (async () => {
    const wanted = requestedBackend();
    try {
      return await selectBackend(wanted as BackendName);
    } catch (e) {
      if (wanted === 'auto') throw e;
      const report = await selectBackend('auto');
      return { ...report, fellBack: `${wanted} unavailable (${(e as Error).message.split('. ')[0]}); using ${report.selected}` };
    }
  })();
  return selection;
}

/** The URL of the current page with another backend. */
export function urlWithBackend(choice: Choice): string {
  const u = new URL(location.href);
  if (choice === 'auto') u.searchParams.delete('backend');
  else u.searchParams.set('backend', choice);
  return u.href;
}

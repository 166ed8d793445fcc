import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { modelFiles } from './server/model-files.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// COOP + COEP make the page cross-origin isolated: SharedArrayBuffer, so tfjs-wasm can use threads.
const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [modelFiles(repoRoot)],
  // localhost is a secure context, which WebGPU needs.
  server: { host: 'localhost', port: 5173, headers },
  preview: { host: 'localhost', port: 4173, headers },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { modelFiles } from './server/model-files.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// No COOP/COEP (cross-origin isolation) headers on purpose: they would enable tfjs-wasm's threaded
// build, whose blob worker looks up a global the bundler has renamed and dies with
// "e is not defined". Single-threaded SIMD wasm works; backend.ts also turns the flag off.
export default defineConfig({
  plugins: [modelFiles(repoRoot)],
  // localhost is a secure context, which WebGPU needs.
  server: { host: 'localhost', port: 5173 },
  preview: { host: 'localhost', port: 4173 },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
});

/**
 * Page entry bundled by test/browser.test.ts (esbuild, platform 'browser'). It imports
 * '@dlkit/core' the way an app would, so the `#platform` map must resolve to platform-browser.ts.
 * The wasm binaries are served by the test under /wasm/.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { checkAuto, checkBackend } from './checks.js';

setWasmPaths('/wasm/');

const api = { checkAuto, checkBackend };
(globalThis as unknown as { dlkitChecks: typeof api }).dlkitChecks = api;
document.title = 'dlkit-ready';

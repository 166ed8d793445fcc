/**
 * Multi-threaded tfjs-backend-wasm in Node. tfjs ships the threaded SIMD build but turns it off
 * in Node (tfjs issue #3830) because its loader starts Emscripten's pthread workers from `blob:`
 * URLs, which Node's worker_threads rejects. We start those workers from the same script text
 * with `eval: true`, hand them the module script by path instead of as a Blob, and unref them so
 * an idle pool does not keep the process alive. XNNPACK ops (conv, matmul) then use `threads`
 * threads; elementwise ops stay on the calling thread.
 *
 * tfjs also caps the pool at os.cpus().length / 2 (it assumes hyper-threading), so the core
 * count is reported doubled for the duration of the backend's initialisation.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DlkitError } from '../errors.js';
import { tf } from '../tf.js';

const require = createRequire(import.meta.url);

type WorkerCtor = typeof import('node:worker_threads').Worker;

let patched = false;

function wasmOutDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

/** Makes worker_threads accept tfjs's pthread workers (affects only `blob:` worker URLs). */
function patchWorkerThreads(): void {
  if (patched) return;
  patched = true;
  const wt = require('node:worker_threads') as { Worker: WorkerCtor };
  const out = wasmOutDir();
  // The .worker.js file is a CommonJS module exporting the worker source as a string whose
  // newlines must be escaped again, as tfjs does before making its Blob.
  const source = (require(join(out, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string }).wasmWorkerContents.replace(
    /\n/g,
    '\\n',
  );
  const moduleScript = join(out, 'tfjs-backend-wasm-threaded-simd.js');
  const Base = wt.Worker;
  class TfjsPthreadWorker extends Base {
    constructor(url: string | URL, options?: import('node:worker_threads').WorkerOptions) {
      const fromBlob = String(url).startsWith('blob:');
      super(fromBlob ? source : url, fromBlob ? { ...options, eval: true } : options);
      this.pthread = fromBlob;
      if (fromBlob) {
        // Keep the process alive only while the worker loads; an idle pool must not block exit.
        this.on('message', (m: { cmd?: string }) => {
          if (m?.cmd === 'loaded') this.unref();
        });
      }
    }
    private readonly pthread: boolean;
    // Emscripten refs a worker while its pthread runs, and XNNPACK's pool threads never end.
    // They only ever work while the main thread waits on them, so they need not keep Node alive.
    override ref(): void {
      if (!this.pthread) super.ref();
    }
    override postMessage(message: unknown, transfer?: readonly import('node:worker_threads').TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (m?.cmd === 'load' && typeof m.urlOrBlob !== 'string') m.urlOrBlob = moduleScript;
      super.postMessage(message, transfer as import('node:worker_threads').TransferListItem[]);
    }
  }
  wt.Worker = TfjsPthreadWorker as unknown as WorkerCtor;
}

/** DLKIT_WASM_THREADS: a count, or 'auto' for every core. Unset: 1 (see BENCHMARKS.md). */
export function wantedWasmThreads(): number {
  const v = process.env.DLKIT_WASM_THREADS?.trim().toLowerCase();
  if (!v) return 1;
  if (v === 'auto') return (require('node:os') as typeof import('node:os')).availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 8) {
    throw new DlkitError('INVALID_OPTION', `DLKIT_WASM_THREADS=${v} is not valid.`, { hint: "Use a whole number from 1 to 8, or 'auto'." });
  }
  return n;
}

let initialised: Promise<number> | undefined;

/** Initialises the wasm backend once with `threads` XNNPACK threads; returns the actual count. */
export function initWasmWithThreads(threads: number): Promise<number> {
  initialised ??= init(threads);
  return initialised;
}

async function init(threads: number): Promise<number> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as {
    setThreadsCount(n: number): void;
    getThreadsCount(): number;
  };
  if (threads > 1) {
    patchWorkerThreads();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  }
  wasm.setThreadsCount(Math.max(1, threads));
  const os = require('node:os') as { cpus: () => unknown[] };
  const cpus = os.cpus;
  os.cpus = () => {
    const c = cpus();
    return [...c, ...c];
  };
  try {
    // Engine.initializeBackend (internal) registers the backend without making it current.
    const engine = tf.engine() as unknown as { initializeBackend(name: string): { success: boolean | Promise<boolean> } };
    const ok = await engine.initializeBackend('wasm').success;
    if (!ok) throw new Error('tfjs could not initialise the wasm backend');
  } finally {
    os.cpus = cpus;
  }
  return wasm.getThreadsCount();
}

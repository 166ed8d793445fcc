/**
 * Backend selection: `selectBackend('auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu' | 'tensorflow')`
 * or DLKIT_BACKEND. Auto order — Node: webgpu (Dawn, only with an adapter) → wasm (SIMD) → cpu;
 * browser: webgpu → webgl → wasm → cpu. The report says what was chosen and why, and `doctor`
 * prints it. Kernel fixes are installed right after the backend is set, once.
 */
import { platformName, platformProbes } from '#platform';
import { type BackendName, env } from '../config.js';
import { DlkitError } from '../errors.js';
import { installBackpropKernels } from '../kernels/backprop-kernels.js';
import { installKernelFixes } from '../kernels/install.js';
import { installNumericPadFix } from '../kernels/numeric-pad.js';
import { installWasmKernels } from '../kernels/wasm/install.js';
import { installWebGpuTransposeFix } from '../kernels/webgpu-transpose.js';
import { tf } from '../tf.js';
import { checkOneOf } from '../validate.js';

export interface BackendStatus {
  name: Exclude<BackendName, 'auto'>;
  available: boolean;
  selected: boolean;
  reason: string;
  details?: Record<string, unknown>;
}

export interface BackendReport {
  requested: BackendName;
  selected: Exclude<BackendName, 'auto'>;
  platform: 'node' | 'browser';
  reason: string;
  backends: BackendStatus[];
  kernelFixes: string[];
}

export interface ProbeResult {
  available: boolean;
  reason: string;
  details?: Record<string, unknown>;
}

export interface BackendProbe {
  name: Exclude<BackendName, 'auto'>;
  /** Cheap check that also registers the tfjs backend when it can (imports it). */
  probe(): Promise<ProbeResult>;
}

const extraProbes = new Map<string, BackendProbe>();

/** Lets apps/tests add or replace a probe (e.g. a browser app forcing a custom webgpu device). */
export function registerBackendProbe(probe: BackendProbe): void {
  extraProbes.set(probe.name, probe);
}

function probes(): BackendProbe[] {
  const list = platformProbes().filter((p) => !extraProbes.has(p.name));
  return [...list, ...extraProbes.values()];
}

function autoOrder(): Exclude<BackendName, 'auto'>[] {
  return platformName === 'node' ? ['webgpu', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

let current: BackendReport | undefined;
let pending: Promise<BackendReport> | undefined;

/**
 * Choose and initialise a backend. Call before creating tensors: tensors created on one
 * backend are moved lazily, but our kernel fixes and memory tests assume one backend.
 */
export async function selectBackend(requested: BackendName = env.backend): Promise<BackendReport> {
  checkOneOf('backend', requested, ['auto', 'webgpu', 'webgl', 'wasm', 'cpu', 'tensorflow'] as const);
  const all = probes();
  const byName = new Map(all.map((p) => [p.name, p]));
  const statuses = new Map<string, BackendStatus>();

  const check = async (name: Exclude<BackendName, 'auto'>): Promise<BackendStatus> => {
    const cached = statuses.get(name);
    if (cached) return cached;
    const probe = byName.get(name);
    let status: BackendStatus;
    if (!probe) {
      status = { name, available: false, selected: false, reason: `not supported on ${platformName}` };
    } else {
      try {
        const r = await probe.probe();
        status = { name, available: r.available, selected: false, reason: r.reason, details: r.details };
      } catch (e) {
        status = { name, available: false, selected: false, reason: (e as Error).message.split('\n')[0]! };
      }
    }
    statuses.set(name, status);
    return status;
  };

  let chosen: BackendStatus | undefined;
  let why = '';
  if (requested === 'auto') {
    const skipped: string[] = [];
    for (const name of autoOrder()) {
      const s = await check(name);
      // A software WebGPU adapter (SwiftShader, lavapipe) emulates the GPU on the CPU and trains
      // over 100× slower than wasm here (see BENCHMARKS.md); auto skips it, DLKIT_BACKEND=webgpu still forces it.
      // Software WebGL (SwiftShader/llvmpipe behind ANGLE) likewise: the web demos ran 2-3x slower on it than on wasm.
      if ((name === 'webgpu' || name === 'webgl') && s.available && s.details?.software) {
        skipped.push(`${name}: software ${name === 'webgpu' ? 'adapter' : 'renderer'}, slower than wasm (force with DLKIT_BACKEND=${name})`);
        continue;
      }
      if (s.available && (await tf.setBackend(name))) {
        chosen = s;
        why = skipped.length ? `auto: ${name} is the first available; skipped ${skipped.join('; ')}` : `auto: ${name} is the first choice and available`;
        break;
      }
      skipped.push(`${name}: ${s.reason}`);
    }
  } else {
    const s = await check(requested);
    if (!s.available) {
      throw new DlkitError('BACKEND_UNAVAILABLE', `Backend "${requested}" is not available: ${s.reason}.`, {
        hint: backendHint(requested),
        details: { backend: requested },
      });
    }
    if (!(await tf.setBackend(requested))) {
      throw new DlkitError('BACKEND_UNAVAILABLE', `Backend "${requested}" failed to initialise.`, {
        hint: backendHint(requested),
      });
    }
    chosen = s;
    why = requested === env.backend ? `requested by DLKIT_BACKEND=${requested}` : 'requested';
  }
  if (!chosen) throw new DlkitError('BACKEND_UNAVAILABLE', 'No tfjs backend could be initialised.');
  await tf.ready();
  chosen.selected = true;
  // Fill in the rest of the table so doctor shows every backend.
  for (const name of ['webgpu', 'webgl', 'wasm', 'cpu', 'tensorflow'] as const) {
    if (!statuses.has(name) && (byName.has(name) || autoOrder().includes(name))) await check(name);
  }
  // The backprop kernels go on the chosen backend, so they follow the same DLKIT_KERNEL_FIXES switch.
  const kernelFixes = [...installKernelFixes()];
  if (kernelFixes.length) {
    kernelFixes.push(...installBackpropKernels(chosen.name));
    if (chosen.name === 'wasm') kernelFixes.push(...installWasmKernels());
    kernelFixes.push(...installWebGpuTransposeFix(chosen.name));
    // Last: it wraps whichever conv kernels the backend now has.
    kernelFixes.push(...installNumericPadFix(chosen.name));
  }
  current = {
    requested,
    selected: chosen.name,
    platform: platformName,
    reason: why,
    backends: [...statuses.values()],
    kernelFixes,
  };
  return current;
}

/** Select the configured backend once; later calls return the same report. */
export function ready(): Promise<BackendReport> {
  if (current && tf.getBackend() === current.selected) return Promise.resolve(current);
  if (!pending) {
    pending = selectBackend().finally(() => {
      pending = undefined;
    });
  }
  return pending;
}

/** The last selection, if any. */
export function backendReport(): BackendReport | undefined {
  return current;
}

function backendHint(name: BackendName): string {
  switch (name) {
    case 'tensorflow':
      return 'Install it yourself next to dlkit: `pnpm add @tensorflow/tfjs-node@4.22.0` (CPU) or `@tensorflow/tfjs-node-gpu@4.22.0` (CUDA 11.2 + cuDNN 8.1). It downloads libtensorflow at install, so it needs internet.';
    case 'webgpu':
      return 'WebGPU needs a GPU adapter: in Node a Vulkan driver (or a software one: Mesa ≥ 25 lavapipe, or VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json); in a browser, a WebGPU-enabled browser. Use DLKIT_BACKEND=auto to fall back.';
    case 'webgl':
      return 'WebGL exists only in browsers. Use DLKIT_BACKEND=auto.';
    default:
      return 'Use DLKIT_BACKEND=auto to pick what is available.';
  }
}

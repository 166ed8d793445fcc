import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * WebGPU in Node through Dawn (the `webgpu` npm package). tfjs-backend-webgpu registers itself
 * only if `navigator.gpu` exists when it is imported, so the order here matters:
 * Dawn globals → navigator.gpu → adapter check → import the backend.
 */
interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: unknown): Promise<AdapterLike | null>;
}

export interface NodeWebGPUInfo {
  available: boolean;
  reason: string;
  adapter?: { vendor: string; architecture: string; device: string; description: string; software: boolean };
}

let initialised: Promise<NodeWebGPUInfo> | undefined;

export function initNodeWebGPU(): Promise<NodeWebGPUInfo> {
  initialised ??= init();
  return initialised;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|cpu/i;

/**
 * On Linux Dawn needs the Vulkan loader; without it Dawn prints a native warning on stderr and
 * finds no adapter. Checking first gives a clean reason and keeps the CLI's output quiet.
 * Returns false only when we are sure the loader is absent.
 */
function vulkanLoaderPresent(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    '/usr/lib64',
    '/usr/lib',
    '/lib64',
    '/usr/local/lib',
  ];
  if (dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')))) return true;
  try {
    return /libvulkan\.so\.1/.test(execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }));
  } catch {
    return true; // cannot tell: let Dawn try
  }
}

/** Vulkan drivers announce themselves with ICD manifests; none means Dawn would find no adapter. */
function vulkanDriverPresent(): boolean {
  if (process.platform !== 'linux') return true;
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES || process.env.VK_ADD_DRIVER_FILES) return true;
  const xdgData = (process.env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':');
  const dirs = ['/etc/vulkan/icd.d', ...xdgData.map((d) => join(d, 'vulkan', 'icd.d')), join(process.env.HOME ?? '', '.local/share/vulkan/icd.d')];
  return dirs.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

async function init(): Promise<NodeWebGPUInfo> {
  if (!vulkanLoaderPresent()) {
    return {
      available: false,
      reason: 'no Vulkan loader (libvulkan.so.1): install a GPU driver with Vulkan support, or for a software adapter `apt-get install libvulkan1 chromium` and VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json',
    };
  }
  if (!vulkanDriverPresent()) {
    return {
      available: false,
      reason: 'no Vulkan driver (no ICD manifest in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d): install your GPU\'s Vulkan driver, or set VK_ICD_FILENAMES to a software ICD such as /usr/lib/chromium/vk_swiftshader_icd.json',
    };
  }
  let dawn: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    dawn = (await import('webgpu')) as unknown as typeof dawn;
  } catch (e) {
    return { available: false, reason: `the webgpu (Dawn) package failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
  // Dawn prints Vulkan probing failures on stderr when no driver exists; they are expected here.
  const gpu = dawn.create([]);
  let adapter: AdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { available: false, reason: `requestAdapter failed: ${(e as Error).message}` };
  }
  if (!adapter) {
    return {
      available: false,
      reason: 'no WebGPU adapter (no Vulkan driver found; install a GPU driver or set VK_ICD_FILENAMES to a software ICD)',
    };
  }
  Object.assign(globalThis, dawn.globals);
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  if (!g.navigator) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }
  Object.defineProperty(g.navigator!, 'gpu', { value: gpu, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  const i = adapter.info ?? {};
  const info = {
    vendor: i.vendor ?? '',
    architecture: i.architecture ?? '',
    device: i.device ?? '',
    description: i.description ?? '',
    software: false,
  };
  info.software = Boolean(adapter.isFallbackAdapter) || SOFTWARE.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
  const name = [info.vendor, info.architecture, info.device || info.description].filter(Boolean).join(' ');
  return { available: true, reason: `adapter ${name || 'found'}${info.software ? ' (software)' : ''}`, adapter: info };
}

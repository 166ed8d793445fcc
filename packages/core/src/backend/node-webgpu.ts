import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * Vulkan drivers announce themselves with ICD manifests. Some cannot give Dawn an adapter: Mesa's
 * hardware drivers without a /dev/dri render node (containers, CI), and lavapipe older than Mesa
 * 25 (Vulkan < 1.4; Dawn rejects it), which Debian's chromium pulls in. Dawn would only print
 * native warnings for those, so they do not count. An explicit VK_ICD_FILENAMES always counts.
 */
function usableVulkanDriverPresent(): boolean {
  if (process.platform !== 'linux') return true;
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES || process.env.VK_ADD_DRIVER_FILES) return true;
  const xdgData = (process.env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':');
  const dirs = ['/etc/vulkan/icd.d', ...xdgData.map((d) => join(d, 'vulkan', 'icd.d')), join(process.env.HOME ?? '', '.local/share/vulkan/icd.d')];
  let renderNode = false;
  try {
    renderNode = readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
  } catch {}
  const MESA_HARDWARE = /^(intel|intel_hasvk|radeon|nouveau|freedreno|panfrost|broadcom|asahi|virtio|powervr|lima)_icd/;
  return dirs.some((d) => {
    let files: string[];
    try {
      files = readdirSync(d).filter((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
    return files.some((f) => {
      if (MESA_HARDWARE.test(f)) return renderNode;
      if (f.startsWith('lvp_icd')) {
        try {
          const api = (JSON.parse(readFileSync(join(d, f), 'utf8')) as { ICD?: { api_version?: string } }).ICD?.api_version ?? '0.0';
          const [major = 0, minor = 0] = api.split('.').map(Number);
          return major > 1 || (major === 1 && minor >= 4);
        } catch {
          return true;
        }
      }
      return true; // nvidia, amdvlk, swiftshader, anything unknown: let Dawn try
    });
  });
}

async function init(): Promise<NodeWebGPUInfo> {
  if (!vulkanLoaderPresent()) {
    return {
      available: false,
      reason: 'no Vulkan loader (libvulkan.so.1): install a GPU driver with Vulkan support, or for a software adapter `apt-get install libvulkan1 chromium` and VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json',
    };
  }
  if (!usableVulkanDriverPresent()) {
    return {
      available: false,
      reason: 'no usable Vulkan driver (no ICD manifest for a GPU present, and no lavapipe from Mesa ≥ 25): install your GPU\'s Vulkan driver, or set VK_ICD_FILENAMES to a software ICD such as /usr/lib/chromium/vk_swiftshader_icd.json',
    };
  }
  let dawn: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    dawn = (await import('webgpu')) as unknown as typeof dawn;
  } catch (e) {
    return { available: false, reason: `the webgpu (Dawn) package failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
  // Mesa's Vulkan WSI prints an error on stderr when XDG_RUNTIME_DIR is unset; we draw nothing
  // on screen, so any existing directory will do.
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
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

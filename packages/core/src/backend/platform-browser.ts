/**
 * Browser probes for `selectBackend` (chosen through the `#platform` import map's `default`
 * condition). Auto order, set in select.ts: webgpu → webgl → wasm → cpu. No Node imports here:
 * this file ends up in every browser bundle.
 *
 * The tfjs backends register themselves on import; tfjs-backend-webgpu only when `navigator.gpu`
 * exists at that moment (a secure context: https or http://localhost / 127.0.0.1).
 */
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf.js';
import type { BackendProbe, ProbeResult } from './select.js';

export const platformName = 'browser' as const;

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** Chrome ≥ 136 moved the flag here from the adapter. */
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?(): Promise<AdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<AdapterLike | null>;
}

/** Same test as the Node path (node-webgpu.ts): software rasterisers emulate the GPU on the CPU. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|cpu/i;

export function platformProbes(): BackendProbe[] {
  return [
    { name: 'webgpu', probe: probeWebGPU },
    { name: 'webgl', probe: probeWebGL },
    { name: 'wasm', probe: probeWasm },
    { name: 'cpu', probe: async () => ({ available: true, reason: 'always available (plain JS kernels)' }) },
  ];
}

async function probeWebGPU(): Promise<ProbeResult> {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  if (!nav?.gpu) {
    const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
    return {
      available: false,
      reason:
        secure === false
          ? 'navigator.gpu is missing: WebGPU needs a secure context (https, or http://localhost)'
          : 'navigator.gpu is missing (this browser has no WebGPU, or it is disabled)',
    };
  }
  if (!tf.findBackendFactory('webgpu')) {
    return { available: false, reason: 'tfjs-backend-webgpu did not register (navigator.gpu appeared after it was imported)' };
  }
  // Ask the way tfjs-backend-webgpu will, so the adapter we describe is the one it gets.
  const powerPreference = flag('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
  let adapter: AdapterLike | null;
  try {
    adapter = await nav.gpu.requestAdapter({ powerPreference });
  } catch (e) {
    return { available: false, reason: `requestAdapter failed: ${(e as Error).message}` };
  }
  if (!adapter) return { available: false, reason: 'no WebGPU adapter (the browser blocks this GPU, or has none)' };
  let i: AdapterInfoLike = adapter.info ?? {};
  if (!adapter.info && adapter.requestAdapterInfo) i = await adapter.requestAdapterInfo().catch(() => ({}));
  const info = {
    vendor: i.vendor ?? '',
    architecture: i.architecture ?? '',
    device: i.device ?? '',
    description: i.description ?? '',
    isFallbackAdapter: Boolean(adapter.isFallbackAdapter ?? i.isFallbackAdapter),
    software: false,
  };
  info.software = info.isFallbackAdapter || SOFTWARE.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
  const name = [info.vendor, info.architecture, info.device || info.description].filter(Boolean).join(' ');
  return { available: true, reason: `adapter ${name || 'found'}${info.software ? ' (software)' : ''}`, details: info };
}

function flag(name: string): boolean {
  try {
    return tf.env().getBool(name);
  } catch {
    return false; // flag not registered by this tfjs build
  }
}

async function probeWebGL(): Promise<ProbeResult> {
  if (!tf.findBackendFactory('webgl')) return { available: false, reason: 'tfjs-backend-webgl is not registered' };
  // WEBGL_VERSION creates a throwaway context; 0 means the browser refused (blocklist, no GPU process).
  const version = tf.env().getNumber('WEBGL_VERSION');
  if (version <= 0) return { available: false, reason: 'no WebGL context (disabled or blocklisted in this browser)' };
  const float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
  const renderer = webglRenderer(version);
  const software = SOFTWARE.test(renderer);
  return {
    available: true,
    reason: `WebGL ${version}${renderer ? ` (${renderer})` : ''}${float32 ? '' : ', 16-bit float textures only'}`,
    details: { version, renderer, float32, software },
  };
}

function webglRenderer(version: number): string {
  const doc = (globalThis as { document?: { createElement(tag: 'canvas'): HTMLCanvasElement } }).document;
  if (!doc) return ''; // worker without OffscreenCanvas lookup: the renderer is only informational
  try {
    const gl = doc.createElement('canvas').getContext(version >= 2 ? 'webgl2' : 'webgl') as WebGLRenderingContext | null;
    if (!gl) return '';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext(); // browsers cap live contexts (~16)
    return r;
  } catch {
    return '';
  }
}

async function probeWasm(): Promise<ProbeResult> {
  if (typeof WebAssembly !== 'object') return { available: false, reason: 'WebAssembly is not supported by this browser' };
  if (!tf.findBackendFactory('wasm')) return { available: false, reason: 'tfjs-backend-wasm is not registered' };
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // Threads need SharedArrayBuffer, i.e. a cross-origin-isolated page (COOP + COEP headers).
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return {
    available: true,
    reason: `WebAssembly${simd ? ' + SIMD' : ''}${threads ? ' + threads' : ', 1 thread (page not cross-origin isolated)'}`,
    details: { simd, threads },
  };
}

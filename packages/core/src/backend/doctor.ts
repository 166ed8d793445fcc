/**
 * `dlkit doctor`: what this machine can run. Backends (available / selected / why), the WebGPU
 * adapter, and the CUDA path: an NVIDIA driver, a CUDA runtime, and a user-installed
 * @tensorflow/tfjs-node-gpu — all three are needed for the `tensorflow` backend on GPU.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { env } from '../config.js';
import { tf } from '../tf.js';
import { type BackendReport, selectBackend } from './select.js';

export interface DoctorReport {
  node: string;
  platform: string;
  cpu: { model: string; cores: number };
  memoryGiB: number;
  tfjs: string;
  backend: BackendReport;
  cuda: { nvidiaDriver: string | null; gpus: string[]; cudaRuntime: string | null; tfjsNodeGpu: boolean; usable: boolean; hint?: string };
  vulkan: { icdFilenames: string | null };
  env: { dataDir: string | null; modelDir: string | null; cacheDir: string; offline: boolean; backend: string };
}

function nvidiaDriver(): string | null {
  try {
    const v = readFileSync('/proc/driver/nvidia/version', 'utf8');
    return /Kernel Module\s+([\d.]+)/.exec(v)?.[1] ?? v.split('\n')[0]!.trim();
  } catch {
    return null;
  }
}

function nvidiaGpus(): string[] {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  } catch {
    return [];
  }
}

function cudaRuntime(): string | null {
  try {
    const out = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /libcudart\.so\.([\d.]+)/.exec(out);
    if (m) return `libcudart ${m[1]}`;
  } catch {
    /* no ldconfig: fall through to the usual install path */
  }
  for (const dir of ['/usr/local/cuda/lib64', '/usr/lib/x86_64-linux-gnu']) {
    if (existsSync(`${dir}/libcudart.so`)) return `libcudart (${dir})`;
  }
  return null;
}

export async function doctor(): Promise<DoctorReport> {
  const backend = await selectBackend();
  const tensorflow = backend.backends.find((b) => b.name === 'tensorflow');
  const tfjsNodeGpu = Boolean(tensorflow?.available && String(tensorflow.details?.package ?? '').endsWith('-gpu'));
  const driver = nvidiaDriver();
  const runtime = cudaRuntime();
  const usable = Boolean(driver && runtime && tfjsNodeGpu);
  let hint: string | undefined;
  if (driver && !usable) {
    hint = `NVIDIA driver found. For CUDA training install a CUDA 11.2 runtime + cuDNN 8.1 and \`pnpm add @tensorflow/tfjs-node-gpu@${tf.version_core}\`, then DLKIT_BACKEND=tensorflow. WebGPU (Vulkan driver) works without CUDA.`;
  }
  const c = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: { model: c[0]?.model.trim() ?? 'unknown', cores: c.length },
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    tfjs: tf.version_core,
    backend,
    cuda: { nvidiaDriver: driver, gpus: nvidiaGpus(), cudaRuntime: runtime, tfjsNodeGpu, usable, hint },
    vulkan: { icdFilenames: process.env.VK_ICD_FILENAMES ?? null },
    env: { dataDir: env.dataDir ?? null, modelDir: env.modelDir ?? null, cacheDir: env.cacheDir, offline: env.offline, backend: env.backend },
  };
}

/**
 * Runtime configuration, read from DLKIT_* environment variables and overridable in code,
 * like transformers.js `env`: `env.offline = true`, `env.dataDir = '...'`.
 * This module must stay browser-safe: it touches `process` and `os` only when present.
 */
export type BackendName = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu' | 'tensorflow';

export interface DlkitEnv {
  /** Directory with pre-placed datasets (checked before the cache). DLKIT_DATA_DIR */
  dataDir: string | undefined;
  /** Directory with pre-placed pretrained models. DLKIT_MODEL_DIR */
  modelDir: string | undefined;
  /** Download cache. DLKIT_CACHE_DIR, default ~/.cache/dlkit */
  cacheDir: string;
  /** Never download; a would-be download is an error naming the URL. DLKIT_OFFLINE=1 */
  offline: boolean;
  /** Requested backend. DLKIT_BACKEND */
  backend: BackendName;
  /** transformers.js-style switch: allow fetching models from remote hosts. */
  allowRemoteModels: boolean;
  /** Progress output: 'auto' (bar on a TTY, JSON lines otherwise), 'bar', 'json', 'none'. DLKIT_PROGRESS */
  progress: 'auto' | 'bar' | 'json' | 'none';
}

const BACKENDS: readonly BackendName[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu', 'tensorflow'];

function readEnv(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.[name];
  return v === undefined || v === '' ? undefined : v;
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && !['0', 'false', 'no', 'off'].includes(v.toLowerCase());
}

function defaultCacheDir(): string {
  // No node:os import: this file is shared with browser bundles.
  const xdg = readEnv('XDG_CACHE_HOME');
  if (xdg) return `${xdg}/dlkit`;
  const home = readEnv('HOME') ?? readEnv('USERPROFILE');
  return home ? `${home}/.cache/dlkit` : '.cache/dlkit';
}

export function envFromProcess(): DlkitEnv {
  const backend = (readEnv('DLKIT_BACKEND') ?? 'auto').toLowerCase() as BackendName;
  const progress = (readEnv('DLKIT_PROGRESS') ?? 'auto').toLowerCase() as DlkitEnv['progress'];
  return {
    dataDir: readEnv('DLKIT_DATA_DIR'),
    modelDir: readEnv('DLKIT_MODEL_DIR'),
    cacheDir: readEnv('DLKIT_CACHE_DIR') ?? defaultCacheDir(),
    offline: truthy(readEnv('DLKIT_OFFLINE')),
    backend: BACKENDS.includes(backend) ? backend : 'auto',
    allowRemoteModels: !truthy(readEnv('DLKIT_OFFLINE')),
    progress: ['auto', 'bar', 'json', 'none'].includes(progress) ? progress : 'auto',
  };
}

/** The live configuration. Mutate fields to override the environment. */
export const env: DlkitEnv = envFromProcess();

/** Re-read DLKIT_* variables (tests change process.env between cases). */
export function reloadEnv(): DlkitEnv {
  Object.assign(env, envFromProcess());
  return env;
}

export { BACKENDS };

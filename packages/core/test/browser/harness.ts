/**
 * Node side of the browser test: bundle test/browser/entry.ts with esbuild (browser conditions,
 * so '#platform' → platform-browser.ts), serve it with the tfjs wasm binaries from 127.0.0.1
 * (a secure context, which WebGPU needs), and open it in a system Chromium via playwright-core.
 * Never downloads a browser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** SwiftShader gives headless Chromium a software WebGPU adapter and WebGL on machines without a GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--enable-features=Vulkan',
];

export async function bundleEntry(): Promise<{ js: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [join(here, 'entry.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { js: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

function wasmFiles(): Map<string, Buffer> {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dist)) if (name.endsWith('.wasm')) files.set(`/wasm/${name}`, readFileSync(join(dist, name)));
  return files;
}

const INDEX_HTML = '<!doctype html><html><head><meta charset="utf-8"><title>dlkit</title></head><body><script type="module" src="/entry.js"></script></body></html>';

/** Serves exactly three kinds of path (no file-system lookups from URLs): /, /entry.js, /wasm/*.wasm. */
export async function serve(js: string): Promise<{ server: Server; url: string }> {
  const files = new Map<string, { body: string | Buffer; type: string }>([
    ['/', { body: INDEX_HTML, type: 'text/html; charset=utf-8' }],
    ['/entry.js', { body: js, type: 'text/javascript; charset=utf-8' }],
  ]);
  for (const [path, body] of wasmFiles()) files.set(path, { body, type: 'application/wasm' });
  const server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    // COOP + COEP make the page cross-origin isolated: SharedArrayBuffer, so wasm can use threads.
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

export interface OpenPage {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors, for assertion messages. */
  errors: string[];
}

export async function openPage(executablePath: string, url: string): Promise<OpenPage> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'dlkit-ready' || document.title === 'dlkit-failed', undefined, { timeout: 20_000 });
  return { browser, page, errors };
}

/**
 * E2E harness: builds the app with Vite into a temp folder, serves it with `vite preview` on a
 * free localhost port (a secure context, so WebGPU is allowed), and drives Debian's Chromium via
 * playwright-core. Never downloads a browser; DLKIT_CHROMIUM overrides the path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';

export const webRoot = fileURLToPath(new URL('..', import.meta.url));
export const chromiumPath = process.env.DLKIT_CHROMIUM ?? '/usr/bin/chromium';

/** SwiftShader gives headless Chromium a software WebGPU adapter and WebGL without a GPU (as core's browser test). */
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

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function buildAndServe(): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'dlkit-web-'));
  const quiet = { root: webRoot, configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn' as const };
  await build({ ...quiet, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({ ...quiet, build: { outDir }, preview: { port: 0, strictPort: false, host: '127.0.0.1' } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return {
    url,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface Tab {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openTab(browser: Browser, url: string): Promise<Tab> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, errors };
}

/** Waits until the page says it is ready (or failed: then throws with its error text). */
export async function waitReady(tab: Tab, timeout = 120_000): Promise<void> {
  await tab.page.waitForSelector('main[data-state="ready"], main[data-state="error"]', { timeout });
  const state = await tab.page.getAttribute('main', 'data-state');
  if (state !== 'ready') {
    const text = await tab.page.textContent('main');
    throw new Error(`page failed: ${text}\n${tab.errors.join('\n')}`);
  }
}

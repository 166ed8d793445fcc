/**
 * The demo hub in a real browser: every page loads without console errors and gives the right
 * answer to a scripted input, once on the default (auto) backend and once on WebGPU (SwiftShader
 * in headless Chromium; DLKIT_REQUIRE_WEBGPU=1 makes a missing adapter a failure, not a skip).
 * Screenshots of every page land in apps/web/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVEN } from './fixtures/strokes.js';
import { buildAndServe, chromiumPath, launch, openTab, type Served, type Tab, waitReady, webRoot } from './harness.js';

const haveChromium = existsSync(chromiumPath);
const requireWebGPU = process.env.DLKIT_REQUIRE_WEBGPU === '1';
const shots = join(webRoot, 'screenshots');

async function draw(page: Page, strokes: [number, number][][]): Promise<void> {
  const box = (await page.locator('[data-testid=pad]').boundingBox())!;
  const s = box.width / 280;
  for (const stroke of strokes) {
    const [x0, y0] = stroke[0]!;
    await page.mouse.move(box.x + x0 * s, box.y + y0 * s);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x * s, box.y + y * s, { steps: 8 });
    await page.mouse.up();
  }
}

describe.skipIf(!haveChromium)(`apps/web in headless Chromium${haveChromium ? '' : ` — skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set DLKIT_CHROMIUM)`}`, () => {
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [served, browser] = await Promise.all([buildAndServe(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  for (const run of ['auto', 'webgpu'] as const) {
    describe(`backend ${run}`, () => {
      const query = run === 'auto' ? '' : `?backend=${run}`;
      const tabs: Tab[] = [];
      afterAll(async () => {
        await Promise.all(tabs.map((t) => t.page.close()));
      });

      /** Opens a page; on the webgpu run, skips (or fails under DLKIT_REQUIRE_WEBGPU) when the browser has no adapter. */
      async function open(route: string, skip: (why: string) => void): Promise<Tab> {
        const tab = await openTab(browser, `${served.url}${query}#/${route}`);
        tabs.push(tab);
        await tab.page.waitForSelector('#backend-badge', { timeout: 30_000 });
        const ran = await tab.page.getAttribute('#backend-badge', 'data-backend');
        if (run === 'webgpu' && ran !== 'webgpu') {
          const why = await tab.page.getAttribute('#backend-badge', 'title');
          if (requireWebGPU) throw new Error(`DLKIT_REQUIRE_WEBGPU=1 but the page ran on ${ran}: ${why}`);
          skip(`no WebGPU in this browser: ${why}`);
        }
        await waitReady(tab);
        return tab;
      }

      async function finish(tab: Tab, name: string): Promise<void> {
        const ran = await tab.page.getAttribute('[data-testid=ran-on]', 'data-backend');
        expect(ran, 'the page says which backend it ran on').toBe(await tab.page.getAttribute('#backend-badge', 'data-backend'));
        await tab.page.screenshot({ path: join(shots, `${name}-${run}.png`), fullPage: true });
        expect(tab.errors, 'console errors').toEqual([]);
      }

      it('hub lists every task from the registry and links the pages', async (ctx) => {
        const tab = await open('', (why) => ctx.skip(why));
        const tasks = await tab.page.$$eval('[data-task]', (els) => els.map((e) => (e as HTMLElement).dataset.task));
        expect(tasks).toEqual(expect.arrayContaining(['image-classification', 'reinforcement-learning']));
        expect(await tab.page.locator('a.task').count()).toBeGreaterThanOrEqual(1);
        await finish(tab, 'hub');
      });

      it('vision: a "7" drawn on the pad is classified 7 by models/mnist-cnn', async (ctx) => {
        const tab = await open('vision', (why) => ctx.skip(why));
        await draw(tab.page, SEVEN);
        await tab.page.waitForFunction(() => document.querySelector('[data-testid=top-label]')?.textContent !== undefined && document.querySelector('[data-testid=top-label]') !== null, undefined, { timeout: 30_000 });
        // The last prediction runs on pointerup; wait for it to settle.
        await tab.page.waitForTimeout(300);
        expect(await tab.page.textContent('[data-testid=top-label]')).toBe('7');
        expect(Number(await tab.page.getAttribute('[data-testid=perf]', 'data-ms'))).toBeGreaterThan(0);
        await finish(tab, 'vision');
      });
    });
  }
});

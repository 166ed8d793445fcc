/**
 * @dlkit/core in a real browser: headless Chromium (system install, driven by playwright-core)
 * loads an esbuild browser bundle of test/browser/entry.ts and runs backend selection and the
 * kernel-fix gradient checks on every browser backend, comparing each with cpu in the same page.
 * Skipped only when no Chromium exists (set DLKIT_CHROMIUM to its path). DLKIT_REQUIRE_WEBGPU=1
 * makes a missing browser WebGPU adapter a failure instead of a skip.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendSummary, checkAuto } from './browser/checks.js';
import { bundleEntry, type OpenPage, openPage, serve } from './browser/harness.js';

const chromiumPath = process.env.DLKIT_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const requireWebGPU = process.env.DLKIT_REQUIRE_WEBGPU === '1';
const TOLERANCE = 1e-3; // relative to the reference's largest magnitude

type AutoSummary = Awaited<ReturnType<typeof checkAuto>>;
type Checks = { checkAuto: typeof checkAuto; checkBackend: (b: string) => Promise<BackendSummary> };

describe.skipIf(!haveChromium)(
  `@dlkit/core in headless Chromium${haveChromium ? '' : ` — skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set DLKIT_CHROMIUM)`}`,
  () => {
    let server: Server | undefined;
    let open: OpenPage | undefined;
    let bundleInputs: string[] = [];
    let auto: AutoSummary;

    beforeAll(async () => {
      const bundle = await bundleEntry();
      bundleInputs = bundle.inputs;
      const served = await serve(bundle.js);
      server = served.server;
      open = await openPage(chromiumPath, served.url);
      auto = await call('checkAuto');
      console.info(`[browser] auto → ${auto.report.selected} (${auto.report.reason}); ${auto.report.backends.map((b) => `${b.name}: ${b.available ? 'yes' : 'no'} — ${b.reason}`).join('; ')}`);
    });

    afterAll(async () => {
      await open?.browser.close();
      if (server) await new Promise((resolve) => server!.close(resolve));
    });

    /** Calls a check in the page; page errors are attached to any failure. */
    async function call<K extends keyof Checks>(method: K, arg?: string): Promise<Awaited<ReturnType<Checks[K]>>> {
      try {
        return (await open!.page.evaluate(
          ([m, a]) => (globalThis as unknown as { dlkitChecks: Record<string, (a?: string) => Promise<unknown>> }).dlkitChecks[m]!(a),
          [method, arg] as const,
        )) as Awaited<ReturnType<Checks[K]>>;
      } catch (e) {
        throw new Error(`${(e as Error).message}\npage errors:\n${open!.errors.join('\n')}`);
      }
    }

    it('bundles the browser platform file, not the Node one (#platform → platform-browser.ts)', () => {
      expect(bundleInputs.some((p) => p.endsWith('src/backend/platform-browser.ts'))).toBe(true);
      // Relative to packages/core: none of the Node-only sources may reach a browser bundle.
      expect(bundleInputs.filter((p) => /^src\/(backend\/platform-node|backend\/node-webgpu|backend\/doctor|node\.ts|io\/)/.test(p))).toEqual([]);
    });

    it("selectBackend('auto') lists every browser backend and picks in the order webgpu → webgl → wasm → cpu", () => {
      const { report } = auto;
      expect(report.platform).toBe('browser');
      expect(report.backends.map((b) => b.name).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
      for (const b of report.backends) {
        expect(typeof b.available, b.name).toBe('boolean');
        expect(b.reason.length, `${b.name} has a reason`).toBeGreaterThan(0);
      }
      expect(report.backends.filter((b) => b.selected).map((b) => b.name)).toEqual([report.selected]);
      expect(auto.backend).toBe(report.selected);
      expect(report.kernelFixes.length).toBeGreaterThan(0);

      const status = new Map(report.backends.map((b) => [b.name, b]));
      const webgpu = status.get('webgpu')!;
      let expected: string | undefined;
      for (const name of ['webgpu', 'webgl', 'wasm', 'cpu'] as const) {
        const s = status.get(name)!;
        if ((name === 'webgpu' || name === 'webgl') && s.available && s.details?.software) continue;
        if (s.available) {
          expected = name;
          break;
        }
      }
      expect(report.selected).toBe(expected);
      if (webgpu.available) {
        // The adapter is described, and a software one (SwiftShader here) is skipped with a reason.
        expect(webgpu.details).toMatchObject({ vendor: expect.any(String), architecture: expect.any(String), software: expect.any(Boolean) });
        if (webgpu.details?.software) {
          expect(report.selected).not.toBe('webgpu');
          expect(report.reason).toMatch(/webgpu: software adapter/);
        } else {
          expect(report.selected).toBe('webgpu');
        }
      }
      expect(status.get('cpu')!.available).toBe(true);
      expect(status.get('wasm')!.available).toBe(true);
      expect(status.get('wasm')!.details).toMatchObject({ simd: true });
    });

    for (const backend of ['cpu', 'webgpu', 'webgl', 'wasm'] as const) {
      it(`${backend}: forward conv2d and conv2d/depthwise gradients match cpu, one SGD step lowers the loss, no leaked tensors`, async (ctx) => {
        const status = auto.report.backends.find((b) => b.name === backend)!;
        if (!status.available) {
          if (backend === 'webgpu' && requireWebGPU) {
            throw new Error(`DLKIT_REQUIRE_WEBGPU=1 but the browser has no WebGPU adapter: ${status.reason}`);
          }
          ctx.skip(`${backend} unavailable in this browser: ${status.reason}`);
        }
        const s = await call('checkBackend', backend);
        expect(s.report.selected).toBe(backend);
        expect(s.cases.length).toBe(12);
        expect(s.cpuVsStockErr.length).toBe(8);
        for (const errs of s.cpuVsStockErr) for (const err of errs) expect(err, 'cpu reference vs stock tfjs kernels').toBeLessThan(1e-5);
        for (const c of s.cases) {
          expect(c.forwardErr, `${backend} ${c.name} forward`).toBeLessThan(TOLERANCE);
          expect(c.gradErr.length, `${c.name} gradient count`).toBe(c.name.startsWith('chain') ? 3 : 2);
          for (const [k, err] of c.gradErr.entries()) expect(err, `${backend} ${c.name} gradient #${k}`).toBeLessThan(TOLERANCE);
        }
        expect(Math.abs(s.train.lossBefore - s.train.cpuLossBefore) / s.train.cpuLossBefore).toBeLessThan(TOLERANCE);
        expect(s.train.lossAfter, `loss ${s.train.lossBefore} → ${s.train.lossAfter}`).toBeLessThan(s.train.lossBefore);
        expect(s.tensorsAfter, 'tf.memory().numTensors back to baseline').toBe(s.tensorsBefore);
        expect(open!.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
        const worst = Math.max(...s.cases.flatMap((c) => [c.forwardErr, ...c.gradErr]));
        console.info(`[browser] ${backend}: max rel err ${worst.toExponential(1)}, loss ${s.train.lossBefore.toFixed(4)} → ${s.train.lossAfter.toFixed(4)}, ${Math.round(s.ms)} ms`);
      });
    }
  },
);

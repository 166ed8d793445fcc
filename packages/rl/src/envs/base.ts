/**
 * Shared plumbing of the built-in environments: a seeded core Rng (re-seeded by `reset(seed)`),
 * the "step after the episode ended" guard, and the render dispatch.
 */
import { DlkitError, Rng } from '@dlkit/core';
import type { Env, RenderMode, ResetResult, RgbFrame, StepResult } from '../env.js';
import type { BoxSpace, DiscreteSpace } from '../spaces.js';

export abstract class BaseEnv implements Env {
  abstract readonly id: string;
  abstract readonly observationSpace: BoxSpace;
  abstract readonly actionSpace: DiscreteSpace;
  protected rng: Rng;
  protected done = true;

  constructor(seed?: number) {
    this.rng = new Rng(seed ?? 0);
  }

  reset(seed?: number): ResetResult {
    if (seed !== undefined) {
      if (!Number.isInteger(seed)) throw new DlkitError('INVALID_OPTION', `Invalid seed ${seed}; expected an integer.`, { details: { option: 'seed' } });
      this.rng = new Rng(seed);
    }
    this.done = false;
    return { observation: this.doReset(), info: this.info() };
  }

  step(action: number): StepResult {
    if (this.done) {
      throw new DlkitError('STATE', `${this.id}: step() called on a finished episode (or before reset()).`, { hint: 'Call reset() first.' });
    }
    const n = this.actionSpace.n;
    if (!Number.isInteger(action) || action < 0 || action >= n) {
      throw new DlkitError('INVALID_INPUT', `${this.id}: invalid action ${action}; expected an integer in [0, ${n - 1}].`, {
        details: { action, n },
      });
    }
    const r = this.doStep(action);
    if (r.terminated || r.truncated) this.done = true;
    return r;
  }

  render(mode: 'text'): string;
  render(mode: 'rgb'): RgbFrame;
  render(mode: RenderMode): string | RgbFrame {
    if (mode === 'text') return this.renderText();
    if (mode === 'rgb') return this.renderRgb();
    throw new DlkitError('INVALID_OPTION', `Invalid render mode ${JSON.stringify(mode)}; expected "text" or "rgb".`, { details: { option: 'mode' } });
  }

  protected info(): Record<string, unknown> {
    return {};
  }
  protected abstract doReset(): Float32Array;
  protected abstract doStep(action: number): StepResult;
  protected abstract renderText(): string;
  protected abstract renderRgb(): RgbFrame;
}

/** A blank RGB canvas with tiny drawing helpers for the rgb renders. */
export class Canvas {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    bg: [number, number, number] = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.data.set(bg, i * 3);
  }
  set(x: number, y: number, c: readonly [number, number, number]): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    this.data.set(c, (yi * this.width + xi) * 3);
  }
  rect(x0: number, y0: number, w: number, h: number, c: readonly [number, number, number]): void {
    for (let y = Math.round(y0); y < Math.round(y0 + h); y++) for (let x = Math.round(x0); x < Math.round(x0 + w); x++) this.set(x, y, c);
  }
  line(x0: number, y0: number, x1: number, y1: number, c: readonly [number, number, number], thick = 1): void {
    const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    for (let i = 0; i <= n; i++) {
      const x = x0 + ((x1 - x0) * i) / n;
      const y = y0 + ((y1 - y0) * i) / n;
      for (let d = 0; d < thick; d++) this.set(x + d - (thick >> 1), y, c);
    }
  }
  frame(): RgbFrame {
    return { data: this.data, width: this.width, height: this.height };
  }
}

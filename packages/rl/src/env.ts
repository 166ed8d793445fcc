/**
 * The gym-like environment contract (Gymnasium ≥ 0.26 semantics): `reset(seed?)` →
 * `{observation, info}`, `step(action)` → `{observation, reward, terminated, truncated, info}`.
 * `terminated` = the MDP ended (bootstrap with 0); `truncated` = cut off by a time limit
 * (bootstrap from the next state). Observations are flat Float32Arrays of the Box's shape.
 */
import { DlkitError } from '@dlkit/core';
import type { BoxSpace, DiscreteSpace } from './spaces.js';

export type Info = Record<string, unknown>;

export interface ResetResult {
  observation: Float32Array;
  info: Info;
}

export interface StepResult {
  observation: Float32Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/** An RGB frame, row-major, 3 bytes per pixel. */
export interface RgbFrame {
  data: Uint8Array;
  width: number;
  height: number;
}

export type RenderMode = 'text' | 'rgb';

export interface Env {
  /** Registry id ('CartPole-v1') or any name for user environments. */
  readonly id: string;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: DiscreteSpace;
  reset(seed?: number): ResetResult;
  step(action: number): StepResult;
  render(mode: 'text'): string;
  render(mode: 'rgb'): RgbFrame;
  close?(): void;
}

/** Base for wrappers: forwards everything to the inner env. */
export class Wrapper implements Env {
  constructor(readonly env: Env) {}
  get id(): string {
    return this.env.id;
  }
  get observationSpace(): BoxSpace {
    return this.env.observationSpace;
  }
  get actionSpace(): DiscreteSpace {
    return this.env.actionSpace;
  }
  /** The innermost environment (for tests and tools that need its state). */
  get unwrapped(): Env {
    let e: Env = this.env;
    while (e instanceof Wrapper) e = e.env;
    return e;
  }
  reset(seed?: number): ResetResult {
    return this.env.reset(seed);
  }
  step(action: number): StepResult {
    return this.env.step(action);
  }
  render(mode: 'text'): string;
  render(mode: 'rgb'): RgbFrame;
  render(mode: RenderMode): string | RgbFrame {
    return mode === 'text' ? this.env.render('text') : this.env.render('rgb');
  }
  close(): void {
    this.env.close?.();
  }
}

/** Gym's TimeLimit: `truncated = true` after `maxEpisodeSteps` steps (unless terminated first). */
export class TimeLimit extends Wrapper {
  private elapsed = 0;
  private over = true;
  constructor(
    env: Env,
    readonly maxEpisodeSteps: number,
  ) {
    super(env);
  }
  override reset(seed?: number): ResetResult {
    this.elapsed = 0;
    this.over = false;
    return this.env.reset(seed);
  }
  override step(action: number): StepResult {
    if (this.over) {
      throw new DlkitError('STATE', `${this.id}: step() called on a finished episode (or before reset()).`, { hint: 'Call reset() first.' });
    }
    const r = this.env.step(action);
    this.elapsed++;
    if (this.elapsed >= this.maxEpisodeSteps) r.truncated = true; // as gym: even when also terminated
    if (r.terminated || r.truncated) this.over = true;
    return r;
  }
}

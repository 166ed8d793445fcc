/**
 * MountainCar-v0, exactly gym's MountainCarEnv (Moore 1990): actions push left / none / right,
 * velocity and position clipped, the left wall is inelastic (velocity reset to 0), reward −1
 * per step, terminated at position ≥ 0.5. The 200-step limit is a TimeLimit wrapper.
 */
import type { RgbFrame, StepResult } from '../env.js';
import { Box, Discrete } from '../spaces.js';
import { BaseEnv, Canvas } from './base.js';

export const MOUNTAIN_CAR = {
  minPosition: -1.2,
  maxPosition: 0.6,
  maxSpeed: 0.07,
  goalPosition: 0.5,
  goalVelocity: 0,
  force: 0.001,
  gravity: 0.0025,
} as const;

const height = (p: number) => Math.sin(3 * p) * 0.45 + 0.55;

export class MountainCarEnv extends BaseEnv {
  readonly id = 'MountainCar-v0';
  readonly actionSpace = Discrete(3);
  readonly observationSpace = Box([MOUNTAIN_CAR.minPosition, -MOUNTAIN_CAR.maxSpeed], [MOUNTAIN_CAR.maxPosition, MOUNTAIN_CAR.maxSpeed], [2]);
  /** [position, velocity] in float64. */
  state = new Float64Array(2);

  constructor(options: { seed?: number } = {}) {
    super(options.seed);
  }

  setState(s: ArrayLike<number>): void {
    this.state.set(s);
    this.done = false;
  }

  protected doReset(): Float32Array {
    this.state[0] = this.rng.uniform(-0.6, -0.4);
    this.state[1] = 0;
    return Float32Array.from(this.state);
  }

  protected doStep(action: number): StepResult {
    const { minPosition, maxPosition, maxSpeed, goalPosition, goalVelocity, force, gravity } = MOUNTAIN_CAR;
    let position = this.state[0]!;
    let velocity = this.state[1]!;
    velocity += (action - 1) * force + Math.cos(3 * position) * -gravity;
    velocity = Math.min(Math.max(velocity, -maxSpeed), maxSpeed);
    position += velocity;
    position = Math.min(Math.max(position, minPosition), maxPosition);
    if (position === minPosition && velocity < 0) velocity = 0;
    const terminated = position >= goalPosition && velocity >= goalVelocity;
    this.state[0] = position;
    this.state[1] = velocity;
    return { observation: Float32Array.from(this.state), reward: -1.0, terminated, truncated: false, info: {} };
  }

  protected renderText(): string {
    const W = 48;
    const H = 10;
    const { minPosition, maxPosition, goalPosition } = MOUNTAIN_CAR;
    const grid = Array.from({ length: H }, () => Array<string>(W).fill(' '));
    const toCol = (p: number) => Math.round(((p - minPosition) / (maxPosition - minPosition)) * (W - 1));
    const toRow = (p: number) => H - 1 - Math.round(height(p) * (H - 1));
    for (let c = 0; c < W; c++) {
      const p = minPosition + ((maxPosition - minPosition) * c) / (W - 1);
      grid[toRow(p)]![c] = '.';
    }
    grid[Math.max(0, toRow(goalPosition) - 1)]![toCol(goalPosition)] = 'F';
    const pos = this.state[0]!;
    grid[Math.max(0, toRow(pos) - 1)]![toCol(pos)] = 'C';
    return `${grid.map((r) => r.join('')).join('\n')}\nposition=${pos.toFixed(3)} velocity=${this.state[1]!.toFixed(4)}`;
  }

  protected renderRgb(): RgbFrame {
    const W = 150;
    const H = 100;
    const c = new Canvas(W, H);
    const { minPosition, maxPosition, goalPosition } = MOUNTAIN_CAR;
    const toX = (p: number) => ((p - minPosition) / (maxPosition - minPosition)) * (W - 1);
    const toY = (p: number) => H - 10 - height(p) * (H - 20);
    for (let x = 0; x < W; x++) {
      const p = minPosition + ((maxPosition - minPosition) * x) / (W - 1);
      c.set(x, toY(p), [0, 0, 0]);
    }
    c.line(toX(goalPosition), toY(goalPosition), toX(goalPosition), toY(goalPosition) - 12, [0, 0, 0]);
    c.rect(toX(goalPosition), toY(goalPosition) - 12, 6, 4, [204, 204, 0]);
    const pos = this.state[0]!;
    c.rect(toX(pos) - 4, toY(pos) - 6, 8, 5, [200, 0, 0]);
    return c.frame();
  }
}

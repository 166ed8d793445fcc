/**
 * Snake on a configurable board (default 9×9). Actions are relative to the heading
 * (0 turn left, 1 straight, 2 turn right), so the agent can never reverse into its own neck.
 * Observation 'grid': [H, W, 7] planes head, body, fruit, then the heading one-hot (up, right,
 * down, left) broadcast over the board; 'pixels': the rgb render at 1 px per cell, [H, W, 3]
 * in [0, 1] (body shaded by age so the heading is visible in one frame); 'features': what each
 * action leads to, from the snake's point of view (snake-features.ts).
 */
import { checkInt, checkNumber, checkOneOf } from '@dlkit/core';
import type { RgbFrame, StepResult } from '../env.js';
import { Box, type BoxSpace, Discrete } from '../spaces.js';
import { BaseEnv } from './base.js';
import { SNAKE_DX as DX, SNAKE_DY as DY, SNAKE_FEATURES, snakeFeatures } from './snake-features.js';

export interface SnakeOptions {
  width?: number;
  height?: number;
  observation?: 'grid' | 'pixels' | 'features';
  fruitReward?: number;
  deathReward?: number;
  /** Added every step that eats nothing (e.g. −0.01 to discourage dawdling). */
  stepReward?: number;
  /** Truncate the episode after this many steps without fruit (default 2·W·H). */
  maxStepsWithoutFruit?: number;
  initialLength?: number;
  seed?: number;
}

export class SnakeEnv extends BaseEnv {
  readonly id = 'Snake-v0';
  readonly actionSpace = Discrete(3);
  readonly observationSpace: BoxSpace;
  readonly width: number;
  readonly height: number;
  readonly options: Required<Omit<SnakeOptions, 'seed'>>;
  /** Cells as y*width+x, head first. */
  body: number[] = [];
  /** 0 up, 1 right, 2 down, 3 left. */
  direction = 1;
  /** Cell of the fruit, −1 when the board is full. */
  fruit = -1;
  fruits = 0;
  sinceFruit = 0;

  constructor(options: SnakeOptions = {}) {
    super(options.seed);
    const width = checkInt('width', options.width ?? 9, 4, 64);
    const height = checkInt('height', options.height ?? 9, 4, 64);
    const initialLength = checkInt('initialLength', options.initialLength ?? 3, 1, Math.floor(width / 2) + 1);
    this.options = {
      width,
      height,
      observation: checkOneOf('observation', options.observation ?? 'grid', ['grid', 'pixels', 'features'] as const),
      fruitReward: checkNumber('fruitReward', options.fruitReward ?? 1),
      deathReward: checkNumber('deathReward', options.deathReward ?? -1),
      stepReward: checkNumber('stepReward', options.stepReward ?? 0),
      maxStepsWithoutFruit: checkInt('maxStepsWithoutFruit', options.maxStepsWithoutFruit ?? 2 * width * height, 1),
      initialLength,
    };
    this.width = width;
    this.height = height;
    const shapes = { grid: [height, width, 7], pixels: [height, width, 3], features: [SNAKE_FEATURES] };
    this.observationSpace = Box(this.options.observation === 'features' ? -1 : 0, 1, shapes[this.options.observation]);
  }

  protected override info(): Record<string, unknown> {
    return { fruits: this.fruits, length: this.body.length };
  }

  protected doReset(): Float32Array {
    const cx = Math.floor(this.width / 2);
    const cy = Math.floor(this.height / 2);
    this.body = [];
    for (let i = 0; i < this.options.initialLength; i++) this.body.push(cy * this.width + cx - i);
    this.direction = 1;
    this.fruits = 0;
    this.sinceFruit = 0;
    this.placeFruit();
    return this.observe();
  }

  /** For tests: set the snake (head first), heading and fruit directly. */
  setState(body: number[], direction: number, fruit: number): void {
    this.body = [...body];
    this.direction = direction;
    this.fruit = fruit;
    this.done = false;
  }

  /** Uniform over the free cells, from the env's seeded Rng. */
  private placeFruit(): void {
    const occupied = new Set(this.body);
    const free: number[] = [];
    for (let c = 0; c < this.width * this.height; c++) if (!occupied.has(c)) free.push(c);
    this.fruit = free.length ? free[this.rng.int(free.length)]! : -1;
  }

  protected doStep(action: number): StepResult {
    const { fruitReward, deathReward, stepReward, maxStepsWithoutFruit } = this.options;
    this.direction = (this.direction + (action - 1) + 4) % 4;
    const head = this.body[0]!;
    const x = (head % this.width) + DX[this.direction]!;
    const y = Math.floor(head / this.width) + DY[this.direction]!;
    const end = (reward: number, death: string): StepResult => ({
      observation: this.observe(),
      reward,
      terminated: true,
      truncated: false,
      info: { ...this.info(), death },
    });
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return end(deathReward, 'wall');
    const next = y * this.width + x;
    const eats = next === this.fruit;
    // The tail moves away this step unless the snake grows, so moving into it is legal.
    const tail = eats ? undefined : this.body.pop();
    if (this.body.includes(next)) {
      if (tail !== undefined) this.body.push(tail);
      return end(deathReward, 'self');
    }
    this.body.unshift(next);
    if (eats) {
      this.fruits++;
      this.sinceFruit = 0;
      this.placeFruit();
      const won = this.fruit < 0;
      return { observation: this.observe(), reward: fruitReward, terminated: won, truncated: false, info: { ...this.info(), won } };
    }
    this.sinceFruit++;
    const truncated = this.sinceFruit >= maxStepsWithoutFruit;
    return { observation: this.observe(), reward: stepReward, terminated: false, truncated, info: this.info() };
  }

  private observe(): Float32Array {
    const n = this.width * this.height;
    if (this.options.observation === 'features') {
      const { width, height, body, direction, fruit, sinceFruit } = this;
      return snakeFeatures({ width, height, body, direction, fruit, sinceFruit, maxStepsWithoutFruit: this.options.maxStepsWithoutFruit });
    }
    if (this.options.observation === 'pixels') {
      const rgb = this.renderRgb().data;
      const out = new Float32Array(n * 3);
      for (let i = 0; i < out.length; i++) out[i] = rgb[i]! / 255;
      return out;
    }
    const out = new Float32Array(n * 7);
    this.body.forEach((c, i) => {
      out[c * 7 + (i === 0 ? 0 : 1)] = 1;
    });
    if (this.fruit >= 0) out[this.fruit * 7 + 2] = 1;
    for (let c = 0; c < n; c++) out[c * 7 + 3 + this.direction] = 1;
    return out;
  }

  protected renderText(): string {
    const rows: string[] = [`+${'-'.repeat(this.width)}+`];
    const cells = Array<string>(this.width * this.height).fill(' ');
    if (this.fruit >= 0) cells[this.fruit] = '*';
    this.body.forEach((c, i) => {
      cells[c] = i === 0 ? '@' : 'o';
    });
    for (let y = 0; y < this.height; y++) rows.push(`|${cells.slice(y * this.width, (y + 1) * this.width).join('')}|`);
    rows.push(`+${'-'.repeat(this.width)}+`, `fruits=${this.fruits} length=${this.body.length}`);
    return rows.join('\n');
  }

  protected renderRgb(): RgbFrame {
    const data = new Uint8Array(this.width * this.height * 3);
    if (this.fruit >= 0) data.set([255, 0, 0], this.fruit * 3);
    const len = this.body.length;
    this.body.forEach((c, i) => {
      // Head bright yellow-green, body fading from 230 to 90 green towards the tail.
      data.set(i === 0 ? [255, 255, 0] : [0, Math.round(230 - (140 * (i - 1)) / Math.max(1, len - 1)), 0], c * 3);
    });
    return { data, width: this.width, height: this.height };
  }
}


/**
 * Catch (Mnih et al. 2014's toy, bsuite-style) on a 10×10 grid: a ball falls one row per step
 * from a random column; a 3-wide paddle on the bottom row moves left / stays / moves right;
 * +1 if the paddle is under the ball when it lands, −1 otherwise. Pixel observation
 * [rows, cols, 1] (ball and paddle = 1), made for a CNN Q-network.
 */
import { checkInt } from '@dlkit/core';
import type { RgbFrame, StepResult } from '../env.js';
import { Box, type BoxSpace, Discrete } from '../spaces.js';
import { BaseEnv } from './base.js';

export interface CatchOptions {
  rows?: number;
  cols?: number;
  paddleWidth?: number;
  seed?: number;
}

export class CatchEnv extends BaseEnv {
  readonly id = 'Catch-v0';
  readonly actionSpace = Discrete(3);
  readonly observationSpace: BoxSpace;
  readonly rows: number;
  readonly cols: number;
  readonly paddleWidth: number;
  ballX = 0;
  ballY = 0;
  /** Left-most column of the paddle. */
  paddleX = 0;

  constructor(options: CatchOptions = {}) {
    super(options.seed);
    this.rows = checkInt('rows', options.rows ?? 10, 3, 100);
    this.cols = checkInt('cols', options.cols ?? 10, 3, 100);
    this.paddleWidth = checkInt('paddleWidth', options.paddleWidth ?? 3, 1, this.cols);
    this.observationSpace = Box(0, 1, [this.rows, this.cols, 1]);
  }

  protected doReset(): Float32Array {
    this.ballY = 0;
    this.ballX = this.rng.int(this.cols);
    this.paddleX = this.rng.int(this.cols - this.paddleWidth + 1);
    return this.observe();
  }

  protected doStep(action: number): StepResult {
    this.paddleX = Math.min(Math.max(this.paddleX + action - 1, 0), this.cols - this.paddleWidth);
    this.ballY++;
    if (this.ballY < this.rows - 1) return { observation: this.observe(), reward: 0, terminated: false, truncated: false, info: {} };
    const caught = this.ballX >= this.paddleX && this.ballX < this.paddleX + this.paddleWidth;
    return { observation: this.observe(), reward: caught ? 1 : -1, terminated: true, truncated: false, info: { caught } };
  }

  private observe(): Float32Array {
    const out = new Float32Array(this.rows * this.cols);
    for (let i = 0; i < this.paddleWidth; i++) out[(this.rows - 1) * this.cols + this.paddleX + i] = 1;
    out[this.ballY * this.cols + this.ballX] = 1;
    return out;
  }

  protected renderText(): string {
    const rows: string[] = [];
    for (let y = 0; y < this.rows; y++) {
      let line = '';
      for (let x = 0; x < this.cols; x++) {
        if (y === this.ballY && x === this.ballX) line += 'o';
        else if (y === this.rows - 1 && x >= this.paddleX && x < this.paddleX + this.paddleWidth) line += '=';
        else line += '.';
      }
      rows.push(line);
    }
    return rows.join('\n');
  }

  protected renderRgb(): RgbFrame {
    const data = new Uint8Array(this.rows * this.cols * 3);
    for (let i = 0; i < this.paddleWidth; i++) data.set([255, 255, 255], ((this.rows - 1) * this.cols + this.paddleX + i) * 3);
    data.set([255, 80, 80], (this.ballY * this.cols + this.ballX) * 3);
    return { data, width: this.cols, height: this.rows };
  }
}

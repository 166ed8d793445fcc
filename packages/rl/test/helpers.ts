// Test fixtures: tiny deterministic environments implementing the public Env interface.
import { Box, Discrete, type Env, type RgbFrame, type StepResult } from '../src/index.js';

/**
 * A 1-D chain: start at cell 0, actions 0 = left, 1 = right; reaching the last cell gives +1 and
 * ends the episode; −0.01 per other step; truncated after `limit` steps. Observation: one-hot cell.
 * Optimal return 1 − 0.01·(n − 2); a random walk rarely gets there in time.
 */
export class ChainEnv implements Env {
  readonly id = 'Chain';
  readonly actionSpace = Discrete(2);
  readonly observationSpace;
  pos = 0;
  t = 0;
  constructor(
    readonly n = 8,
    readonly limit = 20,
  ) {
    this.observationSpace = Box(0, 1, [n]);
  }
  private obs(): Float32Array {
    const o = new Float32Array(this.n);
    o[this.pos] = 1;
    return o;
  }
  reset(): { observation: Float32Array; info: Record<string, unknown> } {
    this.pos = 0;
    this.t = 0;
    return { observation: this.obs(), info: {} };
  }
  step(action: number): StepResult {
    this.pos = Math.max(0, Math.min(this.n - 1, this.pos + (action === 1 ? 1 : -1)));
    this.t++;
    const terminated = this.pos === this.n - 1;
    return { observation: this.obs(), reward: terminated ? 1 : -0.01, terminated, truncated: !terminated && this.t >= this.limit, info: {} };
  }
  render(mode: 'text'): string;
  render(mode: 'rgb'): RgbFrame;
  render(mode: 'text' | 'rgb'): string | RgbFrame {
    const s = Array.from({ length: this.n }, (_, i) => (i === this.pos ? 'A' : '.')).join('');
    return mode === 'text' ? s : { data: new Uint8Array(this.n * 3), width: this.n, height: 1 };
  }
}

/** Optimal return of ChainEnv(n). */
export const chainOptimum = (n: number) => 1 - 0.01 * (n - 2);

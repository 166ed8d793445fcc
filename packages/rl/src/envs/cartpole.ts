/**
 * CartPole-v1, exactly gym's CartPoleEnv (Barto, Sutton & Anderson 1983, with Florian 2007's
 * corrected equations): euler integration, 12° / 2.4 thresholds, reward 1 per step (also on
 * the terminating step). The 500-step limit is a TimeLimit wrapper, as in gym's registration.
 * The state is kept in float64 like gym; observations are float32.
 */
import type { RgbFrame, StepResult } from '../env.js';
import { Box, Discrete } from '../spaces.js';
import { BaseEnv, Canvas } from './base.js';

export const CARTPOLE = {
  gravity: 9.8,
  masscart: 1.0,
  masspole: 0.1,
  length: 0.5, // half the pole's length
  forceMag: 10.0,
  tau: 0.02,
  thetaThreshold: (12 * 2 * Math.PI) / 360,
  xThreshold: 2.4,
} as const;

export class CartPoleEnv extends BaseEnv {
  readonly id = 'CartPole-v1';
  readonly actionSpace = Discrete(2);
  readonly observationSpace;
  /** [x, xDot, theta, thetaDot] in float64. */
  state = new Float64Array(4);

  constructor(options: { seed?: number } = {}) {
    super(options.seed);
    const max = 3.4028234663852886e38;
    const high = [CARTPOLE.xThreshold * 2, max, CARTPOLE.thetaThreshold * 2, max];
    this.observationSpace = Box(
      high.map((h) => -h),
      high,
      [4],
    );
  }

  /** For tests and tools: put the system in a given state (the episode continues from it). */
  setState(s: ArrayLike<number>): void {
    this.state.set(s);
    this.done = false;
  }

  protected doReset(): Float32Array {
    for (let i = 0; i < 4; i++) this.state[i] = this.rng.uniform(-0.05, 0.05);
    return Float32Array.from(this.state);
  }

  protected doStep(action: number): StepResult {
    const { gravity, masscart, masspole, length, forceMag, tau, thetaThreshold, xThreshold } = CARTPOLE;
    const totalMass = masspole + masscart;
    const poleMassLength = masspole * length;
    let [x, xDot, theta, thetaDot] = this.state as unknown as [number, number, number, number];
    const force = action === 1 ? forceMag : -forceMag;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + poleMassLength * thetaDot ** 2 * sin) / totalMass;
    const thetaAcc = (gravity * sin - cos * temp) / (length * (4.0 / 3.0 - (masspole * cos ** 2) / totalMass));
    const xAcc = temp - (poleMassLength * thetaAcc * cos) / totalMass;
    x = x + tau * xDot;
    xDot = xDot + tau * xAcc;
    theta = theta + tau * thetaDot;
    thetaDot = thetaDot + tau * thetaAcc;
    this.state.set([x, xDot, theta, thetaDot]);
    const terminated = x < -xThreshold || x > xThreshold || theta < -thetaThreshold || theta > thetaThreshold;
    return { observation: Float32Array.from(this.state), reward: 1.0, terminated, truncated: false, info: {} };
  }

  protected renderText(): string {
    const [x, , theta] = this.state;
    const width = 49;
    const col = Math.max(0, Math.min(width - 1, Math.round(((x! + CARTPOLE.xThreshold) / (2 * CARTPOLE.xThreshold)) * (width - 1))));
    const pole = theta! > 0.07 ? '/' : theta! < -0.07 ? '\\' : '|';
    const row = (c: string) => `${' '.repeat(col)}${c}`;
    return [
      row(pole),
      row(pole),
      `${' '.repeat(Math.max(0, col - 1))}[#]`,
      '='.repeat(width),
      `x=${x!.toFixed(3)} θ=${((theta! * 180) / Math.PI).toFixed(2)}°`,
    ].join('\n');
  }

  protected renderRgb(): RgbFrame {
    const c = new Canvas(150, 100);
    const [x, , theta] = this.state;
    const scale = 150 / (2 * CARTPOLE.xThreshold);
    const cx = 75 + x! * scale;
    const cy = 70;
    c.line(0, cy + 5, 149, cy + 5, [0, 0, 0]);
    c.rect(cx - 10, cy - 3, 20, 8, [0, 0, 0]);
    const poleLen = 2 * CARTPOLE.length * scale;
    c.line(cx, cy - 3, cx + Math.sin(theta!) * poleLen, cy - 3 - Math.cos(theta!) * poleLen, [202, 152, 101], 3);
    c.set(cx, cy - 3, [129, 132, 203]);
    return c.frame();
  }
}

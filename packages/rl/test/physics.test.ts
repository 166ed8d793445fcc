// CartPole-v1 and MountainCar-v0 against reference transitions written out here from the
// published equations (Florian 2007's corrected cart-pole; Moore 1990's mountain car as in gym).
import { describe, expect, it } from 'vitest';
import { CartPoleEnv, MountainCarEnv, makeEnv, TimeLimit } from '../src/index.js';

/** Florian (2007) eq. 23–24 with friction 0, euler step of τ = 0.02, written independently. */
function cartpoleReference(s: number[], action: number): number[] {
  const g = 9.8;
  const mc = 1.0;
  const mp = 0.1;
  const l = 0.5;
  const F = action === 1 ? 10 : -10;
  const dt = 0.02;
  const [x, xd, th, thd] = s as [number, number, number, number];
  const thdd = (g * Math.sin(th) + Math.cos(th) * ((-F - mp * l * thd * thd * Math.sin(th)) / (mc + mp))) / (l * (4 / 3 - (mp * Math.cos(th) ** 2) / (mc + mp)));
  const xdd = (F + mp * l * (thd * thd * Math.sin(th) - thdd * Math.cos(th))) / (mc + mp);
  return [x + dt * xd, xd + dt * xdd, th + dt * thd, thd + dt * thdd];
}

function mountainCarReference(s: number[], action: number): number[] {
  let [p, v] = s as [number, number];
  v = v + (action - 1) * 0.001 - 0.0025 * Math.cos(3 * p);
  v = Math.min(0.07, Math.max(-0.07, v));
  p = Math.min(0.6, Math.max(-1.2, p + v));
  if (p === -1.2 && v < 0) v = 0;
  return [p, v];
}

describe('CartPole-v1 dynamics', () => {
  const states = [
    [0, 0, 0, 0],
    [0.01, -0.02, 0.03, 0.04],
    [-1.5, 0.8, -0.15, 1.2],
    [2.0, -1.3, 0.19, -2.5],
    [0.3, 2.5, -0.05, 0.7],
  ];
  for (const s of states) {
    for (const a of [0, 1]) {
      it(`state ${JSON.stringify(s)} action ${a} matches the published equations`, () => {
        const env = new CartPoleEnv();
        env.reset(0);
        env.setState(s);
        const r = env.step(a);
        const ref = cartpoleReference(s, a);
        for (let i = 0; i < 4; i++) {
          expect(Math.abs(env.state[i]! - ref[i]!)).toBeLessThan(1e-6);
          expect(Math.abs(r.observation[i]! - ref[i]!)).toBeLessThan(1e-6);
        }
        expect(r.reward).toBe(1);
      });
    }
  }

  it('follows the reference over a 200-step rollout', () => {
    const env = new CartPoleEnv();
    let s = Array.from(env.reset(7).observation);
    s = Array.from(env.state);
    for (let t = 0; t < 30; t++) {
      const a = (t * 7) % 3 === 0 ? 1 : 0;
      const r = env.step(a);
      s = cartpoleReference(s, a);
      for (let i = 0; i < 4; i++) expect(Math.abs(env.state[i]! - s[i]!)).toBeLessThan(1e-9);
      if (r.terminated) break;
    }
  });

  it('reset is uniform(−0.05, 0.05) and seeded', () => {
    const a = new CartPoleEnv().reset(3).observation;
    const b = new CartPoleEnv().reset(3).observation;
    const c = new CartPoleEnv().reset(4).observation;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    for (let seed = 0; seed < 50; seed++) for (const v of new CartPoleEnv().reset(seed).observation) expect(Math.abs(v)).toBeLessThan(0.05);
  });

  it('terminates beyond |x| > 2.4 and |θ| > 12°', () => {
    const env = new CartPoleEnv();
    env.reset(0);
    env.setState([2.39, 1, 0, 0]); // x' = 2.39 + 0.02 = 2.41
    expect(env.step(1).terminated).toBe(true);
    env.setState([2.3, 1, 0, 0]);
    expect(env.step(1).terminated).toBe(false);
    const th = (12 * 2 * Math.PI) / 360;
    env.setState([0, 0, th - 0.001, 0.1]); // θ' = θ + 0.002 > threshold
    expect(env.step(0).terminated).toBe(true);
    env.setState([0, 0, -(th - 0.001), -0.1]);
    expect(env.step(1).terminated).toBe(true);
    env.setState([0, 0, th - 0.01, 0.1]);
    expect(env.step(1).terminated).toBe(false);
  });

  it('is truncated at 500 steps by the registered TimeLimit', () => {
    const env = makeEnv('CartPole-v1') as TimeLimit;
    expect(env).toBeInstanceOf(TimeLimit);
    env.reset(0);
    const inner = env.unwrapped as CartPoleEnv;
    let r = env.step(0);
    let steps = 1;
    while (!r.truncated && !r.terminated) {
      inner.setState([0, 0, 0, 0]); // keep balanced so only the time limit can end it
      r = env.step(steps % 2);
      steps++;
    }
    expect(steps).toBe(500);
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
    expect(() => env.step(0)).toThrow(/reset/);
  });
});

describe('MountainCar-v0 dynamics', () => {
  const states = [
    [-0.5, 0],
    [-0.3, 0.02],
    [0.2, 0.069],
    [-1.19, -0.03],
    [0.49, 0.05],
    [0.55, 0.07],
    [-1.0, -0.0699],
  ];
  for (const s of states) {
    for (const a of [0, 1, 2]) {
      it(`state ${JSON.stringify(s)} action ${a} matches the reference`, () => {
        const env = new MountainCarEnv();
        env.reset(0);
        env.setState(s);
        const r = env.step(a);
        const ref = mountainCarReference(s, a);
        expect(Math.abs(env.state[0]! - ref[0]!)).toBeLessThan(1e-6);
        expect(Math.abs(env.state[1]! - ref[1]!)).toBeLessThan(1e-6);
        expect(r.reward).toBe(-1);
        expect(r.terminated).toBe(ref[0]! >= 0.5 && ref[1]! >= 0);
      });
    }
  }

  it('clips velocity to ±0.07 and resets it at the left wall', () => {
    const env = new MountainCarEnv();
    env.reset(0);
    env.setState([0.0, 0.07]);
    env.step(2);
    expect(env.state[1]).toBeLessThanOrEqual(0.07);
    env.setState([-1.19, -0.05]);
    env.step(0);
    expect(env.state[0]).toBe(-1.2);
    expect(env.state[1]).toBe(0);
  });

  it('reset position is uniform(−0.6, −0.4) with zero velocity; truncated at 200', () => {
    for (let seed = 0; seed < 30; seed++) {
      const o = new MountainCarEnv().reset(seed).observation;
      expect(o[0]).toBeGreaterThanOrEqual(-0.6);
      expect(o[0]).toBeLessThan(-0.4);
      expect(o[1]).toBe(0);
    }
    const env = makeEnv('mountaincar');
    env.reset(1);
    let n = 0;
    let r = env.step(1);
    n++;
    while (!r.truncated && !r.terminated) {
      r = env.step(1);
      n++;
    }
    expect(n).toBe(200);
    expect(r.truncated).toBe(true);
  });

  it('renders text and rgb', () => {
    const env = new MountainCarEnv();
    env.reset(0);
    expect(env.render('text')).toContain('C');
    const f = env.render('rgb');
    expect(f.data.length).toBe(f.width * f.height * 3);
    const cp = new CartPoleEnv();
    cp.reset(0);
    expect(cp.render('text')).toContain('[#]');
    expect(cp.render('rgb').data.length).toBe(150 * 100 * 3);
  });
});

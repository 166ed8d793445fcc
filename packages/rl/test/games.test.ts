// Snake and Catch rules, seeded reproducibility, renders, and the VecEnv wrapper.
import { describe, expect, it } from 'vitest';
import { CatchEnv, makeEnv, SNAKE_FEATURES, SnakeEnv, snakeFeatures, VecEnv } from '../src/index.js';

const cell = (x: number, y: number, w = 9) => y * w + x;

describe('Snake', () => {
  it('starts with length 3 heading right and a fruit on a free cell', () => {
    const env = new SnakeEnv();
    const { observation, info } = env.reset(1);
    expect(env.body).toEqual([cell(4, 4), cell(3, 4), cell(2, 4)]);
    expect(env.body).not.toContain(env.fruit);
    expect(observation.length).toBe(9 * 9 * 7);
    expect(info).toEqual({ fruits: 0, length: 3 });
    // grid channels: head, body, fruit, heading one-hot (right = index 1)
    expect(observation[cell(4, 4) * 7]).toBe(1);
    expect(observation[cell(3, 4) * 7 + 1]).toBe(1);
    expect(observation[env.fruit * 7 + 2]).toBe(1);
    expect(observation[0 * 7 + 3 + 1]).toBe(1);
    expect(observation.reduce((a, b) => a + b, 0)).toBe(3 + 1 + 81);
  });

  it('eating a fruit grows the snake and gives the fruit reward', () => {
    const env = new SnakeEnv();
    env.reset(0);
    env.setState([cell(4, 4), cell(3, 4), cell(2, 4)], 1, cell(5, 4));
    const r = env.step(1); // straight → onto the fruit
    expect(r.reward).toBe(1);
    expect(env.body).toEqual([cell(5, 4), cell(4, 4), cell(3, 4), cell(2, 4)]);
    expect(r.info.fruits).toBe(1);
    expect(env.body).not.toContain(env.fruit);
    const r2 = env.step(1);
    expect(r2.reward).toBe(0);
    expect(env.body.length).toBe(4);
  });

  it('hitting a wall terminates with the death reward', () => {
    const env = new SnakeEnv({ deathReward: -2 });
    env.reset(0);
    env.setState([cell(8, 0), cell(7, 0)], 1, cell(0, 8));
    const r = env.step(1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(-2);
    expect(r.info.death).toBe('wall');
    expect(() => env.step(1)).toThrow(/reset/);
  });

  it('running into its body terminates; moving into the tail cell is legal', () => {
    const env = new SnakeEnv();
    env.reset(0);
    // Head at (2,2) heading up; body loops so turning right (→ east) hits (3,2).
    env.setState([cell(2, 2), cell(2, 3), cell(3, 3), cell(3, 2), cell(3, 1)], 0, cell(8, 8));
    const r = env.step(2);
    expect(r.terminated).toBe(true);
    expect(r.info.death).toBe('self');
    // A 4-cycle: the head may follow its own tail.
    env.setState([cell(2, 2), cell(2, 3), cell(3, 3), cell(3, 2)], 0, cell(8, 8));
    const r2 = env.step(2);
    expect(r2.terminated).toBe(false);
    expect(env.body[0]).toBe(cell(3, 2));
  });

  it('relative actions turn left / right', () => {
    const env = new SnakeEnv();
    env.reset(0);
    env.step(0); // right → up
    expect(env.direction).toBe(0);
    env.step(2); // up → right
    expect(env.direction).toBe(1);
  });

  it('truncates after maxStepsWithoutFruit and applies the step penalty', () => {
    const env = new SnakeEnv({ maxStepsWithoutFruit: 4, stepReward: -0.1 });
    env.reset(0);
    env.setState([cell(1, 1)], 1, cell(8, 8));
    const moves = [1, 2, 2, 2]; // right, down, left, up: a small square
    let r = env.step(moves[0]!);
    expect(r.reward).toBeCloseTo(-0.1);
    for (const m of moves.slice(1)) r = env.step(m);
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
  });

  it('fruit placement is reproducible from the seed', () => {
    const run = (seed: number) => {
      const env = new SnakeEnv({ width: 6, height: 6 });
      env.reset(seed);
      const fruits = [env.fruit];
      for (let i = 0; i < 30; i++) {
        env.setState([env.fruit - 1 >= 0 ? env.fruit - 1 : env.fruit + 1], env.fruit % 6 === 0 ? 3 : 1, env.fruit);
        const r = env.step(1);
        if (r.terminated) break;
        fruits.push(env.fruit);
      }
      return fruits;
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('pixels observation, renders and validation', () => {
    const env = new SnakeEnv({ observation: 'pixels', width: 5, height: 7 });
    expect(env.observationSpace.shape).toEqual([7, 5, 3]);
    const { observation } = env.reset(0);
    expect(observation.length).toBe(105);
    expect(Math.max(...observation)).toBe(1);
    expect(env.render('text')).toContain('@');
    expect(env.render('rgb').width).toBe(5);
    expect(() => new SnakeEnv({ width: 2 })).toThrow(/width/);
    expect(() => new SnakeEnv({ observation: 'rgb' as 'grid' })).toThrow(/observation/);
  });
});

describe("Snake 'features' observation", () => {
  const state = (body: number[], direction: number, fruit: number) => ({ width: 4, height: 4, body, direction, fruit, sinceFruit: 8, maxStepsWithoutFruit: 32 });
  const perAction = (f: Float32Array, a: number) => Array.from(f.subarray(a * 5, a * 5 + 5)).map((v) => +v.toFixed(4));

  it('says per relative action: blocked, free area behind it, tail reachable, eats, closer', () => {
    // Heading left with its head at (0,1); the body wraps the top-left corner (0,0).
    const f = snakeFeatures(state([4, 5, 1, 2, 3], 3, 15));
    expect(f.length).toBe(SNAKE_FEATURES);
    // Turn left = down to (0,2): 10 of the 11 free cells reachable (the corner is cut off), tail (2,0) reachable, 1 step closer to (3,3).
    expect(perAction(f, 0)).toEqual([0, +(10 / 11).toFixed(4), 1, 0, 1]);
    // Straight = the wall.
    expect(perAction(f, 1)).toEqual([1, 0, 0, 0, 0]);
    // Turn right = up into the corner: a dead end, nothing reachable, 1 step further.
    expect(perAction(f, 2)).toEqual([0, 0, 0, 0, -1]);
    // Fruit (3,3) from (0,1) heading left: 3 behind, 2 to the left; length 5/16; 8/32 steps since fruit.
    expect(Array.from(f.subarray(15)).map((v) => +v.toFixed(4))).toEqual([-1, -2 / 3, 5 / 16, 0.25].map((v) => +v.toFixed(4)));
  });

  it('moving onto the fruit keeps the tail (it grows); moving into the vacating tail is allowed', () => {
    // Heading up at (1,1), fruit straight ahead at (1,0); body below.
    expect(perAction(snakeFeatures(state([5, 9, 13], 0, 1)), 1).slice(0, 4)).toEqual([0, 1, 1, 1]);
    // A 2×2 loop: head (0,0) heading up, tail at (1,0) = the cell to its right; turning right enters it.
    expect(perAction(snakeFeatures(state([0, 4, 5, 1], 0, 15)), 2)[0]).toBe(0);
  });

  it('carries enough to survive: a hand-written rule on the features eats > 40 fruits per 9×9 game', () => {
    // The baseline quoted in the README; the agent learns its own rule from the rewards.
    const env = new SnakeEnv({ observation: 'features' });
    const score = (f: Float32Array, a: number) => (f[a * 5]! ? -100 : 0) + 10 * f[a * 5 + 2]! + 5 * f[a * 5 + 1]! + 2 * f[a * 5 + 3]! + f[a * 5 + 4]!;
    let fruits = 0;
    for (let game = 0; game < 50; game++) {
      let f = env.reset(game).observation;
      for (;;) {
        const r = env.step([0, 1, 2].reduce((best, a) => (score(f, a) > score(f, best) ? a : best), 0));
        f = r.observation;
        if (r.terminated || r.truncated) break;
      }
      fruits += env.fruits;
    }
    expect(fruits / 50).toBeGreaterThan(40);
    console.log(`hand-written rule on Snake features: ${fruits / 50} fruits per game over 50 games`);
  });

  it('is the observation of SnakeEnv({ observation: "features" })', () => {
    const env = new SnakeEnv({ observation: 'features' });
    const { observation } = env.reset(0);
    expect(env.observationSpace.shape).toEqual([SNAKE_FEATURES]);
    expect(Array.from(observation)).toEqual(Array.from(snakeFeatures({ ...env, maxStepsWithoutFruit: env.options.maxStepsWithoutFruit })));
    expect(observation.every((v) => v >= -1 && v <= 1)).toBe(true);
  });
});

describe('Catch', () => {
  it('the ball falls one row per step and scores +1 when caught, −1 when missed', () => {
    const env = new CatchEnv();
    env.reset(0);
    env.ballX = 7;
    env.paddleX = 0;
    let r = env.step(1);
    expect(env.ballY).toBe(1);
    let total = 0;
    let steps = 1;
    while (!r.terminated) {
      r = env.step(2); // chase right
      total += r.reward;
      steps++;
    }
    expect(steps).toBe(9);
    expect(total).toBe(1);
    env.reset(0);
    env.ballX = 9;
    env.paddleX = 0;
    for (let i = 0; i < 8; i++) r = env.step(1);
    r = env.step(1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(-1);
  });

  it('observation marks ball and 3-wide paddle; paddle clamps at the walls', () => {
    const env = new CatchEnv();
    const { observation } = env.reset(3);
    expect(observation.length).toBe(100);
    expect(observation.reduce((a, b) => a + b, 0)).toBe(4);
    for (let i = 0; i < 5; i++) env.step(0);
    expect(env.paddleX).toBe(0);
    expect(env.render('text').split('\n').at(-1)).toMatch(/^===/);
  });

  it('is seeded', () => {
    const a = new CatchEnv();
    const b = new CatchEnv();
    a.reset(9);
    b.reset(9);
    expect([a.ballX, a.paddleX]).toEqual([b.ballX, b.paddleX]);
  });
});

describe('VecEnv', () => {
  it('steps N envs, auto-resets and keeps the terminal observation (SB3 semantics)', () => {
    const vec = new VecEnv(() => makeEnv('Catch-v0'), 3);
    const { observations } = vec.reset(10);
    expect(observations.length).toBe(300);
    let r = vec.step([1, 1, 1]);
    for (let i = 0; i < 7; i++) r = vec.step([1, 1, 1]);
    expect(Array.from(r.dones)).toEqual([0, 0, 0]);
    r = vec.step([0, 1, 2]);
    expect(Array.from(r.dones)).toEqual([1, 1, 1]);
    for (let i = 0; i < 3; i++) {
      const term = r.infos[i]!.terminalObservation as Float32Array;
      // terminal frame has the ball on the bottom row; the returned one is a fresh episode (ball on top)
      expect(term.subarray(90).some((v) => v === 1)).toBe(true);
      expect(r.observations.subarray(i * 100, i * 100 + 10).some((v) => v === 1)).toBe(true);
      expect(Math.abs(r.rewards[i]!)).toBe(1);
    }
    // seeds: env i gets seed + i → same as a single env reset with that seed
    const single = makeEnv('Catch-v0').reset(11).observation;
    const again = new VecEnv(() => makeEnv('Catch-v0'), 3).reset(10).observations.subarray(100, 200);
    expect(Array.from(again)).toEqual(Array.from(single));
    expect(() => vec.step([0])).toThrow(/3 envs/);
  });

  it('marks time-limit truncation', () => {
    const vec = new VecEnv(() => makeEnv('MountainCar-v0', { maxEpisodeSteps: 3 }), 2);
    vec.reset(0);
    vec.step([1, 1]);
    vec.step([1, 1]);
    const r = vec.step([1, 1]);
    expect(Array.from(r.truncated)).toEqual([1, 1]);
    expect(r.infos[0]!.timeLimitTruncated).toBe(true);
  });
});

/**
 * Snake's 'features' observation: what each relative action (turn left, straight, turn right)
 * leads to, seen from the snake's heading, plus where the fruit is. A grid MLP has to learn from
 * scratch that a move into a pocket smaller than its body is a slow death; the free area behind
 * each move (a flood fill) and whether the tail stays reachable say it directly, so a small MLP
 * can learn a long-surviving policy in few steps. The network still learns how to trade these
 * off against the fruit: nothing here chooses an action.
 */
export const SNAKE_DX = [0, 1, 0, -1];
export const SNAKE_DY = [-1, 0, 1, 0];

/** Per action: blocked, free area, tail reachable, eats, closer to fruit. */
const PER_ACTION = 5;
/** 3 actions × PER_ACTION, fruit ahead / right, length, steps since fruit. */
export const SNAKE_FEATURES = 3 * PER_ACTION + 4;

export interface SnakeState {
  width: number;
  height: number;
  /** Cells as y·width + x, head first. */
  body: number[];
  /** 0 up, 1 right, 2 down, 3 left. */
  direction: number;
  /** −1 when the board is full. */
  fruit: number;
  sinceFruit: number;
  maxStepsWithoutFruit: number;
}

/** Cells reachable from `start` through cells not in `blocked`, and whether one touches `target`. */
function flood(width: number, height: number, start: number, blocked: Uint8Array, target: number): { area: number; touches: boolean } {
  const seen = new Uint8Array(width * height);
  const stack = [start];
  seen[start] = 1;
  let area = 0;
  let touches = false;
  while (stack.length) {
    const c = stack.pop()!;
    const x = c % width;
    const y = (c - x) / width;
    for (let d = 0; d < 4; d++) {
      const nx = x + SNAKE_DX[d]!;
      const ny = y + SNAKE_DY[d]!;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const n = ny * width + nx;
      if (n === target) touches = true;
      if (seen[n] || blocked[n]) continue;
      seen[n] = 1;
      area++;
      stack.push(n);
    }
  }
  return { area, touches };
}

export function snakeFeatures(s: SnakeState, out = new Float32Array(SNAKE_FEATURES)): Float32Array {
  const { width: W, height: H, body, direction, fruit } = s;
  out.fill(0);
  const head = body[0]!;
  const hx = head % W;
  const hy = (head - hx) / W;
  const fx = fruit >= 0 ? fruit % W : hx;
  const fy = fruit >= 0 ? (fruit - fx) / W : hy;
  const blocked = new Uint8Array(W * H);
  for (let a = 0; a < 3; a++) {
    const o = a * PER_ACTION;
    const d = (direction + a - 1 + 4) % 4;
    const nx = hx + SNAKE_DX[d]!;
    const ny = hy + SNAKE_DY[d]!;
    if (nx < 0 || ny < 0 || nx >= W || ny >= H) {
      out[o] = 1;
      continue;
    }
    const next = ny * W + nx;
    const eats = next === fruit;
    // The body after this move: the tail cell frees up unless the snake grows.
    const kept = eats ? body.length : body.length - 1;
    blocked.fill(0);
    for (let i = 0; i < kept; i++) blocked[body[i]!] = 1;
    if (blocked[next]) {
      out[o] = 1;
      continue;
    }
    const tail = body[kept - 1]!;
    const { area, touches } = flood(W, H, next, blocked, tail);
    const free = W * H - kept - 1;
    out[o + 1] = free > 0 ? area / free : 1;
    out[o + 2] = touches ? 1 : 0;
    out[o + 3] = eats ? 1 : 0;
    if (fruit >= 0) out[o + 4] = Math.abs(hx - fx) + Math.abs(hy - fy) - (Math.abs(nx - fx) + Math.abs(ny - fy));
  }
  // Fruit offset in the snake's frame: ahead and to the right, scaled to [−1, 1].
  const dx = fx - hx;
  const dy = fy - hy;
  const r = (direction + 1) % 4;
  const g = 3 * PER_ACTION;
  const scale = Math.max(W, H) - 1;
  out[g] = (dx * SNAKE_DX[direction]! + dy * SNAKE_DY[direction]!) / scale;
  out[g + 1] = (dx * SNAKE_DX[r]! + dy * SNAKE_DY[r]!) / scale;
  out[g + 2] = body.length / (W * H);
  out[g + 3] = s.sinceFruit / s.maxStepsWithoutFruit;
  return out;
}

/**
 * Watching an agent: `renderText(env)` gives the current text frame; `play` animates episodes
 * in a terminal (ANSI clear + home, `fps` frames per second). Browser-safe: `write` is injected
 * (defaults to process.stdout when present).
 */
import { checkInt, checkNumber } from '@dlkit/core';
import { withChecks } from './check-env.js';
import type { Env } from './env.js';
import type { Policy } from './types.js';

export function renderText(env: Env): string {
  return env.render('text');
}

export interface PlayOptions {
  episodes?: number;
  /** Frames per second; 0 = no delay. Default 10. */
  fps?: number;
  deterministic?: boolean;
  seed?: number;
  write?: (text: string) => void;
  /** Clear the screen between frames (default true). */
  clear?: boolean;
  maxEpisodeSteps?: number;
}

const CLEAR = '\x1b[2J\x1b[H';

function defaultWrite(): (text: string) => void {
  const out = (globalThis as { process?: { stdout?: { write(s: string): unknown } } }).process?.stdout;
  return out ? (s) => void out.write(s) : (s) => console.log(s);
}

export async function play(policy: Policy, env: Env, options: PlayOptions = {}): Promise<{ returns: number[]; lengths: number[] }> {
  const episodes = checkInt('episodes', options.episodes ?? 1, 1);
  const fps = checkNumber('fps', options.fps ?? 10, 0, 1000);
  const cap = checkInt('maxEpisodeSteps', options.maxEpisodeSteps ?? 10_000, 1);
  const write = options.write ?? defaultWrite();
  const clear = options.clear ?? true;
  const e = withChecks(env);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    let { observation } = e.reset(ep === 0 ? options.seed : undefined);
    let total = 0;
    let len = 0;
    const frame = (status: string) => write(`${clear ? CLEAR : ''}${e.render('text')}\n${status}\n`);
    frame(`episode ${ep + 1}/${episodes} step 0 return 0`);
    for (;;) {
      const r = e.step(policy.predict(observation, { deterministic: options.deterministic ?? true }));
      observation = r.observation;
      total += r.reward;
      len++;
      frame(`episode ${ep + 1}/${episodes} step ${len} return ${+total.toFixed(3)}`);
      if (fps > 0) await sleep(1000 / fps);
      if (r.terminated || r.truncated || len >= cap) break;
    }
    returns.push(total);
    lengths.push(len);
  }
  return { returns, lengths };
}

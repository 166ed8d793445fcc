/**
 * recordFrames: plays episodes and writes each rgb frame as a PNG (sharp: raw RGB → PNG),
 * upscaled with nearest-neighbour so tiny boards stay crisp. Files are written atomically.
 */
import { join } from 'node:path';
import { checkInt } from '@dlkit/core';
import { atomicWriteFile } from '@dlkit/core/node';
import sharp from 'sharp';
import { withChecks } from '../check-env.js';
import type { Env, RgbFrame } from '../env.js';
import type { Policy } from '../types.js';

export interface RecordOptions {
  episodes?: number;
  seed?: number;
  deterministic?: boolean;
  /** Integer upscale; default makes the frame at least 240 px wide. */
  scale?: number;
  maxFrames?: number;
}

export async function framePng(frame: RgbFrame, scale = 1): Promise<Buffer> {
  const img = sharp(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength), {
    raw: { width: frame.width, height: frame.height, channels: 3 },
  });
  const out = scale > 1 ? img.resize(frame.width * scale, frame.height * scale, { kernel: 'nearest' }) : img;
  return out.png().toBuffer();
}

export async function recordFrames(policy: Policy, env: Env, dir: string, options: RecordOptions = {}): Promise<{ files: string[]; returns: number[] }> {
  const episodes = checkInt('episodes', options.episodes ?? 1, 1);
  const maxFrames = checkInt('maxFrames', options.maxFrames ?? 5000, 1);
  const e = withChecks(env);
  const files: string[] = [];
  const returns: number[] = [];
  let scale = options.scale;
  const write = async (frame: RgbFrame) => {
    scale ??= Math.max(1, Math.ceil(240 / frame.width));
    const file = join(dir, `frame_${String(files.length).padStart(5, '0')}.png`);
    await atomicWriteFile(file, await framePng(frame, checkInt('scale', scale, 1, 64)));
    files.push(file);
  };
  for (let ep = 0; ep < episodes && files.length < maxFrames; ep++) {
    let { observation } = e.reset(ep === 0 ? options.seed : undefined);
    await write(e.render('rgb'));
    let total = 0;
    for (;;) {
      const r = e.step(policy.predict(observation, { deterministic: options.deterministic ?? true }));
      observation = r.observation;
      total += r.reward;
      await write(e.render('rgb'));
      if (r.terminated || r.truncated || files.length >= maxFrames) break;
    }
    returns.push(total);
  }
  return { files, returns };
}

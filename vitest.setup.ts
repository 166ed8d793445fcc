/**
 * Every test file starts from the same Math.random stream. tfjs's initialisers and unseeded random
 * ops (dropout masks, randomNormal) draw their seeds from Math.random, so without this a training
 * test's outcome is a fresh random draw on every run and a threshold fails by bad luck now and then.
 * `DLKIT_TEST_SEED=n pnpm test` replays the suite on another stream: a test that fails there passes
 * by luck, not by margin, and needs fixing.
 */
const seed = Number(process.env.DLKIT_TEST_SEED ?? 1);
if (!Number.isInteger(seed)) throw new Error(`DLKIT_TEST_SEED must be an integer, got ${process.env.DLKIT_TEST_SEED}`);
// mulberry32: small, fast, well-distributed 32-bit generator; the root has no @dlkit/core dependency.
let state = (seed * 0x9e3779b1) >>> 0;
Math.random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

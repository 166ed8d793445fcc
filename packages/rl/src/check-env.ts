/**
 * SB3's check_env, as a one-off check plus a wrapper that validates every call: actions must be
 * integers in range; observations must be finite and of the observation space's size; rewards
 * finite numbers; terminated/truncated booleans. A user env's bug becomes a DlkitError naming
 * the env, the call and the value instead of a silently corrupted replay buffer.
 */
import { DlkitError } from '@dlkit/core';
import { type Env, type ResetResult, type StepResult, Wrapper } from './env.js';
import { shapeSize } from './spaces.js';

function checkSpaces(env: Env): void {
  const o = env.observationSpace;
  const a = env.actionSpace;
  if (o?.kind !== 'box' || !Array.isArray(o.shape) || o.low?.length !== shapeSize(o.shape)) {
    throw new DlkitError('INVALID_INPUT', `Env "${env.id}": observationSpace must be a Box (use Box(low, high, shape)).`, { details: { env: env.id } });
  }
  if (a?.kind !== 'discrete' || !Number.isInteger(a.n) || a.n < 1) {
    throw new DlkitError('UNSUPPORTED', `Env "${env.id}": actionSpace must be Discrete(n); DQN supports discrete actions only.`, {
      details: { env: env.id },
    });
  }
}

function toObservation(env: Env, obs: unknown, where: string): Float32Array {
  const size = shapeSize(env.observationSpace.shape);
  const isArrayLike = obs instanceof Float32Array || obs instanceof Float64Array || Array.isArray(obs);
  if (!isArrayLike) {
    throw new DlkitError('INVALID_INPUT', `Env "${env.id}": ${where} returned an observation of type ${typeof obs}; expected a Float32Array of ${size} numbers.`, {
      details: { env: env.id },
    });
  }
  const arr = obs as ArrayLike<number>;
  if (arr.length !== size) {
    throw new DlkitError(
      'SHAPE_MISMATCH',
      `Env "${env.id}": ${where} returned an observation of length ${arr.length}, but observationSpace.shape ${JSON.stringify(env.observationSpace.shape)} needs ${size}.`,
      { hint: 'Make the observation match observationSpace (flattened, row-major).', details: { env: env.id, length: arr.length, expected: size } },
    );
  }
  for (let i = 0; i < size; i++) {
    if (typeof arr[i] !== 'number' || !Number.isFinite(arr[i]!)) {
      throw new DlkitError('NUMERIC', `Env "${env.id}": ${where} returned a non-finite observation value ${arr[i]} at index ${i}.`, {
        details: { env: env.id, index: i },
      });
    }
  }
  return obs instanceof Float32Array ? obs : Float32Array.from(arr);
}

export function checkAction(env: Env, action: unknown): number {
  const n = env.actionSpace.n;
  if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= n) {
    throw new DlkitError('INVALID_INPUT', `Env "${env.id}": invalid action ${String(action)}; expected an integer in [0, ${n - 1}].`, {
      details: { env: env.id, action, n },
    });
  }
  return action;
}

/** Validates every reset/step of the inner env. DQN wraps the env it is given with this. */
export class CheckedEnv extends Wrapper {
  constructor(env: Env) {
    checkSpaces(env);
    super(env);
  }
  override reset(seed?: number): ResetResult {
    const r = this.env.reset(seed);
    if (!r || typeof r !== 'object') throw new DlkitError('INVALID_INPUT', `Env "${this.env.id}": reset() must return {observation, info}.`);
    return { observation: toObservation(this.env, r.observation, 'reset()'), info: r.info ?? {} };
  }
  override step(action: number): StepResult {
    checkAction(this.env, action);
    const r = this.env.step(action);
    if (!r || typeof r !== 'object') throw new DlkitError('INVALID_INPUT', `Env "${this.env.id}": step() must return {observation, reward, terminated, truncated, info}.`);
    const observation = toObservation(this.env, r.observation, `step(${action})`);
    if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) {
      throw new DlkitError('NUMERIC', `Env "${this.env.id}": step(${action}) returned reward ${String(r.reward)}; expected a finite number.`, {
        hint: 'Check the reward computation for NaN/Infinity (e.g. a division by zero).',
        details: { env: this.env.id, reward: r.reward },
      });
    }
    for (const k of ['terminated', 'truncated'] as const) {
      if (typeof r[k] !== 'boolean') {
        throw new DlkitError('INVALID_INPUT', `Env "${this.env.id}": step(${action}) returned ${k}=${String(r[k])}; expected a boolean.`, {
          details: { env: this.env.id, field: k },
        });
      }
    }
    return { observation, reward: r.reward, terminated: r.terminated, truncated: r.truncated, info: r.info ?? {} };
  }
}

/** Idempotent: an env that is already checked is returned as is. */
export function withChecks(env: Env): CheckedEnv {
  return env instanceof CheckedEnv ? env : new CheckedEnv(env);
}

/** SB3's check_env: runs reset + a few random steps through the checks; throws on the first problem. */
export function checkEnv(env: Env, options: { steps?: number; seed?: number } = {}): void {
  const checked = withChecks(env);
  checked.reset(options.seed ?? 0);
  const n = checked.actionSpace.n;
  for (let i = 0; i < (options.steps ?? 20); i++) {
    const r = checked.step(i % n);
    if (r.terminated || r.truncated) checked.reset();
  }
  const text = checked.render('text');
  if (typeof text !== 'string') throw new DlkitError('INVALID_INPUT', `Env "${env.id}": render('text') must return a string.`);
}

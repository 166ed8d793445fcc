/**
 * N copies of an env stepped in lockstep (SB3 DummyVecEnv semantics): `step(actions)` returns
 * batched arrays; an env whose episode ended is reset immediately, its returned observation is
 * the first of the new episode and the last one is in `infos[i].terminalObservation`.
 */
import { checkInt, DlkitError } from '@dlkit/core';
import type { Env, Info } from './env.js';
import { shapeSize } from './spaces.js';

export interface VecStepResult {
  /** n × obsSize, row i = env i. */
  observations: Float32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** terminated || truncated */
  dones: Uint8Array;
  infos: Info[];
}

export class VecEnv {
  readonly envs: Env[];
  readonly numEnvs: number;
  readonly obsSize: number;

  constructor(makeEnv: (index: number) => Env, numEnvs: number) {
    this.numEnvs = checkInt('numEnvs', numEnvs, 1);
    this.envs = Array.from({ length: numEnvs }, (_, i) => makeEnv(i));
    this.obsSize = shapeSize(this.envs[0]!.observationSpace.shape);
  }

  get observationSpace() {
    return this.envs[0]!.observationSpace;
  }
  get actionSpace() {
    return this.envs[0]!.actionSpace;
  }

  /** With a seed, env i is reset with seed + i (SB3's convention). */
  reset(seed?: number): { observations: Float32Array; infos: Info[] } {
    const observations = new Float32Array(this.numEnvs * this.obsSize);
    const infos = this.envs.map((e, i) => {
      const r = e.reset(seed === undefined ? undefined : seed + i);
      observations.set(r.observation, i * this.obsSize);
      return r.info;
    });
    return { observations, infos };
  }

  step(actions: ArrayLike<number>): VecStepResult {
    if (actions.length !== this.numEnvs) {
      throw new DlkitError('SHAPE_MISMATCH', `VecEnv.step got ${actions.length} actions for ${this.numEnvs} envs.`, { details: { actions: actions.length } });
    }
    const n = this.numEnvs;
    const out: VecStepResult = {
      observations: new Float32Array(n * this.obsSize),
      rewards: new Float32Array(n),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
      dones: new Uint8Array(n),
      infos: [],
    };
    this.envs.forEach((e, i) => {
      const r = e.step(actions[i]!);
      let obs = r.observation;
      const info: Info = { ...r.info };
      out.rewards[i] = r.reward;
      out.terminated[i] = r.terminated ? 1 : 0;
      out.truncated[i] = r.truncated ? 1 : 0;
      if (r.terminated || r.truncated) {
        out.dones[i] = 1;
        info.terminalObservation = obs;
        info.timeLimitTruncated = r.truncated && !r.terminated;
        obs = e.reset().observation;
      }
      out.observations.set(obs, i * this.obsSize);
      out.infos.push(info);
    });
    return out;
  }

  close(): void {
    for (const e of this.envs) e.close?.();
  }
}

/**
 * Experience replay in typed-array ring buffers (no per-transition objects, so a 1e5-step buffer
 * is a few flat Float32Arrays and sampling a batch is a memcpy per row).
 * n-step returns are computed at sample time: from index i, rewards are summed forward
 * Σ γ^k r_{i+k} until n steps, an episode end (terminated or truncated), or the write head.
 * `dones` holds *terminated* only (SB3's handle_timeout_termination): a time-limit cut
 * still bootstraps from the next observation.
 */
import { checkInt, checkNumber, DlkitError, type Rng } from '@dlkit/core';

export interface ReplayBatch {
  indices: Int32Array;
  observations: Float32Array;
  actions: Int32Array;
  /** n-step discounted reward sums. */
  rewards: Float32Array;
  nextObservations: Float32Array;
  /** 1 where the n-step window ended in a termination (no bootstrap). */
  dones: Float32Array;
  /** γ^m, m = number of steps summed (multiply the bootstrap by it). */
  discounts: Float32Array;
  /** Importance-sampling weights (all 1 for uniform replay). */
  weights: Float32Array;
}

export interface ReplayBufferOptions {
  capacity: number;
  obsSize: number;
  nSteps?: number;
  gamma?: number;
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly obsSize: number;
  readonly nSteps: number;
  readonly gamma: number;
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  /** terminated || truncated: where n-step sums stop. */
  readonly episodeEnds: Uint8Array;
  /** Next write position. */
  pos = 0;
  full = false;

  constructor(options: ReplayBufferOptions) {
    this.capacity = checkInt('bufferSize', options.capacity, 1);
    this.obsSize = checkInt('obsSize', options.obsSize, 1);
    this.nSteps = checkInt('nSteps', options.nSteps ?? 1, 1);
    this.gamma = checkNumber('gamma', options.gamma ?? 0.99, 0, 1);
    const bytes = this.capacity * this.obsSize * 8;
    if (bytes > 4e9) {
      throw new DlkitError('INVALID_OPTION', `Invalid option bufferSize: ${this.capacity} × ${this.obsSize} floats needs ${(bytes / 1e9).toFixed(1)} GB.`, {
        hint: 'Use a smaller bufferSize.',
        details: { option: 'bufferSize' },
      });
    }
    this.observations = new Float32Array(this.capacity * this.obsSize);
    this.nextObservations = new Float32Array(this.capacity * this.obsSize);
    this.actions = new Int32Array(this.capacity);
    this.rewards = new Float32Array(this.capacity);
    this.terminated = new Uint8Array(this.capacity);
    this.episodeEnds = new Uint8Array(this.capacity);
  }

  get size(): number {
    return this.full ? this.capacity : this.pos;
  }

  /** Stores one transition; returns the index written. */
  add(obs: ArrayLike<number>, action: number, reward: number, nextObs: ArrayLike<number>, terminated: boolean, truncated: boolean): number {
    if (obs.length !== this.obsSize || nextObs.length !== this.obsSize) {
      throw new DlkitError('SHAPE_MISMATCH', `ReplayBuffer.add: observation length ${obs.length}/${nextObs.length}, expected ${this.obsSize}.`);
    }
    const i = this.pos;
    this.observations.set(obs, i * this.obsSize);
    this.nextObservations.set(nextObs, i * this.obsSize);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.episodeEnds[i] = terminated || truncated ? 1 : 0;
    this.pos = (this.pos + 1) % this.capacity;
    if (this.pos === 0) this.full = true;
    return i;
  }

  /** Uniform sample of `batchSize` stored indices. */
  sampleIndices(batchSize: number, rng: Rng): Int32Array {
    if (this.size === 0) throw new DlkitError('STATE', 'ReplayBuffer.sample on an empty buffer.', { hint: 'Add transitions first (learningStarts > 0).' });
    const idx = new Int32Array(batchSize);
    for (let b = 0; b < batchSize; b++) idx[b] = rng.int(this.size);
    return idx;
  }

  sample(batchSize: number, rng: Rng): ReplayBatch {
    return this.gather(this.sampleIndices(batchSize, rng));
  }

  /** n-step return from index i: {reward, last index used, steps summed}. */
  nStep(i: number): { reward: number; last: number; steps: number } {
    let reward = this.rewards[i]!;
    let cur = i;
    let steps = 1;
    let g = this.gamma;
    while (steps < this.nSteps && !this.episodeEnds[cur]) {
      const next = (cur + 1) % this.capacity;
      if (next === this.pos) break; // the write head: newer data does not exist (or is older)
      cur = next;
      reward += g * this.rewards[cur]!;
      g *= this.gamma;
      steps++;
    }
    return { reward, last: cur, steps };
  }

  gather(indices: Int32Array, weights?: Float32Array): ReplayBatch {
    const B = indices.length;
    const d = this.obsSize;
    const batch: ReplayBatch = {
      indices,
      observations: new Float32Array(B * d),
      actions: new Int32Array(B),
      rewards: new Float32Array(B),
      nextObservations: new Float32Array(B * d),
      dones: new Float32Array(B),
      discounts: new Float32Array(B),
      weights: weights ?? new Float32Array(B).fill(1),
    };
    for (let b = 0; b < B; b++) {
      const i = indices[b]!;
      const { reward, last, steps } = this.nStep(i);
      batch.observations.set(this.observations.subarray(i * d, (i + 1) * d), b * d);
      batch.nextObservations.set(this.nextObservations.subarray(last * d, (last + 1) * d), b * d);
      batch.actions[b] = this.actions[i]!;
      batch.rewards[b] = reward;
      batch.dones[b] = this.terminated[last]!;
      batch.discounts[b] = this.gamma ** steps;
    }
    return batch;
  }
}

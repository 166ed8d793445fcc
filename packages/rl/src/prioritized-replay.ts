/**
 * Prioritised experience replay (Schaul et al. 2016, proportional variant): P(i) ∝ p_i^α,
 * sampled stratified over the sum tree; importance weights w_i = (N·P(i))^−β / max_j w_j with β
 * annealed towards 1; new transitions get the max priority seen so far.
 */
import { checkNumber, type Rng } from '@dlkit/core';
import { type ReplayBatch, ReplayBuffer, type ReplayBufferOptions } from './replay-buffer.js';
import { MinTree, SumTree } from './sum-tree.js';

export interface PrioritizedReplayOptions extends ReplayBufferOptions {
  alpha?: number;
  epsilon?: number;
}

export class PrioritizedReplayBuffer extends ReplayBuffer {
  readonly alpha: number;
  readonly epsilon: number;
  readonly sums: SumTree;
  readonly mins: MinTree;
  private maxPriority = 1;

  constructor(options: PrioritizedReplayOptions) {
    super(options);
    this.alpha = checkNumber('prioritizedReplayAlpha', options.alpha ?? 0.6, 0, 1);
    this.epsilon = checkNumber('prioritizedReplayEps', options.epsilon ?? 1e-6, 0);
    this.sums = new SumTree(this.capacity);
    this.mins = new MinTree(this.capacity);
  }

  override add(obs: ArrayLike<number>, action: number, reward: number, nextObs: ArrayLike<number>, terminated: boolean, truncated: boolean): number {
    const i = super.add(obs, action, reward, nextObs, terminated, truncated);
    const p = this.maxPriority ** this.alpha;
    this.sums.set(i, p);
    this.mins.set(i, p);
    return i;
  }

  /** Stratified: one draw per equal slice of the total priority mass. */
  sampleWithBeta(batchSize: number, beta: number, rng: Rng): ReplayBatch {
    const total = this.sums.total();
    const seg = total / batchSize;
    const idx = new Int32Array(batchSize);
    const weights = new Float32Array(batchSize);
    const n = this.size;
    const pMin = this.mins.total() / total;
    const maxW = (n * pMin) ** -beta;
    for (let b = 0; b < batchSize; b++) {
      const i = Math.min(this.sums.find(seg * b + rng.next() * seg), n - 1);
      idx[b] = i;
      const p = this.sums.get(i) / total;
      weights[b] = (n * p) ** -beta / maxW;
    }
    return this.gather(idx, weights);
  }

  override sample(batchSize: number, rng: Rng): ReplayBatch {
    return this.sampleWithBeta(batchSize, 0.4, rng);
  }

  /** p_i = (|δ_i| + ε)^α */
  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    for (let b = 0; b < indices.length; b++) {
      const raw = Math.abs(tdErrors[b]!) + this.epsilon;
      this.maxPriority = Math.max(this.maxPriority, raw);
      const p = raw ** this.alpha;
      this.sums.set(indices[b]!, p);
      this.mins.set(indices[b]!, p);
    }
  }
}

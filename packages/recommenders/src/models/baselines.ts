/**
 * Honest baselines. `mean`: μ + b_u + b_i fitted by alternating regularised means (Surprise's
 * BaselineOnly with ALS). `popularity`: items ranked by how many users interacted with them,
 * the same list for everyone. Plain arrays: no tensors, nothing to train on a backend.
 */
import { checkInt, checkNumber } from '@dlkit/core';
import type { Interactions } from '../interactions.js';
import type { ModelType, NamedWeights, RecModel } from './types.js';

abstract class ArrayModel implements RecModel {
  abstract readonly type: ModelType;
  abstract readonly explicit: boolean;
  protected userBias: Float32Array = new Float32Array(0);
  protected itemBias: Float32Array = new Float32Array(0);
  center = 0;
  range: [number, number] = [1, 5];

  abstract fit(train: Interactions): Promise<void>;

  async scoreUsers(users: Int32Array): Promise<Float32Array> {
    const nI = this.itemBias.length;
    const out = new Float32Array(users.length * nI);
    users.forEach((u, r) => {
      const b = this.center + (this.userBias[u] ?? 0);
      for (let i = 0; i < nI; i++) out[r * nI + i] = this.clip(b + this.itemBias[i]!);
    });
    return out;
  }

  async predict(users: Int32Array, items: Int32Array): Promise<Float32Array> {
    return Float32Array.from(users, (u, j) => this.clip(this.center + (this.userBias[u] ?? 0) + this.itemBias[items[j]!]!));
  }

  protected clip(x: number): number {
    return this.explicit ? Math.min(this.range[1], Math.max(this.range[0], x)) : x;
  }

  async itemVectors(): Promise<undefined> {
    return undefined;
  }

  config(): Record<string, unknown> {
    return { center: this.center, range: this.range };
  }

  async getWeights(): Promise<NamedWeights> {
    return { userBias: { data: this.userBias, shape: [this.userBias.length] }, itemBias: { data: this.itemBias, shape: [this.itemBias.length] } };
  }

  setWeights(w: NamedWeights): void {
    this.userBias = w.userBias!.data;
    this.itemBias = w.itemBias!.data;
  }

  dispose(): void {}
}

export interface MeanOptions {
  /** Shrinkage of user / item biases towards 0, in ratings (Surprise's reg_u / reg_i: 15 and 10). */
  userReg?: number;
  itemReg?: number;
  /** Alternating passes (default 10). */
  iterations?: number;
}

export class MeanBaseline extends ArrayModel {
  readonly type = 'mean';
  readonly explicit = true;
  readonly o: Required<MeanOptions>;

  constructor(options: MeanOptions = {}) {
    super();
    this.o = { userReg: 15, itemReg: 10, iterations: 10, ...options };
    checkNumber('userReg', this.o.userReg, 0);
    checkNumber('itemReg', this.o.itemReg, 0);
    checkInt('iterations', this.o.iterations, 1);
  }

  override config(): Record<string, unknown> {
    return { ...super.config(), ...this.o };
  }

  async fit(train: Interactions): Promise<void> {
    this.center = train.mean();
    this.range = train.ratingRange;
    const bu = new Float64Array(train.numUsers);
    const bi = new Float64Array(train.numItems);
    for (let it = 0; it < this.o.iterations; it++) {
      const si = new Float64Array(train.numItems);
      const ni = new Float64Array(train.numItems);
      for (let j = 0; j < train.size; j++) {
        const i = train.items[j]!;
        si[i]! += train.ratings[j]! - this.center - bu[train.users[j]!]!;
        ni[i]!++;
      }
      for (let i = 0; i < bi.length; i++) bi[i] = si[i]! / (this.o.itemReg + ni[i]!);
      const su = new Float64Array(train.numUsers);
      const nu = new Float64Array(train.numUsers);
      for (let j = 0; j < train.size; j++) {
        const u = train.users[j]!;
        su[u]! += train.ratings[j]! - this.center - bi[train.items[j]!]!;
        nu[u]!++;
      }
      for (let u = 0; u < bu.length; u++) bu[u] = su[u]! / (this.o.userReg + nu[u]!);
    }
    this.userBias = Float32Array.from(bu);
    this.itemBias = Float32Array.from(bi);
  }
}

export class PopularityBaseline extends ArrayModel {
  readonly type = 'popularity';
  readonly explicit = false;

  async fit(train: Interactions): Promise<void> {
    this.userBias = new Float32Array(train.numUsers);
    this.itemBias = new Float32Array(train.numItems);
    for (const i of train.items) this.itemBias[i]!++;
  }
}

/**
 * Segment trees over a power-of-two array for prioritised replay: `SumTree` finds the leaf
 * where a prefix sum crosses a value in O(log n); `MinTree` keeps the minimum priority for the
 * importance-weight normaliser. Leaves live at [size, 2·size); node k's children are 2k, 2k+1.
 */
import { checkInt, DlkitError } from '@dlkit/core';

class SegmentTree {
  readonly capacity: number;
  protected readonly size: number;
  protected readonly tree: Float64Array;

  constructor(
    capacity: number,
    private readonly op: (a: number, b: number) => number,
    private readonly neutral: number,
  ) {
    this.capacity = checkInt('capacity', capacity, 1);
    let size = 1;
    while (size < capacity) size *= 2;
    this.size = size;
    this.tree = new Float64Array(2 * size).fill(neutral);
  }

  set(index: number, value: number): void {
    if (!(index >= 0 && index < this.capacity)) throw new DlkitError('INVALID_INPUT', `Tree index ${index} out of range [0, ${this.capacity}).`);
    let k = index + this.size;
    this.tree[k] = value;
    k >>= 1;
    while (k >= 1) {
      this.tree[k] = this.op(this.tree[2 * k]!, this.tree[2 * k + 1]!);
      k >>= 1;
    }
  }

  get(index: number): number {
    return this.tree[index + this.size]!;
  }

  /** Reduction over all leaves. */
  total(): number {
    return this.tree[1] ?? this.neutral;
  }
}

export class SumTree extends SegmentTree {
  constructor(capacity: number) {
    super(capacity, (a, b) => a + b, 0);
  }

  override set(index: number, value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) throw new DlkitError('NUMERIC', `SumTree priority must be finite and ≥ 0, got ${value}.`);
    super.set(index, value);
  }

  /** The smallest leaf i with prefixSum(0..i) > value (value in [0, total)). */
  find(value: number): number {
    let k = 1;
    let v = value;
    while (k < this.size) {
      const left = this.tree[2 * k]!;
      if (v < left) k = 2 * k;
      else {
        v -= left;
        k = 2 * k + 1;
      }
    }
    // Float round-off can land on an empty padding leaf; fall back to the last real one.
    return Math.min(k - this.size, this.capacity - 1);
  }
}

export class MinTree extends SegmentTree {
  constructor(capacity: number) {
    super(capacity, Math.min, Number.POSITIVE_INFINITY);
  }
}

/**
 * Adam on Float32Arrays with tfjs's AdamOptimizer arithmetic (bias corrections from running
 * β powers, ε added after the square root), and torch's clip_grad_norm_ (one global norm).
 * One pass per parameter array instead of ~10 tfjs kernels per variable.
 */
export class TypedAdam {
  readonly m: Float32Array[];
  readonly v: Float32Array[];
  /** β1^t and β2^t after t steps. */
  accBeta1: number;
  accBeta2: number;

  constructor(
    params: Float32Array[],
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    this.m = params.map((p) => new Float32Array(p.length));
    this.v = params.map((p) => new Float32Array(p.length));
    this.accBeta1 = beta1;
    this.accBeta2 = beta2;
  }

  step(params: Float32Array[], grads: Float32Array[]): void {
    const { beta1: b1, beta2: b2, epsilon: eps, learningRate: lr } = this;
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const g = grads[i]!;
      const m = this.m[i]!;
      const v = this.v[i]!;
      for (let j = 0; j < p.length; j++) {
        const gj = g[j]!;
        const mj = b1 * m[j]! + (1 - b1) * gj;
        const vj = b2 * v[j]! + (1 - b2) * gj * gj;
        m[j] = mj;
        v[j] = vj;
        p[j]! -= (lr * (mj / c1)) / (Math.sqrt(vj / c2) + eps);
      }
    }
    this.accBeta1 *= b1;
    this.accBeta2 *= b2;
  }
}

/** Scales `grads` in place so their global L2 norm is at most `maxNorm`; returns the norm before. */
export function clipGradNorm(grads: Float32Array[], maxNorm: number): number {
  let sq = 0;
  for (const g of grads) for (let j = 0; j < g.length; j++) sq += g[j]! * g[j]!;
  const norm = Math.sqrt(sq);
  const coef = Math.min(1, maxNorm / (norm + 1e-6));
  if (coef < 1) for (const g of grads) for (let j = 0; j < g.length; j++) g[j]! *= coef;
  return norm;
}

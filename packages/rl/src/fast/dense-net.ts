/**
 * A ReLU MLP Q-network on Float32Arrays: forward that keeps the activations, backward that
 * returns every parameter's gradient, optional dueling head. It mirrors q-network.ts's tfjs
 * model layer for layer (kernels [in, out] row-major, bias per unit) so weights move between
 * the two by copy (test/fast-path.test.ts checks outputs, gradients and Adam steps agree).
 * A dueling head is one dense layer of 1 + nActions units: column 0 is V, the rest A, and
 * Q = V + A − mean(A).
 */
import { gemm } from './gemm.js';

export interface DenseNetSpec {
  /** [inputs, hidden..., outputs] where outputs = nActions (+1 for the dueling V column). */
  sizes: number[];
  dueling: boolean;
}

export interface Forward {
  /** Layer inputs: acts[0] = x, acts[l] = ReLU output of layer l − 1. */
  acts: Float32Array[];
  /** Q-values [batch, nActions]. */
  q: Float32Array;
  batch: number;
}

export class DenseNet {
  readonly sizes: number[];
  readonly dueling: boolean;
  readonly nActions: number;
  /** kernels[l]: [sizes[l], sizes[l+1]]; biases[l]: [sizes[l+1]]. */
  readonly kernels: Float32Array[];
  readonly biases: Float32Array[];

  constructor(spec: DenseNetSpec) {
    this.sizes = [...spec.sizes];
    this.dueling = spec.dueling;
    const out = this.sizes.at(-1)!;
    this.nActions = this.dueling ? out - 1 : out;
    this.kernels = [];
    this.biases = [];
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      this.kernels.push(new Float32Array(this.sizes[l]! * this.sizes[l + 1]!));
      this.biases.push(new Float32Array(this.sizes[l + 1]!));
    }
  }

  /** Parameters in a fixed order (kernel, bias per layer): what the optimizer walks. */
  params(): Float32Array[] {
    return this.kernels.flatMap((k, l) => [k, this.biases[l]!]);
  }

  copyFrom(other: DenseNet, tau = 1): void {
    const dst = this.params();
    const src = other.params();
    for (let i = 0; i < dst.length; i++) {
      if (tau === 1) dst[i]!.set(src[i]!);
      else for (let j = 0; j < dst[i]!.length; j++) dst[i]![j] = tau * src[i]![j]! + (1 - tau) * dst[i]![j]!;
    }
  }

  forward(x: Float32Array, batch: number): Forward {
    const acts: Float32Array[] = [x];
    let h = x;
    const L = this.kernels.length;
    for (let l = 0; l < L; l++) {
      const n = this.sizes[l + 1]!;
      const z = gemm(h, this.kernels[l]!, batch, this.sizes[l]!, n);
      const b = this.biases[l]!;
      const relu = l < L - 1;
      for (let i = 0, o = 0; i < batch; i++) {
        for (let j = 0; j < n; j++, o++) {
          const v = z[o]! + b[j]!;
          z[o] = relu && v < 0 ? 0 : v;
        }
      }
      if (relu) acts.push(z);
      h = z;
    }
    return { acts, q: this.dueling ? duelingCombine(h, batch, this.nActions) : h, batch };
  }

  /** Gradients (params() order) of Σ dQ·Q through the forward pass `f`. */
  backward(f: Forward, dQ: Float32Array): Float32Array[] {
    const B = f.batch;
    let d = this.dueling ? duelingBackward(dQ, B, this.nActions) : dQ;
    const grads: Float32Array[] = new Array(this.kernels.length * 2);
    for (let l = this.kernels.length - 1; l >= 0; l--) {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      const a = f.acts[l]!;
      grads[2 * l] = gemm(a, d, nIn, B, nOut, true, false); // aᵀ·d
      const gb = new Float32Array(nOut);
      for (let i = 0, o = 0; i < B; i++) for (let j = 0; j < nOut; j++, o++) gb[j]! += d[o]!;
      grads[2 * l + 1] = gb;
      if (l === 0) break; // no gradient for the observations
      const dIn = gemm(d, this.kernels[l]!, B, nOut, nIn, false, true); // d·Wᵀ
      for (let o = 0; o < dIn.length; o++) if (a[o]! <= 0) dIn[o] = 0; // ReLU: a is the layer's output
      d = dIn;
    }
    return grads;
  }
}

/** [V | A] (batch × (1 + n)) → Q = V + A − mean(A). */
function duelingCombine(h: Float32Array, batch: number, n: number): Float32Array {
  const q = new Float32Array(batch * n);
  for (let i = 0; i < batch; i++) {
    const r = i * (n + 1);
    let mean = 0;
    for (let j = 1; j <= n; j++) mean += h[r + j]!;
    mean /= n;
    for (let j = 0; j < n; j++) q[i * n + j] = h[r]! + h[r + 1 + j]! - mean;
  }
  return q;
}

/** dQ → d[V | A]: dV = Σ dQ, dA_j = dQ_j − mean(dQ). */
function duelingBackward(dQ: Float32Array, batch: number, n: number): Float32Array {
  const d = new Float32Array(batch * (n + 1));
  for (let i = 0; i < batch; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += dQ[i * n + j]!;
    d[i * (n + 1)] = sum;
    for (let j = 0; j < n; j++) d[i * (n + 1) + 1 + j] = dQ[i * n + j]! - sum / n;
  }
  return d;
}

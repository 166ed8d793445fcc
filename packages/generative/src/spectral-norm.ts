/**
 * Spectral normalisation (Miyato et al. 2018) applied as a projection after each discriminator
 * step: σ(W) is estimated by one power iteration per step with a persistent vector u (as in the
 * paper), and W ← W / max(1, σ). Equivalent in effect to SN's Lipschitz bound without
 * reparameterising the layers (which tfjs layers cannot serialise).
 */
import { tf } from '@dlkit/core';

export class SpectralNorm {
  private readonly us = new Map<tf.Variable, tf.Tensor2D>();

  constructor(readonly kernels: tf.Variable[]) {}

  /** Returns the σ estimates (before projection). */
  project(): number[] {
    const sigmas: number[] = [];
    for (const v of this.kernels) {
      const out = v.shape[v.shape.length - 1]!;
      const prev = this.us.get(v) ?? tf.tidy(() => tf.randomNormal([out, 1], 0, 1, 'float32', 1).div(Math.sqrt(out)) as tf.Tensor2D);
      const [u, sigma] = tf.tidy(() => {
        const W = v.reshape([-1, out]) as tf.Tensor2D;
        const vv = W.matMul(prev);
        const vn = vv.div(vv.norm().add(1e-12));
        const uu = W.transpose().matMul(vn);
        const un = uu.div(uu.norm().add(1e-12)) as tf.Tensor2D;
        const s = vn.transpose().matMul(W.matMul(un)).reshape([]) as tf.Scalar;
        v.assign(v.div(tf.maximum(s, 1)));
        return [un, s] as const;
      });
      prev.dispose();
      this.us.set(v, u);
      sigmas.push(sigma.dataSync()[0]!);
      sigma.dispose();
    }
    return sigmas;
  }

  dispose(): void {
    for (const u of this.us.values()) u.dispose();
    this.us.clear();
  }
}

/**
 * Q-networks as tfjs layers models: an MLP for vector observations, a small CNN for pixel /
 * grid observations ([H, W, C]), optionally with a dueling head Q = V + A − mean(A)
 * (Wang et al. 2016). Initialisers are seeded so a seed reproduces the network.
 */
import { checkInt, DlkitError, type Rng, tf } from '@dlkit/core';

/** Combines [V (1), A (n)] → Q (n). Registered so saved dueling models load again. */
export class DuelingCombine extends tf.layers.Layer {
  static className = 'DlkitDuelingCombine';
  override computeOutputShape(inputShape: tf.Shape[]): tf.Shape {
    return inputShape[1]!;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [v, a] = inputs as tf.Tensor[];
      return tf.add(v!, tf.sub(a!, tf.mean(a!, -1, true)));
    });
  }
}
tf.serialization.registerClass(DuelingCombine);

export interface ConvSpec {
  filters: number;
  kernelSize: number;
  strides?: number;
}

export interface QNetworkOptions {
  obsShape: number[];
  nActions: number;
  /** Hidden dense sizes (after the conv stack for CNNs). */
  netArch: number[];
  /** 'mlp' flattens the observation; 'cnn' needs [H, W, C]. */
  policy: 'mlp' | 'cnn';
  convArch?: ConvSpec[];
  dueling?: boolean;
  rng: Rng;
}

export const DEFAULT_CONV_ARCH: ConvSpec[] = [
  { filters: 16, kernelSize: 3, strides: 1 },
  { filters: 32, kernelSize: 3, strides: 1 },
];

export function buildQNetwork(o: QNetworkOptions): tf.LayersModel {
  checkInt('nActions', o.nActions, 1);
  const init = () => tf.initializers.glorotUniform({ seed: o.rng.seedForTf() });
  const input = tf.input({ shape: o.obsShape });
  let x: tf.SymbolicTensor = input;
  if (o.policy === 'cnn') {
    if (o.obsShape.length !== 3) {
      throw new DlkitError('INVALID_OPTION', `Invalid option policy: "cnn" needs an [H, W, C] observation, got shape ${JSON.stringify(o.obsShape)}.`, {
        hint: 'Use policy "mlp" for vector observations.',
        details: { option: 'policy' },
      });
    }
    for (const c of o.convArch ?? DEFAULT_CONV_ARCH) {
      x = tf.layers
        .conv2d({ filters: c.filters, kernelSize: c.kernelSize, strides: c.strides ?? 1, padding: 'same', activation: 'relu', kernelInitializer: init() })
        .apply(x) as tf.SymbolicTensor;
    }
  }
  if (o.obsShape.length > 1) x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  for (const units of o.netArch) {
    x = tf.layers.dense({ units: checkInt('netArch[]', units, 1), activation: 'relu', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  }
  let q: tf.SymbolicTensor;
  if (o.dueling) {
    const v = tf.layers.dense({ units: 1, kernelInitializer: init(), name: 'value' }).apply(x) as tf.SymbolicTensor;
    const a = tf.layers.dense({ units: o.nActions, kernelInitializer: init(), name: 'advantage' }).apply(x) as tf.SymbolicTensor;
    q = new DuelingCombine({ name: 'q' }).apply([v, a]) as tf.SymbolicTensor;
  } else {
    q = tf.layers.dense({ units: o.nActions, kernelInitializer: init(), name: 'q' }).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: q });
}

/** Hard (τ = 1) or Polyak (τ < 1) update: target ← τ·online + (1 − τ)·target. */
export function updateTarget(online: tf.LayersModel, target: tf.LayersModel, tau: number): void {
  const src = online.weights;
  const dst = target.weights;
  if (src.length !== dst.length) throw new DlkitError('STATE', 'Online and target Q-networks have different architectures.');
  tf.tidy(() => {
    for (let i = 0; i < src.length; i++) {
      const s = src[i]!.read();
      dst[i]!.write(tau === 1 ? s : tf.add(tf.mul(s, tau), tf.mul(dst[i]!.read(), 1 - tau)));
    }
  });
}

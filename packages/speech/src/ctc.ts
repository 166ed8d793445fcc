/**
 * Connectionist Temporal Classification (Graves et al. 2006) for tfjs, which has none: the loss
 * by the log-space forward–backward algorithm with blanks, for a batch with variable input and
 * label lengths, as a tf.customGrad so autodiff gets the exact gradient (softmax − state
 * occupancy) without differentiating through T sequential logSumExps. Same conventions as
 * PyTorch's `ctc_loss` (inputs are logits here; log-softmax is applied inside).
 *
 * The recursions run in JS on the downloaded log-probabilities: B·T·(2L+1) states is tiny next to
 * the network, and a tfjs op per time step would cost far more in dispatch than the arithmetic.
 * Needs synchronous reads, so not the WebGPU backend (cpu, wasm, webgl, tensorflow are fine).
 */
import { checkInt, DlkitError, invalidOption, tf } from '@dlkit/core';

export interface CtcLossOptions {
  /** Valid frames per batch item (default: all T). Frames after it get no gradient. */
  inputLengths?: ArrayLike<number>;
  /** Blank token index (default 0). */
  blank?: number;
  /**
   * 'none' → [B] losses; 'sum'; 'mean' (PyTorch's: each loss divided by its label length
   * (at least 1), then averaged over the batch). Default 'mean'.
   */
  reduction?: 'none' | 'sum' | 'mean';
  /** Impossible alignments (label longer than the frames allow) give loss 0 instead of Infinity. Their gradient is 0 either way. */
  zeroInfinity?: boolean;
}

const NEG = -Infinity;

function lse2(a: number, b: number): number {
  if (a === NEG) return b;
  if (b === NEG) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * −log p(label | frames) for one item and d(loss)/d(logits) (written into `grad`, [T, K] row-major).
 * `lp` holds log-softmax values [T, K] for this item; only the first `t` frames are used.
 */
export function ctcForwardBackward(lp: Float32Array | Float64Array, k: number, t: number, label: ArrayLike<number>, blank: number, grad?: Float32Array): number {
  const l = label.length;
  const s = 2 * l + 1;
  const ext = new Int32Array(s).fill(blank);
  for (let i = 0; i < l; i++) ext[2 * i + 1] = label[i]!;
  // A skip from s-2 to s is allowed only onto a label that differs from the one before the blank.
  const skip = (i: number) => i >= 2 && ext[i] !== blank && ext[i] !== ext[i - 2];
  const alpha = new Float64Array(t * s).fill(NEG);
  alpha[0] = lp[blank]!;
  if (s > 1) alpha[1] = lp[ext[1]!]!;
  for (let ti = 1; ti < t; ti++) {
    const a0 = (ti - 1) * s;
    const a1 = ti * s;
    // States that cannot reach the end any more are skipped (cheap pruning, exact).
    const lo = Math.max(0, s - 2 * (t - ti));
    const hi = Math.min(s, 2 * (ti + 1));
    for (let i = lo; i < hi; i++) {
      let v = alpha[a0 + i]!;
      if (i >= 1) v = lse2(v, alpha[a0 + i - 1]!);
      if (skip(i)) v = lse2(v, alpha[a0 + i - 2]!);
      alpha[a1 + i] = v === NEG ? NEG : v + lp[ti * k + ext[i]!]!;
    }
  }
  const last = (t - 1) * s;
  const logP = s > 1 ? lse2(alpha[last + s - 1]!, alpha[last + s - 2]!) : alpha[last]!;
  if (!grad) return -logP;
  grad.fill(0);
  if (logP === NEG) return Infinity;
  // beta[t][i]: log-probability of emitting the rest after frame t, from state i at t (emission at t excluded).
  const beta = new Float64Array(t * s).fill(NEG);
  beta[last + s - 1] = 0;
  if (s > 1) beta[last + s - 2] = 0;
  for (let ti = t - 2; ti >= 0; ti--) {
    const b0 = ti * s;
    const b1 = (ti + 1) * s;
    for (let i = 0; i < s; i++) {
      let v = beta[b1 + i]! + lp[(ti + 1) * k + ext[i]!]!;
      if (i + 1 < s) v = lse2(v, beta[b1 + i + 1]! + lp[(ti + 1) * k + ext[i + 1]!]!);
      if (i + 2 < s && skip(i + 2)) v = lse2(v, beta[b1 + i + 2]! + lp[(ti + 1) * k + ext[i + 2]!]!);
      beta[b0 + i] = v;
    }
  }
  // d(−log p)/d(logit[t, c]) = softmax[t, c] − Σ_{i: ext[i] = c} P(state i at t | label).
  for (let ti = 0; ti < t; ti++) {
    const row = ti * k;
    for (let c = 0; c < k; c++) grad[row + c] = Math.exp(lp[row + c]!);
    for (let i = 0; i < s; i++) {
      const a = alpha[ti * s + i]!;
      if (a === NEG) continue;
      grad[row + ext[i]!]! -= Math.exp(a + beta[ti * s + i]! - logP);
    }
  }
  return -logP;
}

function checkTargets(labels: ArrayLike<number>[], b: number, k: number, blank: number): void {
  if (labels.length !== b) throw invalidOption('labels', `${labels.length} sequences`, `one label sequence per batch item (${b})`);
  labels.forEach((seq, i) => {
    for (let j = 0; j < seq.length; j++) {
      const v = seq[j]!;
      if (!Number.isInteger(v) || v < 0 || v >= k || v === blank) {
        throw new DlkitError('INVALID_INPUT', `CTC labels[${i}][${j}] is ${v}; expected an integer in [0, ${k}) other than the blank ${blank}.`, { hint: 'Labels index the vocabulary without the blank token.' });
      }
    }
  });
}

/**
 * CTC loss of `logits` [B, T, K] (unnormalised; log-softmax is applied here) against label
 * sequences (`labels[b]`, token indices without blanks, any lengths). Differentiable w.r.t. logits.
 */
export function ctcLoss(logits: tf.Tensor3D, labels: ArrayLike<number>[], o: CtcLossOptions = {}): tf.Tensor {
  if (logits.rank !== 3) throw new DlkitError('SHAPE_MISMATCH', `ctcLoss needs logits of shape [batch, frames, classes]; got [${logits.shape}].`);
  const [b, t, k] = logits.shape;
  const blank = checkInt('blank', o.blank ?? 0, 0, k - 1);
  const reduction = o.reduction ?? 'mean';
  if (!['none', 'sum', 'mean'].includes(reduction)) throw invalidOption('reduction', reduction, '"none", "sum" or "mean"');
  checkTargets(labels, b, k, blank);
  const lengths = o.inputLengths ? Array.from(o.inputLengths) : new Array<number>(b).fill(t);
  if (lengths.length !== b) throw invalidOption('inputLengths', `${lengths.length} values`, `one length per batch item (${b})`);
  for (let i = 0; i < b; i++) checkInt(`inputLengths[${i}]`, lengths[i], 1, t);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    const lp = tf.logSoftmax(x);
    const data = lp.dataSync() as Float32Array;
    lp.dispose();
    const grads = new Float32Array(b * t * k);
    const losses = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      const n = lengths[i]!;
      const g = grads.subarray(i * t * k, i * t * k + n * k);
      const loss = ctcForwardBackward(data.subarray(i * t * k, (i + 1) * t * k), k, n, labels[i]!, blank, g);
      losses[i] = loss === Infinity && o.zeroInfinity ? 0 : loss;
    }
    const g = tf.tensor3d(grads, [b, t, k]);
    save([g]);
    return {
      value: tf.tensor1d(losses),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0]!, tf.reshape(dy, [b, 1, 1])),
    };
  });
  return tf.tidy(() => {
    const perItem = f(logits) as tf.Tensor1D;
    if (reduction === 'none') return perItem;
    if (reduction === 'sum') return perItem.sum();
    const div = tf.tensor1d(labels.map((s) => Math.max(1, s.length)));
    return perItem.div(div).mean();
  });
}

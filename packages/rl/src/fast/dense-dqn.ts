/**
 * The DQN update for MLP Q-networks on typed arrays (issue 10: per-op overhead in small-model
 * loops). The tfjs autodiff path launches ~290 kernels per update of a 256×256 MLP; here the
 * element-wise work (ReLU, Huber, TD targets, clipping, Adam) is plain JS loops and only the
 * big matrix products go to the backend (gemm.ts), ~11 calls per update.
 * The tfjs models stay the agent's public face (save, load, user code): weights are read from
 * them once and written back after every train() call.
 */
import { type LayersModel, tf } from '@dlkit/core';
import type { ReplayBatch } from '../replay-buffer.js';
import { clipGradNorm, TypedAdam } from './adam.js';
import { DenseNet } from './dense-net.js';

export interface DenseDQNConfig {
  obsSize: number;
  netArch: number[];
  nActions: number;
  dueling: boolean;
  learningRate: number;
  maxGradNorm: number;
  doubleQ: boolean;
}

export interface DenseUpdate {
  loss: number;
  /** |Q(s, a) − y| per sample, before the update (PER priorities). */
  tdAbs: Float32Array;
}

export class DenseDQNTrainer {
  readonly online: DenseNet;
  readonly target: DenseNet;
  readonly adam: TypedAdam;
  private readonly cfg: DenseDQNConfig;

  constructor(cfg: DenseDQNConfig) {
    this.cfg = cfg;
    const spec = { sizes: [cfg.obsSize, ...cfg.netArch, cfg.nActions + (cfg.dueling ? 1 : 0)], dueling: cfg.dueling };
    this.online = new DenseNet(spec);
    this.target = new DenseNet(spec);
    this.adam = new TypedAdam(this.online.params(), cfg.learningRate, 0.9, 0.999, 1e-8);
  }

  /** Reads both networks' weights from the tfjs models (built by q-network.ts). */
  load(qNet: LayersModel, targetNet: LayersModel): void {
    readWeights(qNet, this.online);
    readWeights(targetNet, this.target);
  }

  /** Writes both networks' weights into the tfjs models. */
  store(qNet: LayersModel, targetNet: LayersModel): void {
    writeWeights(this.online, qNet);
    writeWeights(this.target, targetNet);
  }

  /** Greedy actions for k flat observations. */
  greedy(flat: Float32Array, k: number): Int32Array {
    const q = this.online.forward(flat, k).q;
    const n = this.cfg.nActions;
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) out[i] = argmaxRow(q, i * n, n);
    return out;
  }

  update(batch: ReplayBatch): DenseUpdate {
    const B = batch.actions.length;
    const n = this.cfg.nActions;
    const qNextTarget = this.target.forward(batch.nextObservations, B).q;
    const qNextOnline = this.cfg.doubleQ ? this.online.forward(batch.nextObservations, B).q : undefined;
    const f = this.online.forward(batch.observations, B);
    const dQ = new Float32Array(B * n);
    const tdAbs = new Float32Array(B);
    let loss = 0;
    for (let b = 0; b < B; b++) {
      const r = b * n;
      const nextQ = qNextOnline ? qNextTarget[r + argmaxRow(qNextOnline, r, n)]! : qNextTarget[r + argmaxRow(qNextTarget, r, n)]!;
      const y = batch.rewards[b]! + batch.discounts[b]! * (1 - batch.dones[b]!) * nextQ;
      const a = batch.actions[b]!;
      const diff = f.q[r + a]! - y;
      const abs = Math.abs(diff);
      const quad = Math.min(abs, 1);
      const w = batch.weights[b]!;
      // Huber (δ = 1) as torch's smooth_l1_loss, IS-weighted; its gradient is clip(diff, −1, 1).
      loss += w * (0.5 * quad * quad + abs - quad);
      dQ[r + a] = (w * Math.max(-1, Math.min(1, diff))) / B;
      tdAbs[b] = abs;
    }
    const grads = this.online.backward(f, dQ);
    clipGradNorm(grads, this.cfg.maxGradNorm);
    this.adam.step(this.online.params(), grads);
    return { loss: loss / B, tdAbs };
  }
}

function argmaxRow(q: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (q[offset + j]! > q[offset + best]!) best = j;
  return best;
}

type DenseLayer = ReturnType<LayersModel['getLayer']>;

/** The model's dense layers in DenseNet order; a dueling head is the ['value', 'advantage'] pair. */
function denseLayers(model: LayersModel): { hidden: DenseLayer[]; head: DenseLayer[] } {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const head = dense.filter((l) => l.name === 'value' || l.name === 'advantage');
  if (head.length) return { hidden: dense.filter((l) => !head.includes(l)), head: [model.getLayer('value'), model.getLayer('advantage')] };
  return { hidden: dense.slice(0, -1), head: dense.slice(-1) };
}

function readWeights(model: LayersModel, net: DenseNet): void {
  const { hidden, head } = denseLayers(model);
  hidden.forEach((layer, l) => {
    const [k, b] = layer.getWeights();
    net.kernels[l]!.set(k!.dataSync() as Float32Array);
    net.biases[l]!.set(b!.dataSync() as Float32Array);
  });
  const L = hidden.length;
  if (head.length === 1) {
    const [k, b] = head[0]!.getWeights();
    net.kernels[L]!.set(k!.dataSync() as Float32Array);
    net.biases[L]!.set(b!.dataSync() as Float32Array);
    return;
  }
  // Dueling: interleave V's one column and A's n columns into one [h, 1 + n] kernel.
  const [kv, bv] = head[0]!.getWeights().map((t) => t.dataSync() as Float32Array);
  const [ka, ba] = head[1]!.getWeights().map((t) => t.dataSync() as Float32Array);
  const n = net.nActions;
  const k = net.kernels[L]!;
  for (let r = 0; r < net.sizes[L]!; r++) {
    k[r * (n + 1)] = kv![r]!;
    k.set(ka!.subarray(r * n, (r + 1) * n), r * (n + 1) + 1);
  }
  net.biases[L]![0] = bv![0]!;
  net.biases[L]!.set(ba!, 1);
}

function writeWeights(net: DenseNet, model: LayersModel): void {
  const { hidden, head } = denseLayers(model);
  const L = hidden.length;
  // Copies (slice): the cpu backend keeps the array it is given, and Adam updates ours in place.
  tf.tidy(() => {
    hidden.forEach((layer, l) => {
      layer.setWeights([tf.tensor2d(net.kernels[l]!.slice(), [net.sizes[l]!, net.sizes[l + 1]!]), tf.tensor1d(net.biases[l]!.slice())]);
    });
    const h = net.sizes[L]!;
    if (head.length === 1) {
      head[0]!.setWeights([tf.tensor2d(net.kernels[L]!.slice(), [h, net.sizes[L + 1]!]), tf.tensor1d(net.biases[L]!.slice())]);
      return;
    }
    const n = net.nActions;
    const k = net.kernels[L]!;
    const kv = new Float32Array(h);
    const ka = new Float32Array(h * n);
    for (let r = 0; r < h; r++) {
      kv[r] = k[r * (n + 1)]!;
      ka.set(k.subarray(r * (n + 1) + 1, (r + 1) * (n + 1)), r * n);
    }
    head[0]!.setWeights([tf.tensor2d(kv, [h, 1]), tf.tensor1d(net.biases[L]!.slice(0, 1))]);
    head[1]!.setWeights([tf.tensor2d(ka, [h, n]), tf.tensor1d(net.biases[L]!.slice(1))]);
  });
}

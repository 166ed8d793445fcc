/**
 * DQN (Mnih et al. 2015) with SB3's API and training loop (collect `trainFreq` steps, then
 * `gradientSteps` updates; target update every `targetUpdateInterval` env steps; linear ε),
 * plus Double DQN, dueling heads, n-step returns and prioritised replay as options.
 * Everything random comes from one core Rng seeded by `seed`, so a seed reproduces a run on a
 * deterministic backend (cpu).
 */
import { createProgress, DlkitError, type ProgressOptions, Rng, tf } from '@dlkit/core';
import { withChecks } from './check-env.js';
import type { Env } from './env.js';
import { makeEnv } from './envs/registry.js';
import { DenseDQNTrainer } from './fast/dense-dqn.js';
import type { SaveExtra } from './node/save.js';
import { type DQNOptions, type ResolvedDQNOptions, resolveDQNOptions } from './options.js';
import { PrioritizedReplayBuffer } from './prioritized-replay.js';
import { buildQNetwork, updateTarget } from './q-network.js';
import { ReplayBuffer } from './replay-buffer.js';
import { linearSchedule } from './schedules.js';
import { shapeSize } from './spaces.js';
import type { Callback, EpisodeRecord, Policy, PredictOptions, TrainingContext } from './types.js';

export interface LearnOptions {
  totalTimesteps: number;
  callbacks?: Callback<DQN>[];
  /** true → createProgress 'auto'; or a progress mode / callback. */
  progressBar?: boolean | NonNullable<ProgressOptions['mode']>;
  /** false continues the step counter (and episode) of a previous learn(). Default true. */
  resetNumTimesteps?: boolean;
}

export class DQN implements Policy {
  readonly env: Env;
  readonly options: ResolvedDQNOptions;
  readonly obsShape: number[];
  readonly obsSize: number;
  readonly nActions: number;
  qNet: tf.LayersModel;
  targetNet: tf.LayersModel;
  readonly buffer: ReplayBuffer;
  numTimesteps = 0;
  explorationRate: number;
  episodeReturns: number[] = [];
  episodeLengths: number[] = [];
  /** info of each finished episode's last step (Snake: fruits). */
  episodeInfos: Record<string, unknown>[] = [];
  lastLoss = Number.NaN;
  nUpdates = 0;
  /** Options the env was made with (recorded in the model card so load() can remake it). */
  envOptions: Record<string, unknown> = {};
  /** Seconds spent in learn(), summed over calls. */
  wallTime = 0;
  private readonly actRng: Rng;
  private readonly sampleRng: Rng;
  private readonly optimizer: tf.Optimizer;
  /** Typed-array trainer for MLP Q-networks (options.fastPath); undefined → tfjs autodiff. */
  private readonly fast: DenseDQNTrainer | undefined;
  private lastObs: Float32Array | undefined;
  private epReturn = 0;
  private epLength = 0;
  private totalTimesteps = 1;
  private disposed = false;

  /** `env` is an Env or a registered id ('CartPole-v1'); user envs are wrapped with validation. */
  constructor(env: Env | string, options: DQNOptions = {}) {
    this.options = resolveDQNOptions(options);
    this.env = withChecks(typeof env === 'string' ? makeEnv(env) : env);
    this.obsShape = [...this.env.observationSpace.shape];
    this.obsSize = shapeSize(this.obsShape);
    this.nActions = this.env.actionSpace.n;
    const o = this.options;
    const root = new Rng(o.seed);
    const netRng = root.fork();
    this.actRng = root.fork();
    this.sampleRng = root.fork();
    const spec = { obsShape: this.obsShape, nActions: this.nActions, netArch: o.netArch, policy: o.policy, convArch: o.convArch, dueling: o.dueling };
    this.qNet = buildQNetwork({ ...spec, rng: netRng });
    this.targetNet = buildQNetwork({ ...spec, rng: netRng });
    updateTarget(this.qNet, this.targetNet, 1);
    const bufferOpts = { capacity: o.bufferSize, obsSize: this.obsSize, nSteps: o.nSteps, gamma: o.gamma };
    this.buffer = o.prioritizedReplay
      ? new PrioritizedReplayBuffer({ ...bufferOpts, alpha: o.prioritizedReplayAlpha, epsilon: o.prioritizedReplayEps })
      : new ReplayBuffer(bufferOpts);
    this.optimizer = tf.train.adam(o.learningRate, 0.9, 0.999, 1e-8);
    if (o.fastPath && o.policy === 'mlp') {
      const { learningRate, maxGradNorm, doubleQ, dueling, netArch } = o;
      this.fast = new DenseDQNTrainer({ obsSize: this.obsSize, nActions: this.nActions, netArch, dueling, learningRate, maxGradNorm, doubleQ });
      this.fast.load(this.qNet, this.targetNet);
    }
    this.explorationRate = o.explorationInitialEps;
  }

  private get epsilonAt(): (progress: number) => number {
    const o = this.options;
    return linearSchedule(o.explorationInitialEps, o.explorationFinalEps, o.explorationFraction);
  }

  private assertAlive(): void {
    if (this.disposed) throw new DlkitError('STATE', 'This DQN agent was disposed.', { hint: 'Create or load a new one.' });
  }

  /** Greedy actions for `k` observations laid out flat (k × obsSize). */
  private greedy(flat: Float32Array, k: number): Int32Array {
    if (this.fast) return this.fast.greedy(flat, k);
    return tf.tidy(() => {
      const q = this.qNet.predict(tf.tensor(flat, [k, ...this.obsShape])) as tf.Tensor;
      return tf.argMax(q, 1).dataSync() as Int32Array;
    });
  }

  /** Q-values (k × nActions) for flat observations. */
  qValues(observation: Float32Array | number[]): Float32Array {
    this.assertAlive();
    const flat = Float32Array.from(observation);
    const k = this.batchCount(flat.length);
    if (this.fast) return this.fast.online.forward(flat, k).q;
    return tf.tidy(() => (this.qNet.predict(tf.tensor(flat, [k, ...this.obsShape])) as tf.Tensor).dataSync() as Float32Array);
  }

  private shapeError(length: number): DlkitError {
    return new DlkitError(
      'SHAPE_MISMATCH',
      `predict: observation has ${length} values; expected ${this.obsSize} (shape ${JSON.stringify(this.obsShape)}) or a multiple of it for a batch.`,
      { details: { length, expected: this.obsSize } },
    );
  }

  private batchCount(length: number): number {
    if (length === 0 || length % this.obsSize !== 0) throw this.shapeError(length);
    return length / this.obsSize;
  }

  /**
   * One observation → one action; an array of observations (or a flat k·obsSize array, k > 1)
   * → an array of actions. `deterministic: false` explores with the current ε.
   */
  predict(observation: Float32Array | number[], options?: PredictOptions): number;
  predict(observations: (Float32Array | number[])[], options?: PredictOptions): number[];
  predict(observation: Float32Array | number[] | (Float32Array | number[])[], options: PredictOptions = {}): number | number[] {
    this.assertAlive();
    const deterministic = options.deterministic ?? true;
    let flat: Float32Array;
    let batched: boolean;
    if (Array.isArray(observation) && observation.length > 0 && typeof observation[0] !== 'number') {
      const rows = observation as (Float32Array | number[])[];
      flat = new Float32Array(rows.length * this.obsSize);
      rows.forEach((r, i) => {
        if (r.length !== this.obsSize) throw this.shapeError(r.length);
        flat.set(r, i * this.obsSize);
      });
      batched = true;
    } else {
      flat = observation instanceof Float32Array ? observation : Float32Array.from(observation as number[]);
      batched = flat.length !== this.obsSize;
    }
    for (let i = 0; i < flat.length; i++) {
      if (!Number.isFinite(flat[i]!)) throw new DlkitError('NUMERIC', `predict: observation value ${flat[i]} at index ${i} is not finite.`);
    }
    const k = this.batchCount(flat.length);
    const actions = Array.from(this.greedy(flat, k));
    if (!deterministic) {
      for (let i = 0; i < k; i++) if (this.actRng.next() < this.explorationRate) actions[i] = this.actRng.int(this.nActions);
    }
    return batched ? actions : actions[0]!;
  }

  private context(): TrainingContext<DQN> {
    return {
      agent: this,
      numTimesteps: this.numTimesteps,
      totalTimesteps: this.totalTimesteps,
      explorationRate: this.explorationRate,
      episodeReturns: this.episodeReturns,
      episodeLengths: this.episodeLengths,
      lastLoss: this.lastLoss,
    };
  }

  async learn(options: LearnOptions): Promise<this> {
    this.assertAlive();
    const total = options?.totalTimesteps;
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 1) {
      throw new DlkitError('INVALID_OPTION', `Invalid option totalTimesteps: ${String(total)}; expected an integer ≥ 1.`, { details: { option: 'totalTimesteps' } });
    }
    const o = this.options;
    const callbacks = options.callbacks ?? [];
    const reset = options.resetNumTimesteps ?? true;
    if (reset) {
      this.numTimesteps = 0;
      this.lastObs = undefined;
    }
    const start = this.numTimesteps;
    this.totalTimesteps = start + total;
    const started = Date.now();
    const pb = options.progressBar;
    const progress = pb
      ? createProgress({ label: `DQN ${this.env.id}`, total, unit: 'steps', mode: pb === true ? 'auto' : pb })
      : undefined;
    if (this.lastObs === undefined) {
      this.lastObs = this.env.reset(reset && start === 0 ? o.seed : undefined).observation;
      this.epReturn = 0;
      this.epLength = 0;
    }
    for (const cb of callbacks) await cb.onTrainingStart?.(this.context());
    let stop = false;
    try {
      while (!stop && this.numTimesteps < this.totalTimesteps) {
        let collected = 0;
        while (collected < o.trainFreq && this.numTimesteps < this.totalTimesteps) {
          const obs = this.lastObs!;
          const action = this.numTimesteps < o.learningStarts ? this.actRng.int(this.nActions) : this.predict(obs, { deterministic: false });
          const r = this.env.step(action);
          this.numTimesteps++;
          collected++;
          this.epReturn += r.reward;
          this.epLength++;
          const ctx = this.context();
          for (const cb of callbacks) if ((await cb.onStep?.(ctx)) === false) stop = true;
          this.buffer.add(obs, action, r.reward, r.observation, r.terminated, r.truncated);
          this.lastObs = r.observation;
          // SB3's _on_step: target update and ε, after the transition is stored.
          if (this.numTimesteps % o.targetUpdateInterval === 0) this.updateTargetNetwork();
          this.explorationRate = this.epsilonAt(this.numTimesteps / this.totalTimesteps);
          if (r.terminated || r.truncated) {
            const ep: EpisodeRecord = { return: this.epReturn, length: this.epLength, info: r.info };
            this.episodeReturns.push(ep.return);
            this.episodeLengths.push(ep.length);
            this.episodeInfos.push(r.info);
            for (const cb of callbacks) await cb.onEpisodeEnd?.(this.context(), ep);
            this.lastObs = this.env.reset().observation;
            this.epReturn = 0;
            this.epLength = 0;
          }
          if (progress) {
            const ret = this.recentMeanReturn();
            progress.update(this.numTimesteps - start, Number.isNaN(ret) ? { eps: +this.explorationRate.toFixed(3) } : { eps: +this.explorationRate.toFixed(3), return: ret });
          }
          if (stop) break;
        }
        if (!stop && this.numTimesteps > o.learningStarts && this.buffer.size > 0) {
          this.train(o.gradientSteps === -1 ? collected : o.gradientSteps);
        }
      }
    } finally {
      this.wallTime += (Date.now() - started) / 1000;
      progress?.done(Number.isNaN(this.recentMeanReturn()) ? {} : { return: this.recentMeanReturn() });
    }
    for (const cb of callbacks) await cb.onTrainingEnd?.(this.context());
    return this;
  }

  /** Mean return of the last `n` finished training episodes (NaN when none). */
  recentMeanReturn(n = 100): number {
    const r = this.episodeReturns.slice(-n);
    return r.length ? +(r.reduce((a, b) => a + b, 0) / r.length).toFixed(4) : Number.NaN;
  }

  /** target ← τ·online + (1 − τ)·target (SB3's polyak_update; τ = 1 is a hard copy). */
  private updateTargetNetwork(): void {
    // The fast path's arrays are the live weights; the tfjs target follows at the end of train().
    if (this.fast) this.fast.target.copyFrom(this.fast.online, this.options.tau);
    else updateTarget(this.qNet, this.targetNet, this.options.tau);
  }

  private checkLoss(updates: number): void {
    if (!Number.isFinite(this.lastLoss)) {
      throw new DlkitError('NUMERIC', `DQN loss became ${this.lastLoss} after ${updates} updates.`, {
        hint: 'Lower learningRate, check the environment rewards/observations for huge values, or keep maxGradNorm small.',
      });
    }
  }

  /** `steps` gradient updates on replay batches (public for tests and custom loops). */
  train(steps: number): void {
    this.assertAlive();
    if (this.fast) {
      this.trainFast(this.fast, steps);
      return;
    }
    const o = this.options;
    const B = o.batchSize;
    const shape = [B, ...this.obsShape];
    const per = this.buffer instanceof PrioritizedReplayBuffer ? this.buffer : undefined;
    const vars = this.qNet.trainableWeights.map((w) => w.read() as tf.Variable);
    for (let s = 0; s < steps; s++) {
      const batch = per ? per.sampleWithBeta(B, this.beta(), this.sampleRng) : this.buffer.sample(B, this.sampleRng);
      const [loss, td] = tf.tidy(() => {
        const obs = tf.tensor(batch.observations, shape);
        const next = tf.tensor(batch.nextObservations, shape);
        const actionMask = tf.oneHot(tf.tensor1d(batch.actions, 'int32'), this.nActions).toFloat();
        const qNextTarget = this.targetNet.apply(next) as tf.Tensor2D;
        const nextQ = o.doubleQ
          ? tf.sum(tf.mul(qNextTarget, tf.oneHot(tf.argMax(this.qNet.apply(next) as tf.Tensor2D, 1), this.nActions)), 1)
          : tf.max(qNextTarget, 1);
        const notDone = tf.sub(1, tf.tensor1d(batch.dones));
        const y = tf.add(tf.tensor1d(batch.rewards), tf.mul(tf.mul(tf.tensor1d(batch.discounts), notDone), nextQ));
        const weights = tf.tensor1d(batch.weights);
        let tdAbs: tf.Tensor | undefined;
        if (per) tdAbs = tf.abs(tf.sub(tf.sum(tf.mul(this.qNet.apply(obs) as tf.Tensor, actionMask), 1), y));
        const { value, grads } = tf.variableGrads(() => {
          const q = this.qNet.apply(obs, { training: true }) as tf.Tensor;
          const diff = tf.sub(tf.sum(tf.mul(q, actionMask), 1), y);
          const a = tf.abs(diff);
          // Huber (smooth L1, δ = 1) as torch's F.smooth_l1_loss; IS-weighted for PER.
          // 0.5·min(|d|,1)² + (|d| − min(|d|,1)): differentiable everywhere with tfjs ops.
          const quad = tf.minimum(a, 1);
          const huber = tf.add(tf.mul(0.5, tf.square(quad)), tf.sub(a, quad));
          return tf.mean(tf.mul(huber, weights)) as tf.Scalar;
        }, vars);
        const names = Object.keys(grads);
        const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!)))));
        const coef = tf.minimum(1, tf.div(o.maxGradNorm, tf.add(norm, 1e-6)));
        const clipped: Record<string, tf.Tensor> = {};
        for (const n of names) clipped[n] = tf.mul(grads[n]!, coef);
        this.optimizer.applyGradients(clipped);
        return [value, tdAbs ?? tf.scalar(0)];
      });
      if (per) per.updatePriorities(batch.indices, td.dataSync());
      if (s === steps - 1 || per) this.lastLoss = loss.dataSync()[0]!;
      loss.dispose();
      td.dispose();
      if (s === steps - 1) this.checkLoss(this.nUpdates + s + 1);
    }
    this.nUpdates += steps;
  }

  private beta(): number {
    const b0 = this.options.prioritizedReplayBeta0;
    return b0 + (1 - b0) * Math.min(1, this.numTimesteps / this.totalTimesteps);
  }

  /** train() on the typed-array path: same batches (same Rng draws), same loss and optimizer. */
  private trainFast(fast: DenseDQNTrainer, steps: number): void {
    const B = this.options.batchSize;
    const per = this.buffer instanceof PrioritizedReplayBuffer ? this.buffer : undefined;
    try {
      for (let s = 0; s < steps; s++) {
        const batch = per ? per.sampleWithBeta(B, this.beta(), this.sampleRng) : this.buffer.sample(B, this.sampleRng);
        const { loss, tdAbs } = fast.update(batch);
        if (per) per.updatePriorities(batch.indices, tdAbs);
        this.lastLoss = loss;
        this.checkLoss(this.nUpdates + s + 1);
      }
    } finally {
      fast.store(this.qNet, this.targetNet);
    }
    this.nUpdates += steps;
  }

  /** Copies the Q-network weights from another network of the same architecture. */
  setQNetworkWeights(source: tf.LayersModel): void {
    const src = source.weights;
    const dst = this.qNet.weights;
    if (src.length !== dst.length || src.some((w, i) => w.shape.join() !== dst[i]!.shape.join())) {
      throw new DlkitError('CORRUPT_DATA', 'The saved Q-network does not match the architecture in its model card.', {
        hint: 'Re-save the agent; netArch/policy/dueling in model-card.json must describe the saved network.',
      });
    }
    updateTarget(source, this.qNet, 1);
    updateTarget(source, this.targetNet, 1);
    this.fast?.load(this.qNet, this.targetNet);
  }

  /** Saves the Q-network with core saveModel plus a model card (task 'reinforcement-learning'). Node only. */
  async save(dir: string, extra: SaveExtra = {}): Promise<void> {
    this.assertAlive();
    const { saveAgent } = await import('./node/save.js');
    await saveAgent(this, dir, extra);
  }

  /** Loads an agent saved by `save`; `env` defaults to the card's env id. Node only. */
  static async load(dir: string, env?: Env | string): Promise<DQN> {
    const { loadAgent } = await import('./node/save.js');
    return loadAgent(dir, env);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.qNet.dispose();
    this.targetNet.dispose();
    this.optimizer.dispose();
  }
}

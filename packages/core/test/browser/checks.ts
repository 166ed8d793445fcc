/**
 * The checks that run inside the page, one backend at a time. Inputs are plain arrays from a
 * seeded Rng so every backend sees identical numbers; results go back to Node as JSON.
 * Reads use `await t.data()`: WebGPU forbids synchronous reads.
 */
import { type BackendReport, Rng, selectBackend, tf } from '@dlkit/core';

type Shape4 = [number, number, number, number];
type Op = 'conv2d' | 'depthwise';
type BrowserBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface GradCase {
  name: string;
  op: Op | 'chain';
  x: Shape4;
  f: Shape4;
  strides: 1 | 2;
  pad: 'same' | 'valid';
}

/** Both ops × strides 1, 2 × 'same', 'valid', plus conv2d → depthwise chained (a nonlinear loss). */
export const CASES: GradCase[] = [];
for (const op of ['conv2d', 'depthwise', 'chain'] as const) {
  for (const strides of [1, 2] as const) {
    for (const pad of ['same', 'valid'] as const) {
      const f: Shape4 = op === 'depthwise' ? [3, 3, 3, 2] : [3, 3, 3, 4];
      CASES.push({ name: `${op} s${strides} ${pad}`, op, x: [2, 7, 8, 3], f, strides, pad });
    }
  }
}

export interface Numbers {
  forward: number[];
  grads: number[][];
}

export interface BackendSummary {
  backend: BrowserBackend;
  report: BackendReport;
  cases: { name: string; forwardErr: number; gradErr: number[] }[];
  /** cpu with dlkit's gradients vs tfjs's stock cpu backprop kernels, per single-op case. */
  cpuVsStockErr: number[][];
  train: { lossBefore: number; lossAfter: number; cpuLossBefore: number };
  tensorsBefore: number;
  tensorsAfter: number;
  ms: number;
}

function values(shape: number[], rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

interface CaseInputs {
  x: tf.Tensor4D;
  f: tf.Tensor4D;
  f2: tf.Tensor4D;
  /** Cotangent: loss = Σ forward ⊙ R. */
  R: tf.Tensor4D;
}

function forward(c: GradCase, x: tf.Tensor4D, f: tf.Tensor4D, f2: tf.Tensor4D): tf.Tensor4D {
  if (c.op === 'conv2d') return tf.conv2d(x, f, c.strides, c.pad);
  if (c.op === 'depthwise') return tf.depthwiseConv2d(x, f, c.strides, c.pad);
  return tf.depthwiseConv2d(tf.relu(tf.conv2d(x, f, c.strides, c.pad)), f2, 1, 'same');
}

/** Same numbers on every backend: one seeded stream, drawn in a fixed order. */
function makeInputs(c: GradCase): CaseInputs {
  const rng = new Rng(1234);
  const x = tf.tensor4d(values(c.x, rng), c.x);
  const f = tf.tensor4d(values(c.f, rng), c.f);
  const f2Shape: Shape4 = [3, 3, c.f[3], 2];
  const f2 = tf.tensor4d(values(f2Shape, rng), f2Shape);
  const yShape = tf.tidy(() => forward(c, x, f, f2).shape);
  return { x, f, f2, R: tf.tensor4d(values(yShape, rng), yShape) };
}

/** Forward output and the gradients of its loss w.r.t. every input, on the current backend. */
async function runCase(c: GradCase): Promise<Numbers> {
  const { x, f, f2, R } = makeInputs(c);
  const y = tf.tidy(() => forward(c, x, f, f2));
  // Bilinear in (x, f) for single ops — its gradient is exactly the backprop of R; the chain
  // adds relu and a second conv so the two fixed gradients compose.
  const loss = (a: tf.Tensor, b: tf.Tensor, b2: tf.Tensor) => tf.sum(tf.mul(forward(c, a as tf.Tensor4D, b as tf.Tensor4D, b2 as tf.Tensor4D), R)) as tf.Scalar;
  const inputs = c.op === 'chain' ? [x, f, f2] : [x, f];
  const gs = tf.grads((...args: tf.Tensor[]) => loss(args[0]!, args[1]!, args[2] ?? f2))(inputs);
  const out: Numbers = { forward: Array.from(await y.data()), grads: [] };
  for (const g of gs) out.grads.push(Array.from(await g.data()));
  tf.dispose([x, f, f2, y, R, ...gs]);
  return out;
}

/**
 * tfjs's stock cpu backprop kernels, called directly: an independent reference for the cpu
 * result, which every other backend is then compared with. Single-op cases only.
 */
async function stockCpuGrads(c: GradCase): Promise<number[][]> {
  const { x, f, f2, R } = makeInputs(c);
  const names =
    c.op === 'conv2d'
      ? ['Conv2DBackpropInput', 'Conv2DBackpropFilter']
      : ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'];
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined };
  const e = tf.engine();
  const gx = e.runKernel(names[0]!, { dy: R, filter: f }, { ...attrs, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const gf = e.runKernel(names[1]!, { x, dy: R }, { ...attrs, filterShape: f.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const out = [Array.from(await gx.data()), Array.from(await gf.data())];
  tf.dispose([x, f, f2, R, gx, gf]);
  return out;
}

/** One SGD step on a tiny convnet (conv2d → relu → strided depthwise → relu → mean → dense). */
async function trainStep(): Promise<{ lossBefore: number; lossAfter: number }> {
  const rng = new Rng(99);
  const n = 8;
  const xs = tf.tensor4d(values([n, 8, 8, 1], rng), [n, 8, 8, 1]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 2), 'int32'), 2));
  const scale = (shape: number[], s: number) => values(shape, rng).map((v) => v * s);
  // tidy frees the initial tensors; the variables own copies of their data and survive it.
  const w1 = tf.tidy(() => tf.variable(tf.tensor4d(scale([3, 3, 1, 4], 0.5), [3, 3, 1, 4])));
  const w2 = tf.tidy(() => tf.variable(tf.tensor4d(scale([3, 3, 4, 2], 0.3), [3, 3, 4, 2])));
  const w3 = tf.tidy(() => tf.variable(tf.tensor2d(scale([8, 2], 0.5), [8, 2])));
  const loss = () =>
    tf.tidy(() => {
      const h1 = tf.relu(tf.conv2d(xs, w1, 1, 'same'));
      const h2 = tf.relu(tf.depthwiseConv2d(h1, w2, 2, 'valid'));
      const logits = tf.matMul(tf.mean(h2, [1, 2]), w3);
      return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
    });
  const opt = tf.train.sgd(0.5);
  const before = opt.minimize(loss, true)!;
  const after = loss();
  const result = { lossBefore: (await before.data())[0]!, lossAfter: (await after.data())[0]! };
  tf.dispose([xs, ys, w1, w2, w3, before, after]);
  opt.dispose();
  return result;
}

/** max |a − b| / max |b|: error relative to the reference's scale, robust to zeros. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let scale = 1e-6;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    worst = Math.max(worst, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
  }
  return worst / scale;
}

let reference: { cases: Numbers[]; stockErr: number[][]; train: { lossBefore: number } } | undefined;

async function cpuReference() {
  if (reference) return reference;
  await selectBackend('cpu');
  const cases: Numbers[] = [];
  const stockErr: number[][] = [];
  for (const c of CASES) {
    const ours = await runCase(c);
    cases.push(ours);
    if (c.op !== 'chain') stockErr.push((await stockCpuGrads(c)).map((g, k) => maxRelErr(ours.grads[k]!, g)));
  }
  reference = { cases, stockErr, train: await trainStep() };
  return reference;
}

export async function checkBackend(backend: BrowserBackend): Promise<BackendSummary> {
  const ref = await cpuReference();
  const t0 = performance.now();
  const report = await selectBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const cases: BackendSummary['cases'] = [];
  for (const [i, c] of CASES.entries()) {
    const got = await runCase(c);
    const want = ref.cases[i]!;
    cases.push({
      name: c.name,
      forwardErr: maxRelErr(got.forward, want.forward),
      gradErr: got.grads.map((g, k) => maxRelErr(g, want.grads[k] ?? [])),
    });
  }
  const train = { ...(await trainStep()), cpuLossBefore: ref.train.lossBefore };
  return { backend, report, cases, cpuVsStockErr: ref.stockErr, train, tensorsBefore, tensorsAfter: tf.memory().numTensors, ms: performance.now() - t0 };
}

export async function checkAuto(): Promise<{ report: BackendReport; backend: string; crossOriginIsolated: boolean }> {
  const report = await selectBackend('auto');
  return { report, backend: tf.getBackend(), crossOriginIsolated: globalThis.crossOriginIsolated === true };
}

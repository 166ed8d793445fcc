/**
 * Gradient checks for the kernel fixes on every backend present (cpu, wasm, and webgpu when an
 * adapter exists; DLKIT_REQUIRE_WEBGPU=1 — set by CI — turns a missing adapter into a failure).
 * Two independent references: central finite differences of a bilinear loss (exact up to float
 * rounding, so tolerances can be tight), and tfjs's stock backprop kernels run on cpu.
 */

import { type BackendName, selectBackend, tf } from '@dlkit/core';
import { initNodeWebGPU } from '@dlkit/core/node';
import { describe, expect, it } from 'vitest';

interface Case {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid';
  dilations: number;
}

const CASES: Case[] = [
  { name: '3x3 s1 same', x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same', dilations: 1 },
  { name: '3x3 s2 same', x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same', dilations: 1 },
  { name: '3x3 s2 valid (unused border)', x: [2, 10, 10, 3], f: [3, 3, 3, 4], strides: 2, pad: 'valid', dilations: 1 },
  { name: '5x3 s[3,2] same', x: [2, 11, 10, 3], f: [5, 3, 3, 2], strides: [3, 2], pad: 'same', dilations: 1 },
  { name: '3x3 dilation 2 same', x: [1, 9, 9, 2], f: [3, 3, 2, 2], strides: 1, pad: 'same', dilations: 2 },
  { name: '1x1 s1 valid', x: [3, 5, 5, 4], f: [1, 1, 4, 3], strides: 1, pad: 'valid', dilations: 1 },
  // conv1d shapes ([B,1,W,C], 1xK filters) take conv1dFilterGrad's single-matmul path.
  { name: 'conv1d k5 same', x: [3, 1, 11, 4], f: [1, 5, 4, 3], strides: 1, pad: 'same', dilations: 1 },
  { name: 'conv1d k4 same (uneven padding)', x: [2, 1, 9, 3], f: [1, 4, 3, 5], strides: 1, pad: 'same', dilations: 1 },
  { name: 'conv1d k3 valid dilation 2', x: [2, 1, 12, 3], f: [1, 3, 3, 2], strides: 1, pad: 'valid', dilations: 2 },
  { name: 'conv1d k1', x: [2, 1, 7, 3], f: [1, 1, 3, 4], strides: 1, pad: 'valid', dilations: 1 },
  { name: 'conv1d k3 stride 2 (general path)', x: [2, 1, 11, 3], f: [1, 3, 3, 2], strides: 2, pad: 'same', dilations: 1 },
];

type Op = 'conv2d' | 'depthwise';

function forward(op: Op, c: Case, x: tf.Tensor4D, f: tf.Tensor4D): tf.Tensor4D {
  return op === 'conv2d'
    ? tf.conv2d(x, f, c.strides, c.pad, 'NHWC', c.dilations)
    : tf.depthwiseConv2d(x, f, c.strides, c.pad, 'NHWC', c.dilations);
}

function filterShape(op: Op, c: Case): [number, number, number, number] {
  // depthwise: [fh, fw, C, multiplier]; use the case's last dim as multiplier (capped at 2).
  return op === 'conv2d' ? c.f : [c.f[0], c.f[1], c.x[3], Math.min(2, c.f[3])];
}

/** Deterministic inputs as plain arrays, so each backend gets identical values. */
function inputs(op: Op, c: Case) {
  const rnd = (shape: number[], seed: number) => tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).arraySync()) as number[][][][];
  // Generate on cpu-independent math: randomNormal with a seed is backend-independent in tfjs.
  return { x: rnd(c.x, 1), f: rnd(filterShape(op, c), 2) };
}

async function gradsOn(op: Op, c: Case, xv: number[][][][], fv: number[][][][], r: tf.Tensor4D | undefined) {
  const x = tf.tensor4d(xv);
  const f = tf.tensor4d(fv);
  const y = forward(op, c, x, f);
  const R = r ?? tf.randomNormal(y.shape, 0, 1, 'float32', 3);
  y.dispose();
  // Bilinear loss: L = Σ conv(x, f) ⊙ R, so dL/dx and dL/df are exactly the backprop of R.
  const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(op, c, a as tf.Tensor4D, b as tf.Tensor4D), R)) as tf.Scalar;
  const [gx, gf] = tf.grads(loss)([x, f]);
  const out = { gx: (await gx!.data()) as Float32Array, gf: (await gf!.data()) as Float32Array, R: (await R.data()) as Float32Array, rShape: R.shape };
  tf.dispose([x, f, gx!, gf!, R]);
  return out;
}

async function finiteDifference(op: Op, c: Case, xv: number[][][][], fv: number[][][][], R: Float32Array, rShape: number[], which: 'x' | 'f', index: number) {
  const eps = 0.5; // the loss is linear in each argument, so a large step has no truncation error
  const base = tf.tensor4d(which === 'x' ? xv : fv);
  const flat = (await base.data()) as Float32Array;
  const plus = flat.slice();
  plus[index] += eps;
  const minus = flat.slice();
  minus[index] -= eps;
  const other = tf.tensor4d(which === 'x' ? fv : xv);
  const Rt = tf.tensor(R, rShape);
  const val = async (vals: Float32Array) => {
    const t = tf.tensor4d(vals, base.shape);
    const l = tf.tidy(() => tf.sum(tf.mul(which === 'x' ? forward(op, c, t, other) : forward(op, c, other, t), Rt)));
    const v = (await l.data())[0]!;
    tf.dispose([t, l]);
    return v;
  };
  const d = ((await val(plus)) - (await val(minus))) / (2 * eps);
  tf.dispose([base, other, Rt]);
  return d;
}

/** tfjs's stock backprop kernels on cpu, called directly (dilation 1 only: they have no dilation attr). */
function stockGrads(op: Op, c: Case, xv: number[][][][], fv: number[][][][], R: Float32Array, rShape: number[]) {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv);
    const f = tf.tensor4d(fv);
    const dy = tf.tensor(R, rShape);
    const e = tf.engine();
    const common: Record<string, unknown> = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, dilations: c.dilations };
    const names = op === 'conv2d'
      ? ['Conv2DBackpropInput', 'Conv2DBackpropFilter']
      : ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'];
    const gx = e.runKernel(names[0]!, { dy, filter: f }, { ...common, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const gf = e.runKernel(names[1]!, { x, dy }, { ...common, filterShape: f.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return { gx: gx.dataSync().slice(), gf: gf.dataSync().slice() };
  });
}

function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  return worst;
}

const webgpu = await initNodeWebGPU();
const requireWebGPU = process.env.DLKIT_REQUIRE_WEBGPU === '1';
const backends: BackendName[] = ['cpu', 'wasm'];
if (webgpu.available) backends.push('webgpu');

describe('webgpu availability', () => {
  it.runIf(requireWebGPU)('has a WebGPU adapter when DLKIT_REQUIRE_WEBGPU=1 (CI installs a software Vulkan driver)', () => {
    expect(webgpu.available, webgpu.reason).toBe(true);
  });
  // Only when there is no adapter: a skipped test whose title carries the reason.
  if (!webgpu.available) it.skip(`webgpu gradient checks skipped: ${webgpu.reason}`, () => {});
});

// Reference gradients from cpu, computed once per (op, case); other backends are compared to them.
const reference = new Map<string, { gx: Float32Array; gf: Float32Array }>();

for (const backend of backends) {
  describe(`conv gradients on ${backend}`, () => {
    for (const op of ['conv2d', 'depthwise'] as const) {
      for (const c of CASES) {
        it(`${op} ${c.name}`, async () => {
          await selectBackend(backend);
          const before = tf.memory().numTensors;
          const { x: xv, f: fv } = inputs(op, c);
          const g = await gradsOn(op, c, xv, fv, undefined);

          // 1. finite differences at a spread of positions
          for (const which of ['x', 'f'] as const) {
            const grad = which === 'x' ? g.gx : g.gf;
            for (let k = 0; k < 4; k++) {
              const i = (k * 7919 + 13) % grad.length;
              const num = await finiteDifference(op, c, xv, fv, g.R, g.rShape, which, i);
              expect(Math.abs(num - grad[i]!), `${which}[${i}] analytic ${grad[i]} vs numeric ${num}`).toBeLessThan(2e-3 + 1e-3 * Math.abs(num));
            }
          }

          // 2. against tfjs's stock backprop kernels (cpu), or against the cpu result
          const key = `${op}|${c.name}`;
          if (backend === 'cpu') {
            reference.set(key, { gx: g.gx, gf: g.gf });
            if (c.dilations === 1) {
              await selectBackend('cpu');
              const s = stockGrads(op, c, xv, fv, g.R, g.rShape);
              expect(maxRelErr(g.gx, s.gx)).toBeLessThan(1e-5);
              expect(maxRelErr(g.gf, s.gf)).toBeLessThan(1e-5);
            }
          } else {
            const ref = reference.get(key);
            expect(ref, 'cpu reference computed first').toBeDefined();
            expect(maxRelErr(g.gx, ref!.gx)).toBeLessThan(1e-4);
            expect(maxRelErr(g.gf, ref!.gf)).toBeLessThan(1e-4);
          }
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }

    // Generous timeout: software WebGPU compiles every shader on SwiftShader, which alone can take
    // over a minute on a busy 2-core machine.
    it('trains a small convnet with layers (loss goes down, no missing kernels)', async () => {
      await selectBackend(backend);
      const before = tf.memory().numTensors;
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
          tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, activation: 'relu' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 2, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
      // Class = whether the bright square is in the top or the bottom half.
      const n = 64;
      const xs = tf.tidy(() => {
        const img = tf.buffer([n, 8, 8, 1]);
        for (let i = 0; i < n; i++) {
          const top = i % 2 === 0;
          for (let r = 0; r < 3; r++) for (let q = 0; q < 3; q++) img.set(1, i, (top ? 1 : 5) + r, 2 + q, 0);
        }
        return img.toTensor();
      });
      const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 2), 'int32'), 2));
      const h = await model.fit(xs, ys, { epochs: 15, batchSize: 16, verbose: 0 });
      const losses = h.history.loss as number[];
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
      tf.dispose([xs, ys]);
      model.optimizer.dispose(); // LayersModel.dispose() leaves the optimizer's slots alive
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }, 240_000);
  });
}

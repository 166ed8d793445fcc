/**
 * dlkit's replacement kernels for tfjs-backend-wasm (MaxPoolGrad, transposed BatchMatMul and
 * _FusedMatMul, leading-axes Sum and Mean, Tile, shared-data Identity) against tfjs's reference cpu kernels, values and gradients,
 * plus a check that nothing leaks on the wasm heap.
 */
import { maxPoolGradSimd, selectBackend, stockWasmKernel, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';
import { sumLeadingAxesSimd } from '../src/kernels/wasm/sum.js';

type Make = () => tf.Tensor;

/** Runs `f` on `backend` with freshly made inputs; returns the values. */
async function on(backend: 'cpu' | 'wasm', f: Make): Promise<Float32Array> {
  return (await run(backend, f)).values;
}

async function run(backend: 'cpu' | 'wasm', f: Make): Promise<{ values: Float32Array; shape: number[] }> {
  await selectBackend(backend);
  const t = tf.tidy(f);
  const values = Float32Array.from((await t.data()) as Float32Array);
  t.dispose();
  return { values, shape: t.shape };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Deterministic data; `ties` rounds to a few levels so windows contain equal maxima. */
function data(shape: number[], seed: number, ties = false): Make {
  return () => {
    const t = tf.randomNormal(shape, 0, 1, 'float32', seed);
    return ties ? tf.round(tf.mul(t, 1.5)) : t;
  };
}

async function expectSame(f: Make, tol = 0): Promise<void> {
  const ref = await run('cpu', f);
  const ours = await run('wasm', f);
  expect(ours.shape).toEqual(ref.shape);
  expect(maxAbsDiff(ours.values, ref.values)).toBeLessThanOrEqual(tol);
}

async function wasmHeapCount(): Promise<number> {
  await selectBackend('wasm');
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

describe('wasm MaxPoolGrad (JS kernel; SIMD for non-overlapping windows over 4k channels) matches tfjs cpu', () => {
  const cases: [string, number[], number | [number, number], number | [number, number], 'valid' | 'same'][] = [
    ['2x2 s2 valid', [2, 8, 8, 3], 2, 2, 'valid'],
    ['SIMD: 2x2 s2 valid, 8 channels', [2, 8, 8, 8], 2, 2, 'valid'],
    ['SIMD: 2x2 s2 valid, odd size (unused border), 4 channels', [3, 11, 9, 4], 2, 2, 'valid'],
    ['SIMD: 3x2 s[3,2] valid, 12 channels', [2, 9, 8, 12], [3, 2], [3, 2], 'valid'],
    ['2x2 s2 valid, odd size (unused border)', [2, 9, 7, 3], 2, 2, 'valid'],
    ['3x3 s2 same (overlapping windows add up)', [2, 9, 9, 4], 3, 2, 'same'],
    ['3x3 s1 same', [1, 6, 6, 2], 3, 1, 'same'],
    ['[3,2] s[2,1] valid', [2, 7, 6, 3], [3, 2], [2, 1], 'valid'],
  ];
  for (const [name, shape, filter, strides, pad] of cases) {
    for (const ties of [false, true]) {
      it(`${name}${ties ? ', with tied maxima' : ''}`, async () => {
        const x = data(shape, 7, ties);
        const grad = () => {
          const xs = x();
          const w = tf.randomNormal(tf.maxPool(xs as tf.Tensor4D, filter, strides, pad).shape, 0, 1, 'float32', 3);
          return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, filter, strides, pad), w)))(xs);
        };
        // Overlapping windows add several dy into one element: only the order of those sums differs.
        const overlapping = JSON.stringify(filter) !== JSON.stringify(strides);
        await expectSame(grad, overlapping ? 1e-6 : 0);
      });
    }
  }

  it('SIMD and JS kernels agree on -Infinity and NaN windows (none gets dy) and leak nothing', async () => {
    const special = () => {
      const r = tf.randomNormal([2, 4, 4, 8], 0, 1, 'float32', 11);
      const v = r.bufferSync();
      r.dispose();
      for (let c = 0; c < 8; c++) {
        for (const [h, w] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) v.set(Number.NEGATIVE_INFINITY, 0, h, w, c);
        v.set(Number.NaN, 1, 2, 2, c); // NaN first in its window: the others compete as usual
        v.set(Number.NaN, 1, 0, 3, c); // NaN later in a window
      }
      const xs = v.toTensor();
      return tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')))(xs);
    };
    const ref = await on('cpu', special);
    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    expect(maxAbsDiff(await on('wasm', special), ref)).toBe(0);
    maxPoolGradSimd(false);
    expect(maxAbsDiff(await on('wasm', special), ref)).toBe(0);
    maxPoolGradSimd(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the gradient to windows whose maximum is negative (stock wasm drops it)', async () => {
    const f = () => tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid')))(tf.neg(tf.abs(tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 5))));
    const ours = await on('wasm', f);
    // Each 2x2 window passes exactly one 1 back, negative or not.
    expect(ours.reduce((s, v) => s + v, 0)).toBe(8);
    await expectSame(f);
  });
});

describe('wasm BatchMatMul / _FusedMatMul with transposes', () => {
  const combos: [boolean, boolean][] = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ];
  for (const [tA, tB] of combos) {
    it(`matMul transposeA=${tA} transposeB=${tB}, 2-D and batch-1 3-D, equal to cpu`, async () => {
      const [m, k, n] = [13, 37, 9];
      const a = data(tA ? [k, m] : [m, k], 1);
      const b = data(tB ? [n, k] : [k, n], 2);
      await expectSame(() => tf.matMul(a() as tf.Tensor2D, b() as tf.Tensor2D, tA, tB), 1e-5);
      await expectSame(() => tf.matMul(tf.expandDims(a(), 0) as tf.Tensor3D, tf.expandDims(b(), 0) as tf.Tensor3D, tA, tB), 1e-5);
    });
    it(`fused matMul + bias + relu, transposeA=${tA} transposeB=${tB}, values and gradients equal to cpu`, async () => {
      const [m, k, n] = [8, 21, 5];
      const a = data(tA ? [k, m] : [m, k], 4);
      const b = data(tB ? [n, k] : [k, n], 5);
      const bias = data([n], 6);
      const fused = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
        tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, transposeA: tA, transposeB: tB, bias: z, activation: 'relu' });
      await expectSame(() => fused(a(), b(), bias()), 1e-5);
      for (const which of [0, 1, 2]) {
        await expectSame(() => tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.square(fused(x, y, z))))([a(), b(), bias()])[which]!, 1e-4);
      }
    });
  }
  it('a·bᵀ with fewer rows in a than in b (computed as (b·aᵀ)ᵀ) agrees with cpu, shapes included', async () => {
    const [m, k, n] = [5, 37, 23];
    const a = data([m, k], 12);
    const b = data([n, k], 13);
    await expectSame(() => tf.matMul(a() as tf.Tensor2D, b() as tf.Tensor2D, false, true), 1e-5);
    await expectSame(() => tf.matMul(tf.expandDims(a(), 0) as tf.Tensor3D, tf.expandDims(b(), 0) as tf.Tensor3D, false, true), 1e-5);
    await expectSame(() => tf.matMul(tf.expandDims(a(), 0) as tf.Tensor3D, b() as unknown as tf.Tensor3D, false, true), 1e-5);
    // A dense layer's input gradient goes this way: dy · Wᵀ.
    const dense = () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, b(), false, true))))(a());
    await expectSame(dense, 1e-4);
  });
  it('batched products (one XNNPACK product per batch item) agree with cpu', async () => {
    await expectSame(() => tf.matMul(data([3, 4, 6], 8)() as tf.Tensor3D, data([3, 5, 6], 9)() as tf.Tensor3D, false, true), 1e-5);
  });
  it('replaced the stock kernels (kept reachable for benchmarks)', async () => {
    await selectBackend('wasm');
    for (const name of ['BatchMatMul', '_FusedMatMul', 'MaxPoolGrad', 'Sum', 'Mean', 'Tile']) {
      expect(stockWasmKernel(name), name).toBeTypeOf('function');
      expect(tf.getKernel(name, 'wasm')?.kernelFunc).not.toBe(stockWasmKernel(name));
    }
  });
});

describe('wasm Sum and Mean over leading axes (SIMD float64 pass, JS fallback)', () => {
  const cases: [string, number[], number | number[], boolean][] = [
    ['inner sizes 1, 2, 3, 4, 6 (SIMD tails)', [33, 1], 0, false],
    ['inner 2', [33, 2], 0, false],
    ['inner 3', [9, 3, 3], [0, 1], false],
    ['inner 6', [40, 6], 0, false],
    ['bias gradient / batch-norm moments [N,H,W,C] over [0,1,2]', [64, 5, 5, 7], [0, 1, 2], false],
    ['keepDims', [64, 5, 5, 7], [0, 1, 2], true],
    ['axis 0 of a matrix', [300, 11], 0, false],
    ['negative axes given out of order', [16, 8, 3], [-2, 0], false],
    ['non-leading axes (stock path)', [16, 8, 3], [1], false],
    ['all axes (stock path)', [16, 8, 3], [0, 1, 2], false],
  ];
  for (const [op, reduce] of [['Sum', tf.sum], ['Mean', tf.mean]] as const) {
    for (const [name, shape, axis, keep] of cases) {
      it(`${op}: ${name}`, async () => {
        // Reductions of up to 1,600 normals: float32 rounding differs with the summation order.
        await expectSame(() => reduce(data(shape, 11)(), axis, keep), 1e-4);
      });
    }
  }
  it('the SIMD pass gives the same float64 sums as the JS loop, bit for bit', async () => {
    await selectBackend('wasm');
    for (const shape of [[64, 13, 13, 32], [50, 7], [3, 5]]) {
      const x = data(shape, 21)();
      const simd = await tf.sum(x, [0]).data();
      sumLeadingAxesSimd(false);
      const js = await tf.sum(x, [0]).data();
      sumLeadingAxesSimd(true);
      expect(Array.from(simd)).toEqual(Array.from(js));
      x.dispose();
    }
  });
  it('int32 sums stay exact (stock path)', async () => {
    await expectSame(() => tf.sum(tf.cast(tf.mul(data([128, 3], 12)(), 100), 'int32'), 0));
  });
  it('Mean gradient equals cpu', async () => {
    const f = () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.mean(x, [0, 1], true), tf.range(1, 6))))(data([4, 3, 5], 14)());
    await expectSame(f, 1e-6);
  });
});

describe('wasm Tile (row copies)', () => {
  const cases: [string, number[], number[]][] = [
    ['batch-norm gradient: [1,1,1,C] to [N,H,W,C]', [1, 1, 1, 8], [16, 5, 5, 1]],
    ['every axis repeated', [2, 3, 4], [3, 2, 2]],
    ['innermost axis repeated', [5, 3], [1, 4]],
    ['no repetition', [4, 2], [1, 1]],
    ['1-D', [7], [3]],
  ];
  for (const [name, shape, reps] of cases) {
    it(name, async () => {
      await expectSame(() => tf.tile(data(shape, 15)(), reps));
    });
  }
  it('int32 and bool', async () => {
    await expectSame(() => tf.cast(tf.tile(tf.cast(tf.mul(data([3, 2], 16)(), 10), 'int32'), [2, 3]), 'float32'));
    await expectSame(() => tf.cast(tf.tile(tf.greater(data([3, 2], 17)(), 0), [2, 2]), 'float32'));
  });
  it('gradient equals cpu', async () => {
    const f = () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.tile(x, [2, 3]), data([6, 6], 18)())))(data([3, 2], 19)());
    await expectSame(f, 1e-5);
  });
});

describe('wasm batch normalisation training step (Mean, Tile, Sum in its forward and backward)', () => {
  it('gradients of a BatchNormalization layer in training mode equal cpu', async () => {
    const grads = async (backend: 'cpu' | 'wasm') => {
      await selectBackend(backend);
      const layer = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [4, 4, 6], axis: -1 })] });
      const x = data([8, 4, 4, 6], 20)();
      const w = data([8, 4, 4, 6], 21)();
      const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar);
      const out = [await value.data(), ...(await Promise.all(Object.values(g).map((t) => t.data())))].map((a) => Float32Array.from(a as Float32Array));
      tf.dispose([x, w, value, ...Object.values(g)]);
      layer.dispose();
      return out;
    };
    const ref = await grads('cpu');
    const ours = await grads('wasm');
    expect(ours.length).toBe(ref.length);
    for (let i = 0; i < ref.length; i++) expect(maxAbsDiff(ours[i]!, ref[i]!)).toBeLessThanOrEqual(1e-3);
  });
});

describe('wasm replacement kernels leak nothing', () => {
  it('a conv/pool/dense training step returns tensors and wasm heap entries to baseline', async () => {
    await selectBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([64, 12, 12, 1], 0, 1, 'float32', 1);
    const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 3, 'int32', 2), 3));
    await model.trainOnBatch(xs, ys);
    const tensors = tf.memory().numTensors;
    const heap = await wasmHeapCount();
    for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await wasmHeapCount()).toBe(heap);
    tf.dispose([xs, ys]);
    model.optimizer.dispose();
    model.dispose();
  });
});

describe('wasm Identity (and Cast to the same dtype) shares data instead of copying', () => {
  it('clone reads the same values, outlives the original, and frees the heap entry once both are gone', async () => {
    await selectBackend('wasm');
    const be = tf.backend() as unknown as { numDataIds(): number };
    const heap = be.numDataIds();
    const before = tf.memory().numTensors;
    const a = tf.tensor2d([[1, -2], [3.5, 4]]);
    const b = a.clone();
    expect(be.numDataIds()).toBe(heap + 1); // one heap entry, two tensors
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, -2, 3.5, 4]);
    // Ops on the clone write new outputs; the shared input is left alone.
    const c = tf.add(b, 1);
    expect(Array.from(await b.data())).toEqual([1, -2, 3.5, 4]);
    expect(Array.from(await c.data())).toEqual([2, -1, 4.5, 5]);
    const same = tf.cast(b, 'float32'); // a cast to its own dtype shares too
    expect(be.numDataIds()).toBe(heap + 2); // b's data and c's
    const ints = tf.cast(b, 'int32'); // a real cast copies
    expect(Array.from(await ints.data())).toEqual([1, -2, 3, 4]);
    expect(Array.from(await same.data())).toEqual([1, -2, 3.5, 4]);
    tf.dispose([same, ints]);
    const s0 = tf.tensor1d(['x', 'y'], 'string');
    const s = s0.clone(); // strings keep the stock kernel
    expect(await s.array()).toEqual(['x', 'y']);
    tf.dispose([b, c, s0, s]);
    expect(be.numDataIds()).toBe(heap);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gradients through identity-heavy code (batch norm, clones) equal cpu', async () => {
    const f = () => {
      const x = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 7);
      return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.clone(tf.relu(v)), tf.clone(v))))(x);
    };
    expect(maxAbsDiff(await on('wasm', f), await on('cpu', f))).toBeLessThan(1e-6);
  });
});

/**
 * dlkit's wasm kernels for the text models — broadcasting comparison/logical ops and GatherV2 —
 * against tfjs's reference cpu kernels (values, and gradients through them), plus heap hygiene.
 */
import { selectBackend, stockWasmKernel, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';

type Make = () => tf.Tensor;

async function run(backend: 'cpu' | 'wasm', f: Make): Promise<{ values: number[]; shape: number[]; dtype: string }> {
  await selectBackend(backend);
  const t = tf.tidy(f);
  const values = Array.from((await t.data()) as ArrayLike<number>);
  t.dispose();
  return { values, shape: t.shape, dtype: t.dtype };
}

async function expectSame(f: Make, tol = 0): Promise<void> {
  const ref = await run('cpu', f);
  const ours = await run('wasm', f);
  expect(ours.shape).toEqual(ref.shape);
  expect(ours.dtype).toBe(ref.dtype);
  let worst = 0;
  for (let i = 0; i < ref.values.length; i++) worst = Math.max(worst, Math.abs(ours.values[i]! - ref.values[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
}

async function wasmHeapCount(): Promise<number> {
  await selectBackend('wasm');
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

/** Normals rounded to a few levels, so comparisons see plenty of ties. */
const levels = (shape: number[], seed: number): Make => () => tf.round(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), 1.5));

describe('wasm broadcasting comparison and logical ops match tfjs cpu', () => {
  const pairs: [string, number[], number[]][] = [
    ['global max pooling gradient [4,9,5] vs [4,1,5]', [4, 9, 5], [4, 1, 5]],
    ['trailing broadcast [3,7,6] vs [3,7,1]', [3, 7, 6], [3, 7, 1]],
    ['lower rank [2,3,4] vs [4]', [2, 3, 4], [4]],
    ['both sides broadcast [3,1,4] vs [1,5,1]', [3, 1, 4], [1, 5, 1]],
    ['scalar [6,5] vs []', [6, 5], []],
    ['scalar first [] vs [2,3]', [], [2, 3]],
    ['middle axis [2,1,3,1,2] vs [2,4,3,5,2]', [2, 1, 3, 1, 2], [2, 4, 3, 5, 2]],
    ['size-1 output axes [1,1] vs [1]', [1, 1], [1]],
  ];
  const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['Equal', tf.equal],
    ['NotEqual', tf.notEqual],
    ['Greater', tf.greater],
    ['GreaterEqual', tf.greaterEqual],
    ['Less', tf.less],
    ['LessEqual', tf.lessEqual],
  ];
  for (const [name, a, b] of pairs) {
    it(name, async () => {
      for (const [, op] of ops) {
        await expectSame(() => op(levels(a, 1)(), levels(b, 2)()));
        await expectSame(() => op(tf.cast(levels(a, 3)(), 'int32'), tf.cast(levels(b, 4)(), 'int32')));
      }
      for (const op of [tf.logicalAnd, tf.logicalOr]) {
        await expectSame(() => op(tf.greater(levels(a, 5)(), 0), tf.less(levels(b, 6)(), 0)));
      }
    });
  }
  it('NaN compares unequal, as on cpu', async () => {
    const a = () => tf.tensor2d([[Number.NaN, 1, 2], [3, Number.NaN, 0]]);
    const b = () => tf.tensor1d([Number.NaN, Number.NaN, 0]);
    for (const [, op] of ops) await expectSame(() => op(a(), b()));
  });
  it('gradient of global max pooling (x == max, broadcast) equals cpu, ties included', async () => {
    const x = levels([4, 20, 6], 7);
    const w = () => tf.randomNormal([4, 6], 0, 1, 'float32', 8);
    await expectSame(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.max(v, 1), w())))(x()));
  });
  it('replaced the stock kernels (kept reachable for benchmarks)', async () => {
    await selectBackend('wasm');
    for (const [name] of ops) {
      expect(stockWasmKernel(name), name).toBeTypeOf('function');
      expect(tf.getKernel(name, 'wasm')?.kernelFunc).not.toBe(stockWasmKernel(name));
    }
  });
});

describe('wasm GatherV2 (row copies) matches tfjs cpu', () => {
  const ids = (shape: number[], n: number, seed: number): Make => () => tf.randomUniform(shape, 0, n, 'int32', seed);
  it('embedding lookup [50,24] by [3,7] (rows of 24: typed-array copies)', async () => {
    await expectSame(() => tf.gather(tf.randomNormal([50, 24], 0, 1, 'float32', 1), ids([3, 7], 50, 2)()));
  });
  it('short rows [50,3] (element loop), int32 and bool tables', async () => {
    await expectSame(() => tf.gather(tf.randomNormal([50, 3], 0, 1, 'float32', 1), ids([11], 50, 3)()));
    await expectSame(() => tf.gather(tf.cast(tf.mul(tf.randomNormal([50, 3], 0, 1, 'float32', 1), 9), 'int32'), ids([11], 50, 3)()));
    await expectSame(() => tf.gather(tf.greater(tf.randomNormal([50, 3], 0, 1, 'float32', 1), 0), ids([11], 50, 3)()));
  });
  it('inner axis [4,30,5] along axis 1 by [2,6], and a negative axis', async () => {
    await expectSame(() => tf.gather(tf.randomNormal([4, 30, 5], 0, 1, 'float32', 4), ids([2, 6], 30, 5)(), 1));
    await expectSame(() => tf.gather(tf.randomNormal([4, 30, 5], 0, 1, 'float32', 4), ids([9], 5, 6)(), -1));
  });
  it('batchDims 1 ([3,10,4] by [3,5] along axis 1)', async () => {
    await expectSame(() => tf.gather(tf.randomNormal([3, 10, 4], 0, 1, 'float32', 7), ids([3, 5], 10, 8)(), 1, 1));
  });
  it('embedding gradient through the gather (repeated ids add up) equals cpu', async () => {
    const table = () => tf.randomNormal([40, 16], 0, 1, 'float32', 9);
    const idx = ids([8, 30], 40, 10);
    const w = () => tf.randomNormal([8, 30, 16], 0, 1, 'float32', 11);
    await expectSame(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx()), w())))(table()), 1e-5);
  });
  it('a gather whose output grows the wasm heap still copies every row (views taken before growth detach)', async () => {
    await selectBackend('wasm');
    const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
    let grew = false;
    // Tables sized from the current heap, so the output's allocation has to grow it.
    for (let round = 0; round < 3 && !grew; round++) {
      const rows = Math.ceil(heapBytes() / 400 / 2) + 1000;
      const t = tf.randomNormal([rows, 100]);
      const idx = tf.tensor1d(Array.from({ length: rows }, (_, i) => rows - 1 - i), 'int32');
      const before = heapBytes();
      const g = tf.gather(t, idx);
      grew = heapBytes() > before;
      const [a, b] = [await t.data(), await g.data()];
      let bad = 0;
      for (let r = 0; r < rows; r += 97) if (b[r * 100] !== a[(rows - 1 - r) * 100] || b[r * 100 + 99] !== a[(rows - 1 - r) * 100 + 99]) bad++;
      expect(bad).toBe(0);
      tf.dispose([t, idx, g]);
    }
    expect(grew).toBe(true);
  });
  it('an index out of range is an error, as with the stock kernel', async () => {
    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const heap = await wasmHeapCount();
    const t = tf.zeros([5, 4]);
    const bad = tf.tensor1d([1, 5], 'int32');
    expect(() => tf.gather(t, bad)).toThrow(/index value 5 is not in \[0, 4\]/);
    tf.dispose([t, bad]);
    expect(tf.memory().numTensors).toBe(before);
    expect(await wasmHeapCount()).toBe(heap);
  });
});

describe('wasm Slice and Unpack (run copies) match tfjs cpu', () => {
  const x = (shape: number[]): Make => () => tf.randomNormal(shape, 0, 1, 'float32', 12);
  it('slices: contiguous rows, inner windows, short runs, whole tensor, int32 and bool', async () => {
    await expectSame(() => tf.slice(x([30, 20])(), [3, 0], [10, 20]));
    await expectSame(() => tf.slice(x([4, 30, 20])(), [1, 5, 2], [2, 7, 17]));
    await expectSame(() => tf.slice(x([4, 6, 5, 3])(), [0, 1, 1, 1], [4, 4, -1, 2]));
    await expectSame(() => tf.slice(x([5, 6])(), [0, 0], [-1, -1]));
    await expectSame(() => tf.slice(tf.cast(tf.mul(x([7, 9])(), 9), 'int32'), [2, 3], [4, 5]));
    await expectSame(() => tf.slice(tf.greater(x([7, 9])(), 0), [1, 0], [3, 9]));
  });
  it('unstack along every axis, and an empty slice', async () => {
    for (const axis of [0, 1, 2, -1]) await expectSame(() => tf.stack(tf.unstack(x([5, 4, 3])(), axis), 0));
    await expectSame(() => tf.slice(x([5, 4])(), [2, 1], [0, 3]));
  });
  it('LSTM outputs and input gradients (tfjs unstacks the sequence) equal cpu', async () => {
    const f = () => {
      const lstm = tf.layers.lstm({ units: 4, returnSequences: true, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }) });
      const input = x([2, 6, 3])();
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(lstm.apply(v) as tf.Tensor)))(input);
      lstm.dispose();
      return g;
    };
    await expectSame(f, 1e-5);
  });
});

describe('wasm batched BatchMatMul (one XNNPACK product per batch item) matches tfjs cpu', () => {
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`attention-shaped [2,3,m,k] products, transposeA=${tA} transposeB=${tB}, values and gradients`, async () => {
      const [m, k, n] = [20, 12, 18]; // m·k·n ≥ 16³: the per-item XNNPACK path
      const a = () => tf.randomNormal([2, 3, ...(tA ? [k, m] : [m, k])], 0, 1, 'float32', 13);
      const b = () => tf.randomNormal([2, 3, ...(tB ? [n, k] : [k, n])], 0, 1, 'float32', 14);
      await expectSame(() => tf.matMul(a(), b(), tA, tB), 1e-5);
      for (const which of [0, 1]) {
        await expectSame(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, tA, tB))))([a(), b()])[which]!, 1e-4);
      }
    });
  }
  it('leaves the heap as it found it', async () => {
    const heap = await wasmHeapCount();
    const t = tf.tidy(() => tf.matMul(tf.ones([4, 30, 20]), tf.ones([4, 20, 25])));
    expect(Array.from(await t.data()).every((v) => v === 20)).toBe(true);
    t.dispose();
    expect(await wasmHeapCount()).toBe(heap);
  });
});

describe('wasm text kernels leak nothing', () => {
  it('an embedding → conv1d → global max pool training step returns tensors and heap entries to baseline', async () => {
    await selectBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 30, outputDim: 8, inputLength: 12 }),
        tf.layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.globalMaxPooling1d({}),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-2), loss: 'sparseCategoricalCrossentropy' });
    const xs = tf.randomUniform([16, 12], 0, 30, 'int32', 1);
    const ys = tf.tidy(() => tf.cast(tf.randomUniform([16], 0, 2, 'int32', 2), 'float32'));
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

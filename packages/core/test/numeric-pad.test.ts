/**
 * tfjs sizes a numeric conv pad from the filter height and the height stride on both axes; dlkit
 * rewrites it as explicit padding at the kernels, so shapes, values and gradients equal the
 * explicitly padded convolution's, plain, fused and depthwise, on cpu and wasm.
 */
import { selectBackend, tf } from '@dlkit/core';
import { describe, expect, it } from 'vitest';

const data = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k));
type Case = { strides: [number, number]; filter: [number, number] };
const CASES: Case[] = [
  { strides: [1, 2], filter: [3, 3] },
  { strides: [2, 1], filter: [3, 3] },
  { strides: [1, 1], filter: [3, 5] },
  { strides: [2, 1], filter: [1, 3] },
];
const explicit = (p: number): tf.backend_util.ExplicitPadding => [
  [0, 0],
  [p, p],
  [p, p],
  [0, 0],
];

async function run(backend: 'cpu' | 'wasm', c: Case, pad: number | tf.backend_util.ExplicitPadding) {
  await selectBackend(backend);
  const x = tf.tensor4d(data(2 * 7 * 9 * 4, 0.37), [2, 7, 9, 4]);
  const f = tf.tensor4d(data(c.filter[0] * c.filter[1] * 4 * 3, 0.91), [...c.filter, 4, 3]);
  const df = tf.tensor4d(data(c.filter[0] * c.filter[1] * 4 * 1, 0.53), [...c.filter, 4, 1]);
  const before = tf.memory().numTensors;
  const ops = [
    (a: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2d(a, w, c.strides, pad),
    (a: tf.Tensor4D, w: tf.Tensor4D) => tf.fused.conv2d({ x: a, filter: w, strides: c.strides, pad }),
  ];
  const out: { shape: number[]; y: number[]; grads: number[][] }[] = [];
  for (const [op, w] of [
    [ops[0]!, f],
    [ops[1]!, f],
    // tfjs's depthwise op requires equal strides; a non-square filter still exercises the sizing.
    ...(c.strides[0] === c.strides[1] ? [[(a: tf.Tensor4D, k: tf.Tensor4D) => tf.depthwiseConv2d(a, k, c.strides, pad), df] as const] : []),
  ] as const) {
    const y = op(x, w);
    const g = tf.grads((a: tf.Tensor, k: tf.Tensor) => op(a as tf.Tensor4D, k as tf.Tensor4D).square().sum())([x, w]);
    out.push({ shape: y.shape, y: Array.from(await y.data()), grads: await Promise.all(g.map(async (t) => Array.from(await t.data()))) });
    tf.dispose([y, ...g]);
  }
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, f, df]);
  return out;
}

describe('numeric conv padding', () => {
  for (const c of CASES) {
    for (const backend of ['cpu', 'wasm'] as const) {
      it(`${backend}: strides ${c.strides}, filter ${c.filter}, pad 1 equals explicit padding`, async () => {
        const want = await run(backend, c, explicit(1));
        const got = await run(backend, c, 1);
        const oh = Math.floor((7 + 2 - c.filter[0]) / c.strides[0]) + 1;
        const ow = Math.floor((9 + 2 - c.filter[1]) / c.strides[1]) + 1;
        expect(want[0]!.shape).toEqual([2, oh, ow, 3]);
        expect(got.map((o) => o.shape)).toEqual(want.map((o) => o.shape));
        got.forEach((o, i) => {
          o.y.forEach((v, j) => {
            expect(v).toBeCloseTo(want[i]!.y[j]!, 4);
          });
          o.grads.forEach((g, k) => {
            g.forEach((v, j) => {
              expect(v).toBeCloseTo(want[i]!.grads[k]![j]!, 2);
            });
          });
        });
      });
    }
  }
});

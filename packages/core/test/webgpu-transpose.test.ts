/**
 * WebGPU rank-3 transposes of int32/bool data (and of float32 that Cast relabelled from them):
 * stock tfjs-backend-webgpu 4.22 returns garbage (invalid WGSL); core's fix must match cpu.
 * Skipped without an adapter (CI sets DLKIT_REQUIRE_WEBGPU=1 and has SwiftShader).
 */
import { selectBackend, tf } from '@dlkit/core';
import { initNodeWebGPU } from '@dlkit/core/node';
import { describe, expect, it } from 'vitest';

const webgpu = await initNodeWebGPU();

const cases: { name: string; make: () => tf.Tensor; perm: number[] }[] = [
  { name: 'int32 [2,3,1] perm [1,0,2]', make: () => tf.tensor3d([[[1], [0], [3]], [[4], [70000], [-6]]], undefined, 'int32'), perm: [1, 0, 2] },
  { name: 'bool mask from notEqual, [2,3,1] perm [1,0,2] (RNN padding mask)', make: () => { const ids = tf.tensor2d([[5, 2, 0], [7, 0, 0]], undefined, 'int32'); return tf.expandDims(tf.notEqual(ids, 0), 2); }, perm: [1, 0, 2] },
  { name: 'float32 cast from int32, [1,3,2] perm [0,2,1]', make: () => tf.cast(tf.tensor3d([[[1, 2], [3, 4], [5, 6]]], undefined, 'int32'), 'float32'), perm: [0, 2, 1] },
  { name: 'float32 [2,3,4] perm [2,0,1] (three axes: the stock kernel)', make: () => tf.range(0, 24).reshape([2, 3, 4]), perm: [2, 0, 1] },
  { name: 'float32 cast from int32 ids, [1,3,1] perm [1,0,2]', make: () => tf.cast(tf.expandDims(tf.tensor2d([[1, 0, 3]], undefined, 'int32'), 2), 'float32'), perm: [1, 0, 2] },
  { name: 'int32 ids [1,3,1] perm [1,0,2]', make: () => tf.expandDims(tf.tensor2d([[1, 0, 3]], undefined, 'int32'), 2), perm: [1, 0, 2] },
  { name: 'int32 [1,2,1,3] perm [3,1,2,0]', make: () => tf.tensor4d([[[[1, 2, 3]], [[4, 5, 6]]]], undefined, 'int32'), perm: [3, 1, 2, 0] },
];

describe.skipIf(!webgpu.available)(`webgpu transpose of int/bool data${webgpu.available ? '' : ` (skipped: ${webgpu.reason})`}`, () => {
  for (const c of cases) {
    it(c.name, async () => {
      await selectBackend('cpu');
      const want = await tf.tidy(() => tf.transpose(c.make(), c.perm)).array();
      await selectBackend('webgpu');
      // Small tensors whose data is still on the CPU are transposed there; force the GPU path.
      const forward = tf.env().getBool('WEBGPU_CPU_FORWARD');
      tf.env().set('WEBGPU_CPU_FORWARD', false);
      const before = tf.memory().numTensors;
      const t = tf.tidy(() => tf.transpose(c.make(), c.perm));
      tf.env().set('WEBGPU_CPU_FORWARD', forward);
      expect(await t.array()).toEqual(want);
      t.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }, 120_000);
  }
});

/**
 * embeddingBag: the sum or mean of the embedding rows of each bag of ids (PyTorch's
 * `F.embedding_bag`, fastText's sentence vector). As separate ops (gather [V,d] by [b,T], mask
 * multiply, sum over T, divide) it materialises a [b,T,d] tensor three times: 5.5 ms of the 8 ms
 * fastText inference step at [64,200,32] on wasm. One JS pass over the ids does it without
 * that tensor, and its gradient is a scatter-add straight into [V,d].
 * Kernels exist for cpu and wasm (data in JS-reachable memory); other backends get the same
 * maths as composite ops.
 */
import { DlkitError, invalidOption } from '../errors.js';
import { tf } from '../tf.js';
import { bagSimd } from './embedding-bag-simd.js';
import { type Info, JS_BACKENDS, type JsBackend, output, view } from './js-data.js';
import { heapMemory } from './wasm-asm.js';

export type EmbeddingBagMode = 'sum' | 'mean';

export interface EmbeddingBagOptions {
  /** 'mean' (default) divides by the number of non-padding ids of the bag (at least 1). */
  mode?: EmbeddingBagMode;
  /** Id whose rows are left out (and not counted), like PyTorch's `padding_idx`; default none. */
  paddingId?: number;
}

const FORWARD = 'DlkitEmbeddingBag';
const BACKWARD = 'DlkitEmbeddingBagGrad';
type Attrs = { mode: EmbeddingBagMode; paddingId: number; vocabSize?: number };

function badId(v: number, i: number, vocab: number): DlkitError {
  return new DlkitError('INVALID_INPUT', `embeddingBag: id ${v} (position ${i}) is not a row of the [${vocab}, d] table.`, {
    hint: `Ids must lie in [0, ${vocab - 1}]: map unknown words to an OOV id, or grow the table.`,
    details: { id: v, position: i, vocabSize: vocab },
  });
}

function checkIds(ids: Int32Array, vocab: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (!(v >= 0 && v < vocab)) throw badId(v, i, vocab);
  }
}

let simdAllowed = true;

/**
 * Whether embeddingBag runs its WebAssembly SIMD loops on the current backend (wasm, in an engine
 * with SIMD). `embeddingBagSimd(false)` forces the JS loops (for A/B measurements and tests),
 * `embeddingBagSimd(true)` allows SIMD again.
 */
export function embeddingBagSimd(enabled?: boolean): boolean {
  if (enabled !== undefined) simdAllowed = enabled;
  return tf.getBackend() === 'wasm' && simdFor(tf.backend() as unknown as JsBackend) !== null;
}

/** The SIMD loops on tfjs-backend-wasm's memory. */
function simdFor(be: JsBackend): ReturnType<typeof bagSimd> {
  if (!simdAllowed || !be.makeOutput) return null;
  const memory = heapMemory(be);
  return memory ? bagSimd(memory) : null;
}

/** Runs a SIMD loop into a new [rows, d] output; throws (and frees it) when an id is out of range. */
function runSimd(
  be: JsBackend,
  loop: (out: number) => number,
  shape: number[],
  zero: boolean,
  ids: Info,
  vocab: number,
): Info {
  const out = be.makeOutput!(shape, 'float32');
  // Views only after makeOutput: it may grow the heap and detach older ones.
  const o = view<Float32Array>(be, out);
  if (zero) o.fill(0);
  const bad = loop(o.byteOffset);
  if (bad >= 0) {
    (be as unknown as { disposeData(id: object): void }).disposeData(out.dataId);
    throw badId(view<Int32Array>(be, ids)[bad]!, bad, vocab);
  }
  return out;
}

/** Per bag: 1 / (its number of non-padding ids, at least 1) for 'mean', 1 for 'sum'. */
function bagScales(ids: Int32Array, bags: number, len: number, a: Attrs): Float64Array {
  const scale = new Float64Array(bags).fill(1);
  if (a.mode !== 'mean') return scale;
  for (let b = 0, i = 0; b < bags; b++) {
    let n = 0;
    for (let t = 0; t < len; t++, i++) if (ids[i] !== a.paddingId) n++;
    scale[b] = 1 / Math.max(n, 1);
  }
  return scale;
}

function forwardKernel({ inputs, backend, attrs }: { inputs: Record<string, Info>; backend: unknown; attrs: unknown }): Info {
  const be = backend as JsBackend;
  const a = attrs as Attrs;
  const [vocab, d] = inputs.table!.shape as [number, number];
  const [bags, len] = inputs.ids!.shape as [number, number];
  const simd = simdFor(be);
  if (simd) {
    const args = [bags, len, d, vocab, a.paddingId, a.mode === 'mean' ? 1 : 0] as const;
    const loop = (out: number) => simd.bag_sums(view(be, inputs.table!).byteOffset, view(be, inputs.ids!).byteOffset, ...args, out);
    return runSimd(be, loop, [bags, d], false, inputs.ids!, vocab);
  }
  checkIds(view<Int32Array>(be, inputs.ids!), vocab);
  return output(be, [bags, d], (out) => bagSums(view(be, inputs.table!), view(be, inputs.ids!), bags, len, d, a, out));
}

/**
 * out[b] = scale_b · Σ_t table[ids[b,t]], four columns at a time in scalar accumulators: V8 keeps
 * them in registers, 1.6-2x faster than a per-element accumulator array (measured at d = 32).
 * The cpu backend's path, and wasm's where the engine lacks SIMD (embedding-bag-simd.ts).
 */
function bagSums(table: Float32Array, ids: Int32Array, bags: number, len: number, d: number, a: Attrs, out: Float32Array): void {
  const scale = bagScales(ids, bags, len, a);
  const pad = a.paddingId;
  for (let b = 0; b < bags; b++) {
    const i0 = b * len;
    const o = b * d;
    const f = scale[b]!;
    let k = 0;
    for (; k + 4 <= d; k += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < len; t++) {
        const id = ids[i0 + t]!;
        if (id === pad) continue;
        const r = id * d + k;
        s0 += table[r]!;
        s1 += table[r + 1]!;
        s2 += table[r + 2]!;
        s3 += table[r + 3]!;
      }
      out[o + k] = s0 * f;
      out[o + k + 1] = s1 * f;
      out[o + k + 2] = s2 * f;
      out[o + k + 3] = s3 * f;
    }
    for (; k < d; k++) {
      let s0 = 0;
      for (let t = 0; t < len; t++) {
        const id = ids[i0 + t]!;
        if (id !== pad) s0 += table[id * d + k]!;
      }
      out[o + k] = s0 * f;
    }
  }
}

function backwardKernel({ inputs, backend, attrs }: { inputs: Record<string, Info>; backend: unknown; attrs: unknown }): Info {
  const be = backend as JsBackend;
  const a = attrs as Attrs;
  const [bags, d] = inputs.dy!.shape as [number, number];
  const len = inputs.ids!.shape[1]!;
  const simd = simdFor(be);
  if (simd) {
    const args = [bags, len, d, a.vocabSize!, a.paddingId, a.mode === 'mean' ? 1 : 0] as const;
    const loop = (out: number) => simd.bag_scatter(view(be, inputs.dy!).byteOffset, view(be, inputs.ids!).byteOffset, ...args, out);
    return runSimd(be, loop, [a.vocabSize!, d], true, inputs.ids!, a.vocabSize!);
  }
  return output(be, [a.vocabSize!, d], (out) => scatterBags(view(be, inputs.dy!), view(be, inputs.ids!), bags, len, d, a, out));
}

/** out[ids[b,t]] += scale_b · dy[b] (out zeroed), four columns at a time as in bagSums. */
function scatterBags(dy: Float32Array, ids: Int32Array, bags: number, len: number, d: number, a: Attrs, out: Float32Array): void {
  const scale = bagScales(ids, bags, len, a);
  const pad = a.paddingId;
  for (let b = 0; b < bags; b++) {
    const i0 = b * len;
    const g = b * d;
    const f = scale[b]!;
    let k = 0;
    for (; k + 4 <= d; k += 4) {
      const g0 = dy[g + k]! * f;
      const g1 = dy[g + k + 1]! * f;
      const g2 = dy[g + k + 2]! * f;
      const g3 = dy[g + k + 3]! * f;
      for (let t = 0; t < len; t++) {
        const id = ids[i0 + t]!;
        if (id === pad) continue;
        const r = id * d + k;
        out[r]! += g0;
        out[r + 1]! += g1;
        out[r + 2]! += g2;
        out[r + 3]! += g3;
      }
    }
    for (; k < d; k++) {
      const g0 = dy[g + k]! * f;
      for (let t = 0; t < len; t++) {
        const id = ids[i0 + t]!;
        if (id !== pad) out[id * d + k]! += g0;
      }
    }
  }
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  for (const backendName of JS_BACKENDS) {
    tf.registerKernel({ kernelName: FORWARD, backendName, kernelFunc: forwardKernel as unknown as tf.KernelFunc });
    tf.registerKernel({ kernelName: BACKWARD, backendName, kernelFunc: backwardKernel as unknown as tf.KernelFunc });
  }
  tf.registerGradient({
    kernelName: FORWARD,
    inputsToSave: ['table', 'ids'],
    gradFunc: (dy, saved, attrs) => {
      const [table, ids] = saved as [tf.Tensor2D, tf.Tensor2D];
      const a = { ...(attrs as unknown as Attrs), vocabSize: table.shape[0] };
      return {
        table: () => tf.engine().runKernel(BACKWARD, { dy: dy as tf.Tensor, ids }, a as unknown as tf.NamedAttrMap) as tf.Tensor,
        ids: () => tf.zerosLike(ids),
      };
    },
  });
}

/** The same maths as separate tfjs ops: the reference for tests, and the path on GPU backends. */
export function embeddingBagComposite(table: tf.Tensor2D, ids: tf.Tensor2D, mode: EmbeddingBagMode, paddingId: number): tf.Tensor2D {
  return tf.tidy(() => {
    const emb = tf.gather(table, ids); // [b, T, d]
    const keep = tf.cast(tf.notEqual(ids, paddingId), 'float32');
    const sum = tf.sum(tf.mul(emb, tf.expandDims(keep, -1)), 1) as tf.Tensor2D;
    return mode === 'sum' ? sum : tf.div(sum, tf.maximum(tf.sum(keep, 1, true), 1));
  });
}

/**
 * Sum or mean of `table`'s rows picked by each row of `ids`: table [V, d], ids [b, T] → [b, d].
 * Differentiable with respect to `table`.
 */
export function embeddingBag(table: tf.Tensor2D, ids: tf.Tensor2D, options: EmbeddingBagOptions = {}): tf.Tensor2D {
  const mode = options.mode ?? 'mean';
  if (mode !== 'sum' && mode !== 'mean') throw invalidOption('mode', mode, "'sum' or 'mean'");
  const paddingId = options.paddingId ?? -1;
  if (!Number.isInteger(paddingId)) throw invalidOption('paddingId', paddingId, 'an integer id');
  if (table.rank !== 2) throw invalidOption('table', `rank ${table.rank}`, 'a [vocabSize, dim] matrix');
  if (ids.rank !== 2) throw invalidOption('ids', `rank ${ids.rank}`, 'a [batch, length] matrix of ids (reshape a single bag to [1, length])');
  if (table.dtype !== 'float32') throw invalidOption('table', table.dtype, 'a float32 tensor');
  register();
  return tf.tidy(() => {
    const intIds = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32');
    if (!JS_BACKENDS.includes(tf.getBackend())) return embeddingBagComposite(table, intIds, mode, paddingId);
    return tf.engine().runKernel(FORWARD, { table, ids: intIds }, { mode, paddingId } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  });
}

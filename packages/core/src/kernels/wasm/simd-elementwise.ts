/**
 * Elementwise ops that tfjs-backend-wasm runs as scalar C++ loops (XNNPACK covers only arithmetic)
 * and that gradients of ReLU / LeakyReLU / max pooling call on every activation: float comparisons
 * (same shape, or against a scalar), Select (where), LeakyRelu and Step, as WebAssembly SIMD loops on
 * tfjs's heap (assembled by wasm-asm.ts). At [64,14,14,16] (CPU ms, load ≈ 3): Greater with a
 * scalar 3.2 (dlkit's JS loop; stock 1.8), same-shape Greater 2.1, Select 1.6, LeakyRelu 1.4, while
 * an XNNPACK Add of that size takes 0.16. Anything else keeps the kernel it wraps.
 */
import { tf } from '../../tf.js';
import { type Code, type FuncSpec, heapMemory, instantiate, type Op } from '../wasm-asm.js';
import type { KernelArgs, TensorInfo, WasmKernelFunc } from './backend-wasm.js';

const CMP: Record<string, { vec: Op; scalar: Op; swapped: string }> = {
  Equal: { vec: 'f32x4.eq', scalar: 'f32.eq', swapped: 'Equal' },
  NotEqual: { vec: 'f32x4.ne', scalar: 'f32.ne', swapped: 'NotEqual' },
  Greater: { vec: 'f32x4.gt', scalar: 'f32.gt', swapped: 'Less' },
  GreaterEqual: { vec: 'f32x4.ge', scalar: 'f32.ge', swapped: 'LessEqual' },
  Less: { vec: 'f32x4.lt', scalar: 'f32.lt', swapped: 'Greater' },
  LessEqual: { vec: 'f32x4.le', scalar: 'f32.le', swapped: 'GreaterEqual' },
};
export const SIMD_COMPARE_KERNELS = Object.keys(CMP);

/** `while (i + step <= n) { body; i += step }` over element index i. */
function upTo(c: Code, step: number, body: (c: Code) => void): void {
  c.block((c) =>
    c.loop((c) => {
      c.get('i').i32(step).op('i32.add').get('n').op('i32.gt_s').brIf(1);
      body(c);
      c.get('i').i32(step).op('i32.add').set('i');
      c.br(0);
    }),
  );
}

/** Byte address of float i of the array at `base`, plus `extra` elements. */
const at = (c: Code, base: string, extra = 0) => c.get(base).get('i').i32(extra).op('i32.add').i32(2).op('i32.shl').op('i32.add');

/**
 * out[i] = a[i] OP b[i] (bScalar 0) or a[i] OP b[0] (bScalar 1), as 0/1 bytes: 16 floats per pass,
 * four f32x4 masks narrowed to one byte vector.
 */
function compareFunc(name: string): FuncSpec {
  const { vec, scalar } = CMP[name]!;
  const rhs = (c: Code, k: number) => {
    c.get('bs').if((c) => c.get('bv').set('t'));
    c.get('bs').op('i32.eqz').if((c) => at(c, 'b', k).mem('v128.load').set('t'));
    c.get('t');
  };
  return {
    name,
    params: { a: 'i32', b: 'i32', n: 'i32', out: 'i32', bs: 'i32' },
    locals: { i: 'i32', bv: 'v128', t: 'v128', m0: 'v128', m1: 'v128', m2: 'v128', m3: 'v128', one: 'v128' },
    body: (c) => {
      c.get('b').mem('f32.load').op('f32x4.splat').set('bv');
      c.i32(1).op('i8x16.splat').set('one');
      upTo(c, 16, (c) => {
        for (const k of [0, 1, 2, 3]) {
          at(c, 'a', 4 * k).mem('v128.load');
          rhs(c, 4 * k);
          c.op(vec).set(`m${k}`);
        }
        c.get('out').get('i').op('i32.add');
        c.get('m0').get('m1').op('i16x8.narrow_i32x4_s').get('m2').get('m3').op('i16x8.narrow_i32x4_s').op('i8x16.narrow_i16x8_s');
        c.get('one').op('v128.and').mem('v128.store');
      });
      upTo(c, 1, (c) => {
        c.get('out').get('i').op('i32.add');
        at(c, 'a').mem('f32.load');
        c.get('b').get('i').get('bs').op('i32.eqz').op('i32.mul').i32(2).op('i32.shl').op('i32.add').mem('f32.load');
        c.op(scalar).mem('i32.store8');
      });
    },
  };
}

/** out[i] = cond[i] ? a[i] : b[i], cond bytes widened to lane masks four at a time. */
const selectFunc: FuncSpec = {
  name: 'select',
  params: { cond: 'i32', a: 'i32', b: 'i32', n: 'i32', out: 'i32' },
  locals: { i: 'i32', zero: 'v128' },
  body: (c) => {
    c.i32(0).op('i32x4.splat').set('zero');
    upTo(c, 4, (c) => {
      at(c, 'out');
      at(c, 'a').mem('v128.load');
      at(c, 'b').mem('v128.load');
      c.get('cond').get('i').op('i32.add').mem('v128.load32_zero');
      c.op('i16x8.extend_low_i8x16_u', 'i32x4.extend_low_i16x8_u').get('zero').op('i32x4.ne', 'v128.bitselect').mem('v128.store');
    });
    upTo(c, 1, (c) => {
      at(c, 'out');
      at(c, 'a').mem('f32.load');
      at(c, 'b').mem('f32.load');
      c.get('cond').get('i').op('i32.add').mem('i32.load8_u').op('select').mem('f32.store');
    });
  },
};

/** out[i] = x[i] < 0 ? alpha·x[i] : x[i] (tfjs's definition). */
const leakyReluFunc: FuncSpec = {
  name: 'leaky_relu',
  params: { x: 'i32', n: 'i32', out: 'i32', alpha: 'f32' },
  locals: { i: 'i32', av: 'v128', v: 'v128', s: 'f32' },
  body: (c) => {
    c.get('alpha').op('f32x4.splat').set('av');
    upTo(c, 4, (c) => {
      at(c, 'out');
      at(c, 'x').mem('v128.load').set('v');
      c.get('v').get('av').op('f32x4.mul').get('v').get('v').f32(0).op('f32x4.splat', 'f32x4.lt', 'v128.bitselect').mem('v128.store');
    });
    upTo(c, 1, (c) => {
      at(c, 'out');
      at(c, 'x').mem('f32.load').set('s');
      c.get('s').get('alpha').op('f32.mul').get('s').get('s').f32(0).op('f32.lt', 'select').mem('f32.store');
    });
  },
};

/** out[i] = NaN if x[i] is, else x[i] > 0 ? 1 : alpha (tfjs's Step; ReLU's gradient is dy · step(x)). */
const stepFunc: FuncSpec = {
  name: 'step',
  params: { x: 'i32', n: 'i32', out: 'i32', alpha: 'f32' },
  locals: { i: 'i32', av: 'v128', ones: 'v128', v: 'v128', s: 'f32' },
  body: (c) => {
    c.get('alpha').op('f32x4.splat').set('av');
    c.f32(1).op('f32x4.splat').set('ones');
    upTo(c, 4, (c) => {
      at(c, 'out');
      at(c, 'x').mem('v128.load').set('v');
      c.get('v'); // kept where v is NaN
      c.get('ones').get('av').get('v').f32(0).op('f32x4.splat', 'f32x4.gt', 'v128.bitselect');
      c.get('v').get('v').op('f32x4.ne', 'v128.bitselect').mem('v128.store');
    });
    upTo(c, 1, (c) => {
      at(c, 'out');
      at(c, 'x').mem('f32.load').set('s');
      c.get('s');
      c.f32(1).get('alpha').get('s').f32(0).op('f32.gt', 'select');
      c.get('s').get('s').op('f32.ne', 'select').mem('f32.store');
    });
  },
};

interface Exports {
  step(x: number, n: number, out: number, alpha: number): void;
  select(cond: number, a: number, b: number, n: number, out: number): void;
  leaky_relu(x: number, n: number, out: number, alpha: number): void;
  [compare: string]: (...args: number[]) => void;
}

const FUNCS = [...SIMD_COMPARE_KERNELS.map(compareFunc), selectFunc, leakyReluFunc, stepFunc];

let enabled = true;

/** Whether these SIMD kernels run (default yes where the engine has SIMD); false restores the wrapped kernels, for A/B runs and tests. */
export function simdElementwise(on?: boolean): boolean {
  if (on !== undefined) enabled = on;
  return enabled && tf.getBackend() === 'wasm' && module(tf.backend()) !== null;
}

function module(backend: unknown): Exports | null {
  const memory = heapMemory(backend);
  return memory ? instantiate<Exports>('elementwise', FUNCS, memory) : null;
}

const size = (t: TensorInfo) => t.shape.reduce((p, q) => p * q, 1);
const sameShape = (a: TensorInfo, b: TensorInfo) => a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
const addr = (args: KernelArgs, t: TensorInfo) => args.backend.typedArrayFromHeap(t).byteOffset;

/** Float comparison kernels: same shapes, or either side a single value. */
export function compareSimd(name: string, next: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const m = enabled ? module(args.backend) : null;
    let a = args.inputs.a!;
    let b = args.inputs.b!;
    if (!m || a.dtype !== 'float32' || b.dtype !== 'float32') return next(args);
    let op = name;
    if (size(a) === 1 && size(b) > 1) {
      [a, b] = [b, a];
      op = CMP[name]!.swapped;
    }
    const scalarB = size(b) === 1 && b.shape.length <= a.shape.length;
    if (!scalarB && !sameShape(a, b)) return next(args);
    const out = args.backend.makeOutput(a.shape, 'bool');
    m[op]!(addr(args, a), addr(args, b), size(a), addr(args, out), scalarB ? 1 : 0);
    return out;
  };
}

/** Select (tf.where): tfjs broadcasts all three inputs to one shape before the kernel. */
export function selectSimd(next: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const m = enabled ? module(args.backend) : null;
    const { condition, t, e } = args.inputs;
    if (!m || condition!.dtype !== 'bool' || t!.dtype !== 'float32' || e!.dtype !== 'float32' || !sameShape(t!, e!) || size(condition!) !== size(t!)) return next(args);
    const out = args.backend.makeOutput(t!.shape, 'float32');
    m.select(addr(args, condition!), addr(args, t!), addr(args, e!), size(t!), addr(args, out));
    return out;
  };
}

/** LeakyRelu and Step: float32 in and out, one scalar attribute alpha. */
function unaryAlpha(fn: 'leaky_relu' | 'step', next: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const m = enabled ? module(args.backend) : null;
    const x = args.inputs.x!;
    if (!m || x.dtype !== 'float32') return next(args);
    const out = args.backend.makeOutput(x.shape, 'float32');
    m[fn](addr(args, x), size(x), addr(args, out), Number(args.attrs.alpha ?? 0));
    return out;
  };
}

export const leakyReluSimd = (next: WasmKernelFunc) => unaryAlpha('leaky_relu', next);
export const stepSimd = (next: WasmKernelFunc) => unaryAlpha('step', next);

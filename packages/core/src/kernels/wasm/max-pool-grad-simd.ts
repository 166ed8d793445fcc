/**
 * MaxPoolGrad for non-overlapping windows (stride = window, no padding: the usual 2×2/2 pool) as a
 * WebAssembly SIMD loop, four channels at a time: a running f32x4 max with the index of its window
 * position, then dy written to the winning position and 0 to the others. Same semantics as the JS
 * kernel (max-pool-grad.ts) and tfjs's cpu kernel: the first strictly greatest element gets dy,
 * starting from −Infinity (so a window of −Infinity or NaN gets none). Rows and columns no window
 * covers get 0. Channel counts that are not a multiple of 4 and other geometries use the JS kernel.
 */
import { tf } from '../../tf.js';
import { type FuncSpec, forRange, heapMemory, instantiate } from '../wasm-asm.js';
import { f32, type KernelArgs, type TensorInfo, type WasmKernelFunc } from './backend-wasm.js';

type PoolAttrs = {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** Byte strides: rowBytes = W·C·4, pixBytes = C·4. Windows of fh×fw pixels, one per (b, oh, ow). */
const poolGrad: FuncSpec = {
  name: 'max_pool_grad',
  params: { x: 'i32', dy: 'i32', dx: 'i32', B: 'i32', H: 'i32', OH: 'i32', OW: 'i32', fh: 'i32', fw: 'i32', rowBytes: 'i32', pixBytes: 'i32' },
  locals: {
    b: 'i32', oh: 'i32', ow: 'i32', c: 'i32', kh: 'i32', kw: 'i32', k: 'i32', base: 'i32', p: 'i32', g: 'i32',
    best: 'v128', idx: 'v128', v: 'v128', m: 'v128', gv: 'v128', zero: 'v128',
  },
  body: (c) => {
    c.i32(0).op('i32x4.splat').set('zero');
    c.get('dy').set('g');
    // for b, oh, ow: base = x-relative byte offset of the window's top-left pixel
    const range = (v: string, limit: string, body: () => void) => forRange(c, v, limit, body);
    // Each window position (kh, kw) in order k = kh·fw + kw, with p = its byte offset from the window.
    const positions = (body: () => void) => {
      c.i32(0).set('k');
      range('kh', 'fh', () => {
        range('kw', 'fw', () => {
          c.get('kh').get('rowBytes').op('i32.mul').get('kw').get('pixBytes').op('i32.mul').op('i32.add').get('c').op('i32.add').get('base').op('i32.add').set('p');
          body();
          c.get('k').i32(1).op('i32.add').set('k');
        });
      });
    };
    range('b', 'B', () => {
      range('oh', 'OH', () => {
        range('ow', 'OW', () => {
          // base = ((b·H + oh·fh)·W + ow·fw)·C·4 = (b·H + oh·fh)·rowBytes + ow·fw·pixBytes
          c.get('b').get('H').op('i32.mul').get('oh').get('fh').op('i32.mul').op('i32.add').get('rowBytes').op('i32.mul');
          c.get('ow').get('fw').op('i32.mul').get('pixBytes').op('i32.mul').op('i32.add').set('base');
          // c steps through the channels in bytes, 16 at a time (4 floats)
          c.i32(0).set('c');
          c.block((c) =>
            c.loop((c) => {
              c.get('c').get('pixBytes').op('i32.ge_s').brIf(1);
              c.f32(Number.NEGATIVE_INFINITY).op('f32x4.splat').set('best');
              c.i32(-1).op('i32x4.splat').set('idx');
              positions(() => {
                c.get('x').get('p').op('i32.add').mem('v128.load').set('v');
                c.get('v').get('best').op('f32x4.gt').set('m');
                c.get('v').get('best').get('m').op('v128.bitselect').set('best');
                c.get('k').op('i32x4.splat').get('idx').get('m').op('v128.bitselect').set('idx');
              });
              c.get('g').mem('v128.load').set('gv');
              positions(() => {
                c.get('dx').get('p').op('i32.add');
                c.get('gv').get('zero').get('idx').get('k').op('i32x4.splat', 'i32x4.eq', 'v128.bitselect').mem('v128.store');
              });
              c.get('g').i32(16).op('i32.add').set('g');
              c.get('c').i32(16).op('i32.add').set('c');
              c.br(0);
            }),
          );
        });
      });
    });
  },
};

interface Exports {
  max_pool_grad(x: number, dy: number, dx: number, B: number, H: number, OH: number, OW: number, fh: number, fw: number, rowBytes: number, pixBytes: number): void;
}

let enabled = true;

/** Whether the SIMD MaxPoolGrad runs (default yes where it applies); false keeps the JS kernel, for A/B runs and tests. */
export function maxPoolGradSimd(on?: boolean): boolean {
  if (on !== undefined) enabled = on;
  return enabled;
}

export function maxPoolGradSimdKernel(next: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const { inputs, backend } = args;
    const x = inputs.input!;
    const dy = inputs.dy!;
    const memory = enabled ? heapMemory(backend) : null;
    const m = memory ? instantiate<Exports>('max-pool-grad', [poolGrad], memory) : null;
    if (!m || x.dtype !== 'float32' || dy.dtype !== 'float32') return next(args);
    const a = args.attrs as unknown as PoolAttrs;
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: fh, filterWidth: fw } = info;
    const tiled = info.strideHeight === fh && info.strideWidth === fw && info.padInfo.top === 0 && info.padInfo.left === 0 && OH * fh <= H && OW * fw <= W;
    if (!tiled || C % 4 !== 0) return next(args);
    const out = backend.makeOutput(x.shape, 'float32');
    const dx = f32(backend, out);
    dx.fill(0); // pixels no window covers
    m.max_pool_grad(f32(backend, x).byteOffset, f32(backend, dy).byteOffset, dx.byteOffset, B, H, OH, OW, fh, fw, W * C * 4, C * 4);
    return out;
  };
}

/**
 * Forward convolution with ONE output channel (a generator's image output, a saliency head) as a
 * WebAssembly SIMD loop: each output pixel is the sum over the filter taps of a Ci-long dot product,
 * four channels at a time. XNNPACK's implicit GEMM has N = Co = 1 there and ran the DCGAN's 3×3
 * 16→1 output conv at [64,28,28,16] at ~2 GFLOP/s (8 ms CPU per call). NHWC, dilation 1, any
 * stride and padding, Ci a multiple of 4; FusedConv2D with a linear activation and a scalar bias.
 * Everything else keeps the kernel it wraps.
 */
import type { ConvAttrs as Attrs } from '../conv-geometry.js';
import { convInfo } from '../numeric-pad.js';
import { type FuncSpec, forRange, heapMemory, instantiate } from '../wasm-asm.js';
import { f32, type KernelArgs, type TensorInfo, type WasmKernelFunc } from './backend-wasm.js';



/** out[b,i,j] = bias + Σ_kh,kw Σ_c x[b, i·sh − top + kh, j·sw − left + kw, c] · w[kh, kw, c] (taps outside x skipped). */
const convCo1: FuncSpec = {
  name: 'conv_co1',
  params: {
    x: 'i32', w: 'i32', out: 'i32', B: 'i32', H: 'i32', W: 'i32', cBytes: 'i32', OH: 'i32', OW: 'i32',
    FH: 'i32', FW: 'i32', sh: 'i32', sw: 'i32', top: 'i32', left: 'i32', bias: 'f32',
  },
  locals: { b: 'i32', i: 'i32', j: 'i32', kh: 'i32', kw: 'i32', yy: 'i32', xx: 'i32', c: 'i32', px: 'i32', wp: 'i32', o: 'i32', acc: 'v128' },
  body: (c) => {
    c.get('out').set('o');
    forRange(c, 'b', 'B', () =>
      forRange(c, 'i', 'OH', () =>
        forRange(c, 'j', 'OW', () => {
          c.f32(0).op('f32x4.splat').set('acc');
          forRange(c, 'kh', 'FH', () => {
            c.get('i').get('sh').op('i32.mul').get('top').op('i32.sub').get('kh').op('i32.add').set('yy');
            // Rows outside x: skip (unsigned compare catches yy < 0 too).
            c.get('yy').get('H').op('i32.lt_u').if((c) =>
              forRange(c, 'kw', 'FW', () => {
                c.get('j').get('sw').op('i32.mul').get('left').op('i32.sub').get('kw').op('i32.add').set('xx');
                c.get('xx').get('W').op('i32.lt_u').if((c) => {
                  c.get('b').get('H').op('i32.mul').get('yy').op('i32.add').get('W').op('i32.mul').get('xx').op('i32.add').get('cBytes').op('i32.mul').get('x').op('i32.add').set('px');
                  c.get('kh').get('FW').op('i32.mul').get('kw').op('i32.add').get('cBytes').op('i32.mul').get('w').op('i32.add').set('wp');
                  c.i32(0).set('c');
                  c.block((c) =>
                    c.loop((c) => {
                      c.get('c').get('cBytes').op('i32.ge_s').brIf(1);
                      c.get('acc');
                      c.get('px').get('c').op('i32.add').mem('v128.load');
                      c.get('wp').get('c').op('i32.add').mem('v128.load');
                      c.op('f32x4.mul', 'f32x4.add').set('acc');
                      c.get('c').i32(16).op('i32.add').set('c');
                      c.br(0);
                    }),
                  );
                });
              }),
            );
          });
          c.get('o');
          c.get('acc').lane('f32x4.extract_lane', 0).get('acc').lane('f32x4.extract_lane', 1).op('f32.add');
          c.get('acc').lane('f32x4.extract_lane', 2).get('acc').lane('f32x4.extract_lane', 3).op('f32.add').op('f32.add');
          c.get('bias').op('f32.add').mem('f32.store');
          c.get('o').i32(4).op('i32.add').set('o');
        }),
      ),
    );
  },
};

interface Exports {
  conv_co1(...args: number[]): void;
}

let enabled = true;

/** Whether one-output-channel convolutions use the SIMD loop (default yes); false keeps XNNPACK, for A/B runs and tests. */
export function convCo1Simd(on?: boolean): boolean {
  if (on !== undefined) enabled = on;
  return enabled;
}

const noDilation = (d: Attrs['dilations']) => d === undefined || d === 1 || (Array.isArray(d) && d[0] === 1 && d[1] === 1);

function run(args: KernelArgs, bias: TensorInfo | undefined, next: WasmKernelFunc): TensorInfo {
  const a = args.attrs as unknown as Attrs;
  const { x, filter } = args.inputs;
  const m = enabled ? (() => {
    const memory = heapMemory(args.backend);
    return memory ? instantiate<Exports>('conv-co1', [convCo1], memory) : null;
  })() : null;
  const ok = m && x!.dtype === 'float32' && filter!.dtype === 'float32' && x!.shape.length === 4 && filter!.shape[3] === 1 && filter!.shape[2]! % 4 === 0 && (a.dataFormat ?? 'NHWC') === 'NHWC' && noDilation(a.dilations);
  if (!ok) return next(args);
  const info = convInfo(x!.shape, filter!.shape, a);
  const out = args.backend.makeOutput(info.outShape, 'float32');
  const b = bias ? f32(args.backend, bias)[0]! : 0;
  m.conv_co1(
    f32(args.backend, x!).byteOffset, f32(args.backend, filter!).byteOffset, f32(args.backend, out).byteOffset,
    info.batchSize, info.inHeight, info.inWidth, info.inChannels * 4, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, b,
  );
  return out;
}

export function conv2dCo1(next: WasmKernelFunc): WasmKernelFunc {
  return (args) => run(args, undefined, next);
}

export function fusedConv2dCo1(next: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const a = args.attrs as unknown as Attrs;
    const { bias, preluActivationWeights } = args.inputs;
    const scalarBias = !bias || (bias.dtype === 'float32' && bias.shape.reduce((p, q) => p * q, 1) === 1);
    if ((a.activation ?? 'linear') !== 'linear' || preluActivationWeights || !scalarBias) return next(args);
    return run(args, bias, next);
  };
}

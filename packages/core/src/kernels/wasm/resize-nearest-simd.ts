/**
 * Nearest-neighbour upsampling by whole factors (UpSampling2D: out = in × [sh, sw], alignCorners and
 * halfPixelCenters false) and its gradient as WebAssembly SIMD loops over channel runs: the forward
 * copies each input pixel's C floats to its sh·sw output pixels, the gradient sums them back, four
 * channels at a time (in the JS gradient's order: bit-identical). A GAN generator's resize-convs
 * run both twice per step. Other sizes, modes and channel counts keep the kernels they wrap.
 */
import { type Code, type FuncSpec, forRange, heapMemory, instantiate } from '../wasm-asm.js';
import { f32, type KernelArgs, type TensorInfo, type WasmKernelFunc } from './backend-wasm.js';

type Attrs = { alignCorners: boolean; halfPixelCenters: boolean };


const PARAMS = { src: 'i32', dst: 'i32', B: 'i32', H: 'i32', W: 'i32', sh: 'i32', sw: 'i32', pixBytes: 'i32' } as const;
const LOCALS = { b: 'i32', i: 'i32', j: 'i32', u: 'i32', v: 'i32', k: 'i32', p: 'i32', q: 'i32', OW: 'i32', acc: 'v128' } as const;

/** Byte offset of output pixel (b, i·sh + u, j·sw + v) into q. */
function outPixel(c: Code): void {
  c.get('b').get('H').op('i32.mul').get('i').op('i32.add').get('sh').op('i32.mul').get('u').op('i32.add').get('OW').op('i32.mul');
  c.get('j').get('sw').op('i32.mul').get('v').op('i32.add').op('i32.add').get('pixBytes').op('i32.mul').set('q');
}

/** Input pixel (b, i, j) byte offset into p. */
function inPixel(c: Code): void {
  c.get('b').get('H').op('i32.mul').get('i').op('i32.add').get('W').op('i32.mul').get('j').op('i32.add').get('pixBytes').op('i32.mul').set('p');
}

/** Loops b, i, j over the input pixels with OW = W·sw set. */
function overInput(c: Code, body: () => void): void {
  c.get('W').get('sw').op('i32.mul').set('OW');
  forRange(c, 'b', 'B', () => forRange(c, 'i', 'H', () => forRange(c, 'j', 'W', body)));
}

/** dst[out pixel] = src[its input pixel], 16 bytes at a time. */
const upsample: FuncSpec = {
  name: 'upsample',
  params: PARAMS,
  locals: LOCALS,
  body: (c) =>
    overInput(c, () => {
      inPixel(c);
      forRange(c, 'u', 'sh', () =>
        forRange(c, 'v', 'sw', () => {
          outPixel(c);
          forRange(c, 'k', 'pixBytes', () => {
            c.get('dst').get('q').op('i32.add').get('k').op('i32.add');
            c.get('src').get('p').op('i32.add').get('k').op('i32.add').mem('v128.load').mem('v128.store');
            c.get('k').i32(15).op('i32.add').set('k'); // with range's +1: 16 bytes per pass
          });
        }),
      );
    }),
};

/** dst[input pixel] = Σ over its sh·sw output pixels of src (the upsample's dy), 16 bytes at a time. */
const upsampleGrad: FuncSpec = {
  name: 'upsample_grad',
  params: PARAMS,
  locals: LOCALS,
  body: (c) =>
    overInput(c, () => {
      inPixel(c);
      forRange(c, 'k', 'pixBytes', () => {
        c.f32(0).op('f32x4.splat').set('acc');
        forRange(c, 'u', 'sh', () =>
          forRange(c, 'v', 'sw', () => {
            outPixel(c);
            c.get('acc').get('src').get('q').op('i32.add').get('k').op('i32.add').mem('v128.load').op('f32x4.add').set('acc');
          }),
        );
        c.get('dst').get('p').op('i32.add').get('k').op('i32.add').get('acc').mem('v128.store');
        c.get('k').i32(15).op('i32.add').set('k'); // with range's +1: 16 bytes per pass
      });
    }),
};

interface Exports {
  upsample(src: number, dst: number, B: number, H: number, W: number, sh: number, sw: number, pixBytes: number): void;
  upsample_grad(src: number, dst: number, B: number, H: number, W: number, sh: number, sw: number, pixBytes: number): void;
}

/** Whole factors [sh, sw] when out = in × factor and tfjs's nearest map is exactly floor(o / factor), else null. */
function factors(inShape: number[], outH: number, outW: number, a: Attrs): [number, number] | null {
  const [, H, W, C] = inShape as [number, number, number, number];
  if (a.alignCorners || a.halfPixelCenters || C % 4 !== 0 || outH % H !== 0 || outW % W !== 0) return null;
  const sh = outH / H;
  const sw = outW / W;
  // tfjs's cpu map is floor(o · in / out) in float64: check it equals floor(o / s) here.
  for (const [n, out, s] of [[H, outH, sh], [W, outW, sw]] as const) {
    for (let o = 0; o < out; o++) if (Math.min(n - 1, Math.floor((n / out) * o)) !== Math.floor(o / s)) return null;
  }
  return [sh, sw];
}

function module(backend: unknown): Exports | null {
  const memory = heapMemory(backend);
  return memory ? instantiate<Exports>('resize-nearest', [upsample, upsampleGrad], memory) : null;
}

/** ResizeNearestNeighbor: inputs images; attrs size [outH, outW]. */
export function resizeNearestSimd(next: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const x = args.inputs.images!;
    const [outH, outW] = args.attrs.size as [number, number];
    const f = x.dtype === 'float32' && x.shape.length === 4 ? factors(x.shape, outH, outW, args.attrs as unknown as Attrs) : null;
    const m = f ? module(args.backend) : null;
    if (!f || !m) return next(args);
    const [B, H, W, C] = x.shape as [number, number, number, number];
    const out = args.backend.makeOutput([B, outH, outW, C], 'float32');
    m.upsample(f32(args.backend, x).byteOffset, f32(args.backend, out).byteOffset, B, H, W, f[0], f[1], C * 4);
    return out;
  };
}

/** ResizeNearestNeighborGrad: inputs images (for its shape), dy. */
export function resizeNearestGradSimd(next: WasmKernelFunc): WasmKernelFunc {
  return (args: KernelArgs): TensorInfo => {
    const x = args.inputs.images!;
    const dy = args.inputs.dy!;
    const f = dy.dtype === 'float32' && x.shape.length === 4 ? factors(x.shape, dy.shape[1]!, dy.shape[2]!, args.attrs as unknown as Attrs) : null;
    const m = f ? module(args.backend) : null;
    if (!f || !m) return next(args);
    const [B, H, W, C] = x.shape as [number, number, number, number];
    const out = args.backend.makeOutput(x.shape, 'float32');
    m.upsample_grad(f32(args.backend, dy).byteOffset, f32(args.backend, out).byteOffset, B, H, W, f[0], f[1], C * 4);
    return out;
  };
}

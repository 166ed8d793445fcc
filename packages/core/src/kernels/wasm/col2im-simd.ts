/**
 * col2im as a WebAssembly SIMD loop: dx[b, ih, iw, :] += cols[m, (kh·fw + kw)·Ci : +Ci] for every
 * patch position inside dx, Ci floats four at a time (Ci a multiple of 4). The JS loop of conv-grad.ts
 * did one float per step: for the MNIST CNN's conv2 input gradient that is 2.2M adds a step.
 */
import { type FuncSpec, forRange, heapMemory, instantiate } from '../wasm-asm.js';
import type { WasmBackend } from './backend-wasm.js';


const col2imFunc: FuncSpec = {
  name: 'col2im',
  params: {
    cols: 'i32', dx: 'i32', b0: 'i32', n: 'i32', H: 'i32', W: 'i32', cBytes: 'i32', OH: 'i32', OW: 'i32',
    FH: 'i32', FW: 'i32', sh: 'i32', sw: 'i32', top: 'i32', left: 'i32',
  },
  locals: { b: 'i32', bEnd: 'i32', oh: 'i32', ow: 'i32', kh: 'i32', kw: 'i32', ih: 'i32', iw: 'i32', src: 'i32', s: 'i32', dst: 'i32', c: 'i32' },
  body: (c) => {
    c.get('cols').set('src');
    c.get('b0').get('n').op('i32.add').set('bEnd');
    c.get('b0').set('b');
    c.block((c) =>
      c.loop((c) => {
        c.get('b').get('bEnd').op('i32.ge_s').brIf(1);
        forRange(c, 'oh', 'OH', () =>
          forRange(c, 'ow', 'OW', () => {
            forRange(c, 'kh', 'FH', () => {
              c.get('oh').get('sh').op('i32.mul').get('top').op('i32.sub').get('kh').op('i32.add').set('ih');
              c.get('ih').get('H').op('i32.lt_u').if((c) =>
                forRange(c, 'kw', 'FW', () => {
                  c.get('ow').get('sw').op('i32.mul').get('left').op('i32.sub').get('kw').op('i32.add').set('iw');
                  c.get('iw').get('W').op('i32.lt_u').if((c) => {
                    c.get('b').get('H').op('i32.mul').get('ih').op('i32.add').get('W').op('i32.mul').get('iw').op('i32.add').get('cBytes').op('i32.mul').get('dx').op('i32.add').set('dst');
                    c.get('kh').get('FW').op('i32.mul').get('kw').op('i32.add').get('cBytes').op('i32.mul').get('src').op('i32.add').set('s');
                    c.i32(0).set('c');
                    c.block((c) =>
                      c.loop((c) => {
                        c.get('c').get('cBytes').op('i32.ge_s').brIf(1);
                        c.get('dst').get('c').op('i32.add');
                        c.get('dst').get('c').op('i32.add').mem('v128.load');
                        c.get('s').get('c').op('i32.add').mem('v128.load').op('f32x4.add').mem('v128.store');
                        c.get('c').i32(16).op('i32.add').set('c');
                        c.br(0);
                      }),
                    );
                  });
                }),
              );
            });
            // next patch row: K = FH·FW·Ci floats
            c.get('src').get('FH').get('FW').op('i32.mul').get('cBytes').op('i32.mul').op('i32.add').set('src');
          }),
        );
        c.get('b').i32(1).op('i32.add').set('b');
        c.br(0);
      }),
    );
  },
};

interface Exports {
  col2im(...args: number[]): void;
}

/** Runs the SIMD col2im (byte addresses); false when SIMD is unavailable or Ci is not a multiple of 4. */
export function col2imSimd(backend: WasmBackend, cols: number, dx: number, info: import('../../tf.js').tf.backend_util.Conv2DInfo, b0: number, n: number): boolean {
  const memory = heapMemory(backend);
  const m = memory && info.inChannels % 4 === 0 ? instantiate<Exports>('col2im', [col2imFunc], memory) : null;
  if (!m) return false;
  m.col2im(cols, dx, b0, n, info.inHeight, info.inWidth, info.inChannels * 4, info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left);
  return true;
}

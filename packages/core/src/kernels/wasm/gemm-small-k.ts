/**
 * out[K, N] += aT[K, M] · b[M, N] for a short K (≤ 32) and N a multiple of 16, as a WebAssembly SIMD
 * loop: the filter gradient of a few-input-channel conv (colsᵀ [fh·fw·Ci, B·oh·ow] · dy [B·oh·ow, Co]),
 * whose contraction runs over every output pixel. XNNPACK packs its right operand — here dy, new each
 * step — on every call (~15-30 ns a float: the MNIST CNN's conv1 dy is 1.4M floats); this loop reads
 * it as it is. Blocks of 2 rows × 16 columns stay in eight f32x4 registers across the whole M loop.
 */
import { type Code, type FuncSpec, heapMemory, instantiate } from '../wasm-asm.js';
import type { WasmBackend } from './backend-wasm.js';

/** Rows per block: 2 (pairs) or 1 (the odd last row). */
function blockFunc(rows: 1 | 2): FuncSpec {
  const accs = Array.from({ length: rows * 4 }, (_, i) => `a${i}`);
  return {
    name: `gemm_rows${rows}`,
    // k0: first row of the block; o0: first column (both in elements).
    params: { aT: 'i32', b: 'i32', out: 'i32', M: 'i32', N: 'i32', k0: 'i32', o0: 'i32' },
    locals: { m: 'i32', pa: 'i32', pb: 'i32', rowBytes: 'i32', po: 'i32', s0: 'v128', s1: 'v128', ...Object.fromEntries(accs.map((a) => [a, 'v128'])), b0: 'v128', b1: 'v128', b2: 'v128', b3: 'v128' },
    body: (c: Code) => {
      for (const a of accs) c.f32(0).op('f32x4.splat').set(a);
      // pa: aT[k0, 0]; pb: b[0, o0]
      c.get('aT').get('k0').get('M').op('i32.mul').i32(2).op('i32.shl').op('i32.add').set('pa');
      c.get('b').get('o0').i32(2).op('i32.shl').op('i32.add').set('pb');
      c.get('N').i32(2).op('i32.shl').set('rowBytes');
      c.block((c) =>
        c.loop((c) => {
          c.get('m').get('M').op('i32.ge_s').brIf(1);
          for (let v = 0; v < 4; v++) c.get('pb').mem('v128.load', 16 * v).set(`b${v}`);
          c.get('pa').mem('f32.load').op('f32x4.splat').set('s0');
          if (rows === 2) c.get('pa').get('M').i32(2).op('i32.shl').op('i32.add').mem('f32.load').op('f32x4.splat').set('s1');
          for (let r = 0; r < rows; r++) {
            for (let v = 0; v < 4; v++) c.get(`a${r * 4 + v}`).get(`s${r}`).get(`b${v}`).op('f32x4.mul', 'f32x4.add').set(`a${r * 4 + v}`);
          }
          c.get('pa').i32(4).op('i32.add').set('pa');
          c.get('pb').get('rowBytes').op('i32.add').set('pb');
          c.get('m').i32(1).op('i32.add').set('m');
          c.br(0);
        }),
      );
      // out[k0 + r, o0 + 4v ...] += acc
      for (let r = 0; r < rows; r++) {
        c.get('out').get('k0').i32(r).op('i32.add').get('N').op('i32.mul').get('o0').op('i32.add').i32(2).op('i32.shl').op('i32.add').set('po');
        for (let v = 0; v < 4; v++) c.get('po').get('po').mem('v128.load', 16 * v).get(`a${r * 4 + v}`).op('f32x4.add').mem('v128.store', 16 * v);
      }
    },
  };
}

interface Exports {
  gemm_rows1(aT: number, b: number, out: number, M: number, N: number, k0: number, o0: number): void;
  gemm_rows2(aT: number, b: number, out: number, M: number, N: number, k0: number, o0: number): void;
}

export const SMALL_K_MAX = 32;

/** Adds aT·b into out (byte addresses on the wasm heap); false when SIMD is unavailable or N is not a multiple of 16. */
export function gemmSmallK(backend: WasmBackend, aT: number, b: number, out: number, K: number, M: number, N: number): boolean {
  const memory = heapMemory(backend);
  const m = memory && N % 16 === 0 ? instantiate<Exports>('gemm-small-k', [blockFunc(1), blockFunc(2)], memory) : null;
  if (!m) return false;
  for (let o0 = 0; o0 < N; o0 += 16) {
    let k0 = 0;
    for (; k0 + 2 <= K; k0 += 2) m.gemm_rows2(aT, b, out, M, N, k0, o0);
    if (k0 < K) m.gemm_rows1(aT, b, out, M, N, k0, o0);
  }
  return true;
}

/**
 * embeddingBag's loops as WebAssembly SIMD (f32x4) working directly on tfjs-backend-wasm's heap:
 * V8 runs the JS loops one float at a time (409,600 scalar adds for fastText's [64,200]×32 bag, 85%
 * of its inference step); here each add is four floats wide and the accumulators stay in
 * registers. The module is assembled from the instructions below (wasm-asm.ts) and imports
 * tfjs's own memory, so no data is copied. Where the engine lacks SIMD, the JS loops run instead.
 *
 * All addresses are byte offsets into that memory; ids are int32, tables float32, rows d floats.
 */
import { assemble, type Code, type FuncSpec, instantiate } from './wasm-asm.js';

/** Per bag: count the non-padding ids into n, checking each lies in [0, vocab) (else return its position). */
function countAndCheck(c: Code): void {
  c.i32(0).set('n').get('ib').set('p');
  c.block((c) =>
    c.loop((c) => {
      c.get('p').get('end').op('i32.ge_u').brIf(1);
      c.get('p').mem('i32.load').tee('id').get('vocab').op('i32.ge_u');
      // Unsigned compare: negative ids fail too. Position = (p - ids) / 4.
      c.if((c) => c.get('p').get('ids').op('i32.sub').i32(2).op('i32.shr_u').op('return'));
      c.get('n').get('id').get('pad').op('i32.ne').op('i32.add').set('n');
      c.get('p').i32(4).op('i32.add').set('p');
      c.br(0);
    }),
  );
  // f = mean ? 1 / max(n, 1) : 1
  c.f32(1).set('f');
  c.get('mean').if((c) => c.f32(1).get('n').op('f32.convert_i32_s').f32(1).op('f32.max', 'f32.div').set('f'));
  c.get('f').op('f32x4.splat').set('fv');
}

/** Loop over the bag's ids; for each non-padding id, `row` runs with local q = its row's address (+ k when `plusK`). */
function forEachRow(c: Code, base: string, plusK: boolean, row: (c: Code) => void): void {
  c.get('ib').set('p');
  c.block((c) =>
    c.loop((c) => {
      c.get('p').get('end').op('i32.ge_u').brIf(1);
      c.get('p').mem('i32.load').set('id');
      c.get('p').i32(4).op('i32.add').set('p');
      c.get('id').get('pad').op('i32.ne');
      c.if((c) => {
        c.get(base).get('id').get('rowBytes').op('i32.mul').op('i32.add');
        if (plusK) c.get('k').op('i32.add');
        c.set('q');
        row(c);
      });
      c.br(0);
    }),
  );
}

/** `while (k + width <= rowBytes) { body; k += width }` */
function columns(c: Code, width: number, body: (c: Code) => void): void {
  c.block((c) =>
    c.loop((c) => {
      c.get('k').i32(width).op('i32.add').get('rowBytes').op('i32.gt_s').brIf(1);
      body(c);
      c.get('k').i32(width).op('i32.add').set('k');
      c.br(0);
    }),
  );
}

/** For each bag: its row range and scale, then `perBag`. Returns -1 when every id was valid. */
function overBags(c: Code, perBag: (c: Code) => void): void {
  c.get('d').i32(2).op('i32.shl').set('rowBytes');
  c.i32(0).set('b');
  c.block((c) =>
    c.loop((c) => {
      c.get('b').get('bags').op('i32.ge_s').brIf(1);
      c.get('ids').get('b').get('len').op('i32.mul').i32(2).op('i32.shl').op('i32.add').tee('ib');
      c.get('len').i32(2).op('i32.shl').op('i32.add').set('end');
      c.get('b').get('rowBytes').op('i32.mul').set('ob');
      countAndCheck(c);
      c.i32(0).set('k');
      perBag(c);
      c.get('b').i32(1).op('i32.add').set('b');
      c.br(0);
    }),
  );
  c.i32(-1);
}

const PARAMS = { src: 'i32', ids: 'i32', bags: 'i32', len: 'i32', d: 'i32', vocab: 'i32', pad: 'i32', mean: 'i32', out: 'i32' } as const;
const LOCALS = {
  b: 'i32', p: 'i32', end: 'i32', ib: 'i32', ob: 'i32', id: 'i32', n: 'i32', k: 'i32', q: 'i32', rowBytes: 'i32',
  f: 'f32', s: 'f32', fv: 'v128', a0: 'v128', a1: 'v128', a2: 'v128', a3: 'v128',
} as const;

const ACC = ['a0', 'a1', 'a2', 'a3'];

/** out[b] = f_b · Σ_t table[ids[b,t]] (src = table, out zeroed or not: it is overwritten). */
const bagSums: FuncSpec = {
  name: 'bag_sums',
  params: PARAMS,
  locals: LOCALS,
  result: 'i32',
  body: (c) =>
    overBags(c, (c) => {
      c.get('out').get('ob').op('i32.add').set('ob');
      // 16 floats (one cache line of the row) per pass: four vector accumulators.
      columns(c, 64, (c) => {
        for (const a of ACC) c.f32(0).op('f32x4.splat').set(a);
        forEachRow(c, 'src', true, (c) => {
          for (const [j, a] of ACC.entries()) c.get(a).get('q').mem('v128.load', 16 * j).op('f32x4.add').set(a);
        });
        for (const [j, a] of ACC.entries()) c.get('ob').get('k').op('i32.add').get(a).get('fv').op('f32x4.mul').mem('v128.store', 16 * j);
      });
      columns(c, 16, (c) => {
        c.f32(0).op('f32x4.splat').set('a0');
        forEachRow(c, 'src', true, (c) => c.get('a0').get('q').mem('v128.load').op('f32x4.add').set('a0'));
        c.get('ob').get('k').op('i32.add').get('a0').get('fv').op('f32x4.mul').mem('v128.store');
      });
      columns(c, 4, (c) => {
        c.f32(0).set('s');
        forEachRow(c, 'src', true, (c) => c.get('s').get('q').mem('f32.load').op('f32.add').set('s'));
        c.get('ob').get('k').op('i32.add').get('s').get('f').op('f32.mul').mem('f32.store');
      });
    }),
};

/** out[ids[b,t]] += f_b · dy[b] (src = dy, out zeroed by the caller): the table gradient. */
const bagScatter: FuncSpec = {
  name: 'bag_scatter',
  params: PARAMS,
  locals: LOCALS,
  result: 'i32',
  body: (c) =>
    overBags(c, (c) => {
      c.get('src').get('ob').op('i32.add').set('ob'); // this bag's dy row
      // q is the row start; columns step k through it.
      forEachRow(c, 'out', false, (c) => {
        c.i32(0).set('k');
        columns(c, 16, (c) => {
          c.get('q').get('k').op('i32.add');
          c.get('q').get('k').op('i32.add').mem('v128.load');
          c.get('ob').get('k').op('i32.add').mem('v128.load').get('fv').op('f32x4.mul');
          c.op('f32x4.add').mem('v128.store');
        });
        columns(c, 4, (c) => {
          c.get('q').get('k').op('i32.add');
          c.get('q').get('k').op('i32.add').mem('f32.load');
          c.get('ob').get('k').op('i32.add').mem('f32.load').get('f').op('f32.mul');
          c.op('f32.add').mem('f32.store');
        });
      });
    }),
};

export interface BagSimd {
  /** Return -1, or the position of the first id outside [0, vocab). */
  bag_sums(table: number, ids: number, bags: number, len: number, d: number, vocab: number, pad: number, mean: number, out: number): number;
  bag_scatter(dy: number, ids: number, bags: number, len: number, d: number, vocab: number, pad: number, mean: number, out: number): number;
}

/** The SIMD loops bound to `memory`, or null where the engine cannot compile them. */
export function bagSimd(memory: WebAssembly.Memory): BagSimd | null {
  return instantiate<BagSimd>('embedding-bag', [bagSums, bagScatter], memory);
}

/** The module's bytes (for tests: they must validate). */
export function bagSimdBytes(shared = false): Uint8Array<ArrayBuffer> {
  return assemble([bagSums, bagScatter], { shared });
}

/**
 * A tiny WebAssembly assembler: kernels that need SIMD write their loops here as readable
 * instructions, and the module bytes are built from them at load time (no opaque blob to trust,
 * no toolchain to install). Covers only what dlkit's kernels use: i32/f32/v128 locals, one
 * imported memory, structured control flow, and the handful of opcodes listed in OPS.
 * Encoding per the WebAssembly core spec (binary format) and its fixed-width SIMD proposal.
 */

export type ValType = 'i32' | 'f32' | 'v128';
const VAL_TYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

/** Opcodes without immediates (SIMD ones as [0xfd, LEB128 sub-opcode]). */
const OPS = {
  return: [0x0f],
  'i32.eqz': [0x45],
  'i32.eq': [0x46],
  'i32.ne': [0x47],
  'i32.lt_s': [0x48],
  'i32.lt_u': [0x49],
  'i32.gt_s': [0x4a],
  'i32.le_s': [0x4c],
  'i32.ge_s': [0x4e],
  'i32.ge_u': [0x4f],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.mul': [0x6c],
  'i32.shl': [0x74],
  'i32.shr_u': [0x76],
  'f32.eq': [0x5b],
  'f32.ne': [0x5c],
  'f32.lt': [0x5d],
  'f32.gt': [0x5e],
  'f32.le': [0x5f],
  'f32.ge': [0x60],
  'i32.and': [0x71],
  select: [0x1b],
  'f64.add': [0xa0],
  'f64.promote_f32': [0xbb],
  'f32.add': [0x92],
  'f32.mul': [0x94],
  'f32.div': [0x95],
  'f32.max': [0x97],
  'f32.convert_i32_s': [0xb2],
  'i8x16.splat': [0xfd, 0x0f],
  'i32x4.splat': [0xfd, 0x11],
  'f32x4.splat': [0xfd, 0x13],
  'i32x4.eq': [0xfd, 0x37],
  'i32x4.ne': [0xfd, 0x38],
  'f32x4.eq': [0xfd, 0x41],
  'f32x4.ne': [0xfd, 0x42],
  'f32x4.lt': [0xfd, 0x43],
  'f32x4.gt': [0xfd, 0x44],
  'f32x4.le': [0xfd, 0x45],
  'f32x4.ge': [0xfd, 0x46],
  'v128.and': [0xfd, 0x4e],
  'v128.bitselect': [0xfd, 0x52],
  'i8x16.narrow_i16x8_s': [0xfd, 0x65],
  'i16x8.narrow_i32x4_s': [0xfd, 0x85, 0x01],
  'i16x8.extend_low_i8x16_u': [0xfd, 0x89, 0x01],
  'i32x4.extend_low_i16x8_u': [0xfd, 0xa9, 0x01],
  'f64x2.promote_low_f32x4': [0xfd, 0x5f],
  'f64x2.add': [0xfd, 0xf0, 0x01],
  'f32x4.add': [0xfd, 0xe4, 0x01],
  'f32x4.mul': [0xfd, 0xe6, 0x01],
} as const;
export type Op = keyof typeof OPS;

/** Lane instructions (followed by a lane index byte). */
const LANE_OPS = { 'f32x4.extract_lane': [0xfd, 0x1f] } as const;

/** Memory accesses: opcode and natural alignment (log2 bytes; a hint, unaligned access is legal). */
const MEM = {
  'i32.load': [[0x28], 2],
  'f32.load': [[0x2a], 2],
  'i32.load8_u': [[0x2d], 0],
  'f32.store': [[0x38], 2],
  'i32.store8': [[0x3a], 0],
  'v128.load32_zero': [[0xfd, 0x5c], 2],
  'v128.load64_zero': [[0xfd, 0x5d], 3],
  'f64.load': [[0x2b], 3],
  'f64.store': [[0x39], 3],
  'v128.load': [[0xfd, 0x00], 4],
  'v128.store': [[0xfd, 0x0b], 4],
} as const;
export type MemOp = keyof typeof MEM;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (s: string): number[] => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/**
 * One function's body, written as a chain of instructions. Locals are named; `block`/`loop`
 * take their body as a callback, and branches count enclosing blocks outward from 0 as in the
 * text format (`br_if 0` inside a loop body continues that loop).
 */
export class Code {
  readonly bytes: number[] = [];
  private readonly index = new Map<string, number>();

  constructor(names: string[]) {
    for (const [i, n] of names.entries()) this.index.set(n, i);
  }

  private local(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`wasm-asm: no local named ${name}`);
    return i;
  }

  get(name: string): this {
    this.bytes.push(0x20, ...uleb(this.local(name)));
    return this;
  }
  set(name: string): this {
    this.bytes.push(0x21, ...uleb(this.local(name)));
    return this;
  }
  tee(name: string): this {
    this.bytes.push(0x22, ...uleb(this.local(name)));
    return this;
  }
  i32(v: number): this {
    this.bytes.push(0x41, ...sleb(v | 0));
    return this;
  }
  f32(v: number): this {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.bytes.push(0x43, ...b);
    return this;
  }
  op(...ops: Op[]): this {
    for (const o of ops) this.bytes.push(...OPS[o]);
    return this;
  }
  /** A SIMD lane instruction with its lane index immediate. */
  lane(o: keyof typeof LANE_OPS, index: number): this {
    this.bytes.push(...LANE_OPS[o], index);
    return this;
  }
  /** Load or store at (address operand + offset) bytes. */
  mem(o: MemOp, offset = 0): this {
    const [code, align] = MEM[o];
    this.bytes.push(...code, ...uleb(align), ...uleb(offset));
    return this;
  }
  block(body: (c: this) => void): this {
    this.bytes.push(0x02, 0x40);
    body(this);
    this.bytes.push(0x0b);
    return this;
  }
  loop(body: (c: this) => void): this {
    this.bytes.push(0x03, 0x40);
    body(this);
    this.bytes.push(0x0b);
    return this;
  }
  /** `if` without a result: the condition is the i32 on the stack. */
  if(body: (c: this) => void): this {
    this.bytes.push(0x04, 0x40);
    body(this);
    this.bytes.push(0x0b);
    return this;
  }
  br(depth: number): this {
    this.bytes.push(0x0c, ...uleb(depth));
    return this;
  }
  brIf(depth: number): this {
    this.bytes.push(0x0d, ...uleb(depth));
    return this;
  }
}

/** `for (v = 0; v < limit; v++) body()` over two i32 locals — the loop every SIMD kernel nests. */
export function forRange(c: Code, v: string, limit: string, body: () => void): void {
  c.i32(0).set(v);
  c.block((c) =>
    c.loop((c) => {
      c.get(v).get(limit).op('i32.ge_s').brIf(1);
      body();
      c.get(v).i32(1).op('i32.add').set(v);
      c.br(0);
    }),
  );
}

export interface FuncSpec {
  name: string;
  params: Record<string, ValType>;
  locals: Record<string, ValType>;
  result?: ValType;
  body: (c: Code) => void;
}

const modules = new WeakMap<WebAssembly.Memory, Map<string, unknown>>();

/**
 * `funcs` assembled into a module bound to `memory` (compiled once per memory and `name`), or null
 * where the engine cannot compile it (no SIMD): callers then use their JS code.
 */
export function instantiate<T>(name: string, funcs: FuncSpec[], memory: WebAssembly.Memory): T | null {
  let byName = modules.get(memory);
  if (!byName) {
    byName = new Map();
    modules.set(memory, byName);
  }
  if (byName.has(name)) return byName.get(name) as T | null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  let exports: T | null;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(assemble(funcs, { shared })), { env: { memory } }).exports as T;
  } catch {
    exports = null;
  }
  byName.set(name, exports);
  return exports;
}

type WasmModule = { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };

/** tfjs-backend-wasm's memory (single-threaded build: asm.memory; threaded: wasmMemory), if `backend` is that backend. */
export function heapMemory(backend: unknown): WebAssembly.Memory | null {
  const m = (backend as { wasm?: WasmModule } | null)?.wasm;
  const memory = m?.asm?.memory ?? m?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/**
 * A module importing one memory as env.memory (shared when the host's is: tfjs-wasm's threaded
 * build) and exporting `funcs`.
 */
export function assemble(funcs: FuncSpec[], memory: { shared: boolean }): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...vec(Object.values(f.params).map((t) => [VAL_TYPE[t]])), ...vec(f.result ? [[VAL_TYPE[f.result]]] : [])]);
  // Shared memories must declare a maximum; 65536 pages (4 GiB) is compatible with any host's.
  const limits = memory.shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...utf8('env'), ...utf8('memory'), 0x02, ...limits]]);
  const exports = vec(funcs.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]));
  const bodies = funcs.map((f) => {
    const code = new Code([...Object.keys(f.params), ...Object.keys(f.locals)]);
    f.body(code);
    const locals = vec(Object.values(f.locals).map((t) => [...uleb(1), VAL_TYPE[t]]));
    const body = [...locals, ...code.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, exports),
    ...section(10, vec(bodies)),
  ]);
}

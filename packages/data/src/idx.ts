/**
 * IDX (the MNIST format, http://yann.lecun.com/exdb/mnist/): big-endian header
 * `0x00 0x00 <dtype> <ndims>`, ndims uint32 dimensions, then the data. Browser-safe: works on
 * bytes; the Node file reader (gzip aware) is in node/idx-file.ts.
 */
import { corrupt } from './errors.js';

export interface IdxArray {
  /** Raw values; Uint8Array for the ubyte files MNIST-likes use. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
  shape: number[];
  dtype: IdxDtype;
}

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const DTYPES: Record<number, [IdxDtype, number]> = {
  8: ['uint8', 1],
  9: ['int8', 1],
  11: ['int16', 2],
  12: ['int32', 4],
  13: ['float32', 4],
  14: ['float64', 8],
};

/** Decode an IDX buffer strictly: magic, dtype, dimensions and exact length are all checked. */
export function decodeIdx(bytes: Uint8Array, file = '<buffer>', expect?: { dims?: number; dtype?: IdxDtype }): IdxArray {
  if (bytes.length < 4) throw corrupt(file, 'offset 0', `IDX header needs 4 bytes, file has ${bytes.length}.`, { offset: 0 });
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw corrupt(file, 'offset 0', `bad IDX magic 0x${hex(bytes[0]!)}${hex(bytes[1]!)} (expected 0x0000); not an IDX file (is it still gzipped?).`, { offset: 0 });
  }
  const dt = DTYPES[bytes[2]!];
  if (!dt) throw corrupt(file, 'offset 2', `unknown IDX dtype code 0x${hex(bytes[2]!)}.`, { offset: 2 });
  const [dtype, width] = dt;
  const ndims = bytes[3]!;
  if (ndims === 0) throw corrupt(file, 'offset 3', 'IDX file declares 0 dimensions.', { offset: 3 });
  if (expect?.dtype && expect.dtype !== dtype) throw corrupt(file, 'offset 2', `dtype ${dtype}, expected ${expect.dtype}.`, { offset: 2 });
  if (expect?.dims !== undefined && expect.dims !== ndims) throw corrupt(file, 'offset 3', `${ndims} dimensions, expected ${expect.dims}.`, { offset: 3 });
  const headerLen = 4 + 4 * ndims;
  if (bytes.length < headerLen) {
    throw corrupt(file, `offset ${bytes.length}`, `truncated IDX header: ${ndims} dimensions need ${headerLen} header bytes, file has ${bytes.length}.`, {
      offset: bytes.length,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    shape.push(n);
    count *= n;
  }
  const expected = headerLen + count * width;
  if (bytes.length < expected) {
    throw corrupt(file, `offset ${bytes.length}`, `truncated IDX data: shape [${shape}] of ${dtype} needs ${expected} bytes, file ends at ${bytes.length}.`, {
      offset: bytes.length,
      expectedBytes: expected,
    });
  }
  if (bytes.length > expected) {
    throw corrupt(file, `offset ${expected}`, `${bytes.length - expected} unexpected trailing bytes after shape [${shape}] of ${dtype}.`, { offset: expected });
  }
  return { data: readValues(bytes, view, headerLen, count, dtype), shape, dtype };
}

function readValues(bytes: Uint8Array, view: DataView, off: number, n: number, dtype: IdxDtype): IdxArray['data'] {
  if (dtype === 'uint8') return bytes.subarray(off, off + n);
  if (dtype === 'int8') return new Int8Array(bytes.buffer, bytes.byteOffset + off, n);
  // Multi-byte values are big-endian: convert explicitly.
  const out =
    dtype === 'int16' ? new Int16Array(n) : dtype === 'int32' ? new Int32Array(n) : dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (dtype === 'int16') out[i] = view.getInt16(off + 2 * i, false);
    else if (dtype === 'int32') out[i] = view.getInt32(off + 4 * i, false);
    else if (dtype === 'float32') out[i] = view.getFloat32(off + 4 * i, false);
    else out[i] = view.getFloat64(off + 8 * i, false);
  }
  return out;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Encode an IDX buffer (used by tests and fixture generators). */
export function encodeIdx(data: Uint8Array, shape: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((n, d) => {
    view.setUint32(4 + 4 * d, n, false);
  });
  out.set(data, 4 + 4 * shape.length);
  return out;
}

/**
 * Weight quantization on save, in the tfjs converter's manifest format (tfjs's own loader
 * dequantizes: uint8 → min + q·scale, float16 → float32), so a quantized model loads wherever tfjs
 * loads models, browser included. Meant for big tables such as word embeddings, where a 4× smaller
 * checkpoint matters more than the last bits of each weight.
 */
import { DlkitError } from '../errors.js';
import { tf } from '../tf.js';

export interface QuantizeOptions {
  /** uint8: affine per tensor (256 levels between its min and max); float16: half precision. */
  dtype: 'uint8' | 'float16';
  /** Which float32 weights to quantize, by manifest name (e.g. `embedding/embeddings`) and size; default: all. */
  weights?: (name: string, size: number) => boolean;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half from float, round-to-nearest-even; tfjs's float16 decoder reads these bits. */
function toHalf(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  e = h >>> 10;
  return sign | h;
}

function quantizeValues(values: Float32Array, dtype: QuantizeOptions['dtype']): { bytes: Uint8Array; quantization: tf.io.WeightsManifestEntry['quantization'] } {
  if (dtype === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = toHalf(values[i]!);
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype: 'float16' } };
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new DlkitError('INVALID_INPUT', 'Cannot quantize a weight holding NaN or infinite values.', { hint: 'Save without quantization and check the training (the loss may have diverged).' });
  }
  const scale = max > min ? (max - min) / 255 : 1;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round((values[i]! - min) / scale);
  return { bytes: out, quantization: { dtype: 'uint8', min, scale } };
}

/** The same artifacts with the chosen float32 weights quantized (others copied as they are). */
export function quantizeArtifacts(artifacts: tf.io.ModelArtifacts, options: QuantizeOptions): tf.io.ModelArtifacts {
  if (options.dtype !== 'uint8' && options.dtype !== 'float16') {
    throw new DlkitError('INVALID_OPTION', `Invalid option quantize.dtype: ${JSON.stringify(options.dtype)}; expected 'uint8' | 'float16'.`);
  }
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : new Uint8Array(0);
  const parts: Uint8Array[] = [];
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  let at = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = spec.quantization ? null : spec.dtype === 'float32' || spec.dtype === 'int32' ? size * 4 : spec.dtype === 'bool' ? size : null;
    if (bytes === null) {
      throw new DlkitError('UNSUPPORTED', `Cannot re-quantize weight ${spec.name} (dtype ${spec.dtype}${spec.quantization ? `, already ${spec.quantization.dtype}` : ''}).`);
    }
    const raw = data.subarray(at, at + bytes);
    at += bytes;
    if (spec.dtype === 'float32' && (options.weights?.(spec.name, size) ?? true)) {
      const { bytes: q, quantization } = quantizeValues(new Float32Array(raw.slice().buffer), options.dtype);
      parts.push(q);
      outSpecs.push({ ...spec, quantization });
    } else {
      parts.push(raw);
      outSpecs.push(spec);
    }
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const joined = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    joined.set(p, o);
    o += p.byteLength;
  }
  return { ...artifacts, weightSpecs: outSpecs, weightData: joined.buffer };
}

/** Wraps a save handler so what it writes is quantized. */
export function quantizingHandler(inner: tf.io.IOHandler, options: QuantizeOptions): tf.io.IOHandler {
  return { save: (artifacts) => inner.save!(quantizeArtifacts(artifacts, options)) };
}

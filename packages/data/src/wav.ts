/**
 * Strict RIFF/WAVE decoder, hand-written (browser-safe, no dependency): PCM 8 (unsigned), 16, 24,
 * 32-bit int, 32/64-bit float, WAVE_FORMAT_EXTENSIBLE; unknown chunks skipped, odd chunk sizes
 * padded. Every structural problem is a CORRUPT_DATA error naming the file and byte offset —
 * libraries we looked at (wavefile) accept truncated data chunks silently.
 */
import { DlkitError } from '@dlkit/core';
import { corrupt } from './errors.js';
import { resample } from './resample.js';

export interface WavInfo {
  format: 'pcm' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  frames: number;
}

export interface DecodedWav extends WavInfo {
  /** Mono mix-down (mean of channels) in [-1, 1], at `sampleRate` (the target rate when resampled). */
  samples: Float32Array;
}

export interface DecodeWavOptions {
  /** Resample to this rate (windowed-sinc, anti-aliased). Default: keep the file's rate. */
  sampleRate?: number;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

function tag(b: Uint8Array, off: number): string {
  return String.fromCharCode(b[off]!, b[off + 1]!, b[off + 2]!, b[off + 3]!);
}

/** Parse the header and locate the data chunk without decoding samples. */
export function readWavHeader(bytes: Uint8Array, file = '<buffer>'): WavInfo & { dataOffset: number; dataBytes: number } {
  const at = (o: number) => `offset ${o}`;
  if (bytes.length < 12) throw corrupt(file, at(bytes.length), `too short for a RIFF/WAVE header (${bytes.length} bytes).`, { offset: bytes.length });
  if (tag(bytes, 0) !== 'RIFF') throw corrupt(file, at(0), `not a WAV file: expected "RIFF", found ${JSON.stringify(tag(bytes, 0))}.`, { offset: 0 });
  if (tag(bytes, 8) !== 'WAVE') throw corrupt(file, at(8), `RIFF form is ${JSON.stringify(tag(bytes, 8))}, expected "WAVE".`, { offset: 8 });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: (WavInfo & { blockAlign: number }) | undefined;
  let off = 12;
  while (off + 8 <= bytes.length) {
    const id = tag(bytes, off);
    const size = view.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) {
        throw corrupt(file, at(off), `fmt chunk of ${size} bytes is ${size < 16 ? 'shorter than 16 bytes' : 'cut off by the end of the file'}.`, { offset: off });
      }
      let code = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bits = view.getUint16(body + 14, true);
      if (code === FORMAT_EXTENSIBLE) {
        if (size < 40) throw corrupt(file, at(off), `WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, needs 40.`, { offset: off });
        code = view.getUint16(body + 24, true); // first two bytes of the SubFormat GUID
      }
      if (code !== FORMAT_PCM && code !== FORMAT_FLOAT) {
        throw new DlkitError('UNSUPPORTED', `${file}: WAV format code ${code} at offset ${body} is not supported (only PCM and IEEE float).`, {
          hint: 'Convert it first, e.g. `sox in.wav -e signed -b 16 out.wav`.',
          details: { file, offset: body, formatCode: code },
        });
      }
      const okBits = code === FORMAT_PCM ? [8, 16, 24, 32] : [32, 64];
      if (channels === 0 || sampleRate === 0 || !okBits.includes(bits) || blockAlign !== (channels * bits) / 8) {
        throw corrupt(
          file,
          at(body),
          `bad fmt chunk: ${channels} channels, ${sampleRate} Hz, ${bits} bits, blockAlign ${blockAlign} (${code === FORMAT_PCM ? 'PCM' : 'float'} needs bits in ${okBits.join('/')} and blockAlign = channels·bits/8).`,
          { offset: body },
        );
      }
      fmt = { format: code === FORMAT_PCM ? 'pcm' : 'float', channels, sampleRate, bitsPerSample: bits, blockAlign, frames: 0 };
    } else if (id === 'data') {
      if (!fmt) throw corrupt(file, at(off), 'data chunk comes before the fmt chunk.', { offset: off });
      if (body + size > bytes.length) {
        throw corrupt(file, at(bytes.length), `truncated data chunk: header at offset ${off} declares ${size} bytes, only ${bytes.length - body} present.`, {
          offset: bytes.length,
          declared: size,
        });
      }
      if (size % fmt.blockAlign !== 0) {
        throw corrupt(file, at(body + size), `data chunk of ${size} bytes is not a whole number of ${fmt.blockAlign}-byte frames.`, { offset: body + size });
      }
      const { blockAlign: _b, ...info } = fmt;
      return { ...info, frames: size / fmt.blockAlign, dataOffset: body, dataBytes: size };
    } else if (body + size > bytes.length) {
      throw corrupt(file, at(off), `chunk ${JSON.stringify(id)} declares ${size} bytes past the end of the file.`, { offset: off });
    }
    off = body + size + (size & 1); // chunks are padded to even sizes
  }
  throw corrupt(file, at(off), fmt ? 'no data chunk found.' : 'no fmt chunk found.', { offset: off });
}

/** Decode a WAV buffer to mono float samples in [-1, 1], optionally resampled. */
export function decodeWav(bytes: Uint8Array, file = '<buffer>', options: DecodeWavOptions = {}): DecodedWav {
  const h = readWavHeader(bytes, file);
  const { channels, frames, bitsPerSample: bits, format } = h;
  const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, h.dataBytes);
  const width = bits / 8;
  const mono = new Float32Array(frames);
  const read = sampleReader(view, format, bits);
  for (let f = 0; f < frames; f++) {
    let acc = 0;
    const base = f * channels * width;
    for (let c = 0; c < channels; c++) acc += read(base + c * width);
    mono[f] = acc / channels;
  }
  const target = options.sampleRate;
  if (target !== undefined && (!Number.isInteger(target) || target <= 0)) {
    throw new DlkitError('INVALID_OPTION', `Invalid option sampleRate: ${target}; expected a positive integer (Hz).`);
  }
  const samples = target ? resample(mono, h.sampleRate, target) : mono;
  return { format, channels, bitsPerSample: bits, frames, sampleRate: target ?? h.sampleRate, samples };
}

function sampleReader(v: DataView, format: 'pcm' | 'float', bits: number): (o: number) => number {
  if (format === 'float') return bits === 32 ? (o) => v.getFloat32(o, true) : (o) => v.getFloat64(o, true);
  switch (bits) {
    case 8:
      return (o) => (v.getUint8(o) - 128) / 128;
    case 16:
      return (o) => v.getInt16(o, true) / 32768;
    case 24:
      return (o) => {
        const x = v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getInt8(o + 2) << 16);
        return x / 8388608;
      };
    default:
      return (o) => v.getInt32(o, true) / 2147483648;
  }
}

/** Encode mono/multichannel PCM/float WAV (tests and fixtures). `channels` interleaved in `samples`. */
export function encodeWav(samples: Float32Array, sampleRate: number, options: { bits?: 8 | 16 | 24 | 32 | 64; float?: boolean; channels?: number; extensible?: boolean } = {}): Uint8Array {
  const bits = options.bits ?? 16;
  const channels = options.channels ?? 1;
  const float = options.float ?? false;
  const width = bits / 8;
  const fmtSize = options.extensible ? 40 : 16;
  const dataBytes = samples.length * width;
  const buf = new Uint8Array(12 + 8 + fmtSize + 8 + dataBytes);
  const v = new DataView(buf.buffer);
  const w = (o: number, s: string) => {
    for (let i = 0; i < 4; i++) buf[o + i] = s.charCodeAt(i);
  };
  w(0, 'RIFF');
  v.setUint32(4, buf.length - 8, true);
  w(8, 'WAVE');
  w(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  const code = float ? FORMAT_FLOAT : FORMAT_PCM;
  v.setUint16(20, options.extensible ? FORMAT_EXTENSIBLE : code, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * width, true);
  v.setUint16(32, channels * width, true);
  v.setUint16(34, bits, true);
  if (options.extensible) {
    v.setUint16(36, 22, true);
    v.setUint16(38, bits, true);
    v.setUint32(40, 0, true);
    v.setUint16(44, code, true);
  }
  const d = 20 + fmtSize;
  w(d, 'data');
  v.setUint32(d + 4, dataBytes, true);
  const o = d + 8;
  samples.forEach((s, i) => {
    const x = Math.max(-1, Math.min(1, s));
    const p = o + i * width;
    if (float) bits === 32 ? v.setFloat32(p, x, true) : v.setFloat64(p, x, true);
    else if (bits === 8) v.setUint8(p, Math.round(x * 127) + 128);
    else if (bits === 16) v.setInt16(p, Math.round(x * 32767), true);
    else if (bits === 24) {
      const q = Math.round(x * 8388607);
      v.setUint8(p, q & 0xff);
      v.setUint8(p + 1, (q >> 8) & 0xff);
      v.setInt8(p + 2, q >> 16);
    } else v.setInt32(p, Math.round(x * 2147483647), true);
  });
  return buf;
}

/**
 * Band-limited resampling by windowed sinc (Blackman window, 16 zero crossings each side).
 * When downsampling the sinc's cutoff moves to the output Nyquist, so the same kernel is the
 * anti-alias low-pass. Quality is far above linear interpolation; cost is ~32·max(1, in/out)
 * multiply-adds per output sample, fine for speech-length clips.
 */
const ZEROS = 16;

export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const ratio = toRate / fromRate;
  const outLen = Math.max(0, Math.round(input.length * ratio));
  const out = new Float32Array(outLen);
  const cutoff = Math.min(1, ratio); // relative to the input Nyquist
  const half = ZEROS / cutoff; // kernel half-width in input samples
  const step = 1 / ratio;
  for (let i = 0; i < outLen; i++) {
    const t = i * step;
    const lo = Math.max(0, Math.ceil(t - half));
    const hi = Math.min(input.length - 1, Math.floor(t + half));
    let acc = 0;
    let wsum = 0;
    for (let k = lo; k <= hi; k++) {
      const d = t - k;
      const x = d * cutoff;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = 0.42 + 0.5 * Math.cos((Math.PI * d) / half) + 0.08 * Math.cos((2 * Math.PI * d) / half);
      const c = sinc * w;
      acc += input[k]! * c;
      wsum += c;
    }
    // Normalising by the kernel sum keeps DC gain exactly 1 (also near the edges).
    out[i] = wsum !== 0 ? acc / wsum : 0;
  }
  return out;
}

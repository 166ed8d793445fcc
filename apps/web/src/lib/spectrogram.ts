/** Draws a [T, C] feature matrix (log-mel) as a heat map: time left → right, low frequencies at the bottom. */
const STOPS: [number, number, number][] = [
  [13, 8, 135],
  [126, 3, 168],
  [204, 71, 120],
  [248, 149, 64],
  [240, 249, 33],
]; // plasma

function color(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export function drawSpectrogram(canvas: HTMLCanvasElement, data: Float32Array, [frames, bins]: [number, number]): void {
  canvas.width = frames;
  canvas.height = bins;
  // Scale to the clip's own range, clipping the quietest 60 dB (in natural-log units) to black.
  let max = -Infinity;
  for (const v of data) max = Math.max(max, v);
  const min = max - Math.log(1e6);
  const img = new ImageData(frames, bins);
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < bins; c++) {
      const [r, g, b] = color((data[t * bins + c]! - min) / (max - min));
      const p = ((bins - 1 - c) * frames + t) * 4;
      img.data[p] = r;
      img.data[p + 1] = g;
      img.data[p + 2] = b;
      img.data[p + 3] = 255;
    }
  }
  canvas.getContext('2d')!.putImageData(img, 0, 0);
}

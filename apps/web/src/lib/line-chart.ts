/** A small canvas line chart (series share the axes); redrawn whole on each update, fine for a few thousand points. */
export interface Series {
  label: string;
  color: string;
  values: number[];
}

export function drawLineChart(canvas: HTMLCanvasElement, series: Series[], o: { yMin?: number; yMax?: number; xLabel?: string } = {}): void {
  const g = canvas.getContext('2d')!;
  const { width: w, height: hgt } = canvas;
  // The top margin holds the legend, clear of the plot.
  const pad = { l: 44, r: 10, t: 24, b: 26 };
  g.clearRect(0, 0, w, hgt);
  const all = series.flatMap((s) => s.values);
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const yMin = o.yMin ?? Math.min(0, ...all);
  const yMax = o.yMax ?? Math.max(1, ...all);
  const x = (i: number) => pad.l + (i / (n - 1)) * (w - pad.l - pad.r);
  const y = (v: number) => hgt - pad.b - ((v - yMin) / (yMax - yMin || 1)) * (hgt - pad.t - pad.b);
  g.strokeStyle = '#9994';
  g.fillStyle = '#888';
  g.font = '11px system-ui, sans-serif';
  g.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const v = yMin + ((yMax - yMin) * k) / 4;
    g.beginPath();
    g.moveTo(pad.l, y(v));
    g.lineTo(w - pad.r, y(v));
    g.stroke();
    g.fillText(String(Math.round(v)), 4, y(v) + 4);
  }
  if (o.xLabel) g.fillText(o.xLabel, w / 2 - 20, hgt - 6);
  for (const s of series) {
    if (s.values.length < 1) continue;
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.beginPath();
    s.values.forEach((v, i) => {
      if (i) g.lineTo(x(i), y(v));
      else g.moveTo(x(i), y(v));
    });
    g.stroke();
  }
  let lx = pad.l + 6;
  for (const s of series) {
    g.fillStyle = s.color;
    g.fillRect(lx, 5, 10, 10);
    g.fillStyle = '#666';
    g.fillText(s.label, lx + 14, 14);
    lx += g.measureText(s.label).width + 34;
  }
}

/**
 * A small, dependency-free SVG line chart: axes with "nice" ticks, optional log-x, grid,
 * legend and labels. Enough for training curves and LR-finder plots, readable as an image
 * (writePlot renders it to PNG through sharp) and in a browser.
 */
import { DlkitError } from '@dlkit/core';

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  /** Draw markers only (e.g. suggestion points). */
  points?: boolean;
}

export interface LineChartSpec {
  title?: string;
  series: Series[];
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Ticks at 1, 2, 5 × 10^k covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}

export function lineChartSvg(spec: LineChartSpec): string {
  if (!spec.series || spec.series.length === 0) throw new DlkitError('INVALID_INPUT', 'lineChartSvg: `series` is empty; pass at least one { name, x, y }.');
  const W = spec.width ?? 720;
  const H = spec.height ?? 440;
  const m = { left: 72, right: 160, top: spec.title ? 44 : 20, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const tx = (v: number) => (spec.logX ? Math.log10(v) : v);
  let xlo = Number.POSITIVE_INFINITY;
  let xhi = Number.NEGATIVE_INFINITY;
  let ylo = Number.POSITIVE_INFINITY;
  let yhi = Number.NEGATIVE_INFINITY;
  for (const s of spec.series) {
    if (s.x.length !== s.y.length) throw new DlkitError('SHAPE_MISMATCH', `lineChartSvg: series "${s.name}" has ${s.x.length} x and ${s.y.length} y values.`);
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y) || (spec.logX && x <= 0)) continue;
      xlo = Math.min(xlo, tx(x));
      xhi = Math.max(xhi, tx(x));
      ylo = Math.min(ylo, y);
      yhi = Math.max(yhi, y);
    }
  }
  if (!Number.isFinite(xlo)) throw new DlkitError('INVALID_INPUT', 'lineChartSvg: no finite points to plot.');
  if (xhi === xlo) [xlo, xhi] = [xlo - 0.5, xhi + 0.5];
  if (yhi === ylo) [ylo, yhi] = [ylo - 0.5, yhi + 0.5];
  const pad = (yhi - ylo) * 0.05;
  ylo -= pad;
  yhi += pad;
  const X = (v: number) => m.left + ((tx(v) - xlo) / (xhi - xlo)) * pw;
  const Y = (v: number) => m.top + (1 - (v - ylo) / (yhi - ylo)) * ph;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  if (spec.title) parts.push(`<text x="${m.left + pw / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${esc(spec.title)}</text>`);
  // Grid and ticks.
  const yt = niceTicks(ylo, yhi);
  for (const v of yt) {
    const y = Y(v).toFixed(1);
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fmtTick(v))}</text>`);
  }
  const xt = spec.logX
    ? Array.from({ length: Math.floor(xhi) - Math.ceil(xlo) + 1 }, (_, i) => 10 ** (Math.ceil(xlo) + i))
    : niceTicks(xlo, xhi);
  for (const v of xt) {
    const x = X(v).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + ph}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x}" y="${m.top + ph + 18}" text-anchor="middle">${esc(spec.logX ? `1e${Math.round(Math.log10(v))}` : fmtTick(v))}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  if (spec.xLabel) parts.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle" font-size="13">${esc(spec.xLabel)}</text>`);
  if (spec.yLabel) {
    parts.push(`<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(spec.yLabel)}</text>`);
  }
  // Series and legend.
  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts: string[] = [];
    for (let j = 0; j < s.x.length; j++) {
      const x = s.x[j]!;
      const y = s.y[j]!;
      if (!Number.isFinite(x) || !Number.isFinite(y) || (spec.logX && x <= 0)) continue;
      pts.push(`${X(x).toFixed(2)},${Y(y).toFixed(2)}`);
    }
    if (s.points || pts.length === 1) {
      for (const p of pts) {
        const [cx, cy] = p.split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="4" fill="${color}"/>`);
      }
    } else {
      parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    const ly = m.top + 10 + i * 20;
    const lx = m.left + pw + 14;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

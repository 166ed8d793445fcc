/**
 * A drawing canvas (pointer + keyboard-free clear) and MNIST-style framing of what was drawn:
 * crop to the ink, scale the longer side to 20 px, centre by mass in 28×28 — the way MNIST
 * digits were made, so a digit drawn anywhere on the pad looks like the training data.
 */
import { h } from './dom.js';

export interface DrawPad {
  canvas: HTMLCanvasElement;
  clear(): void;
  /** 28×28 white-on-black canvas of the drawing, or undefined when the pad is empty. */
  framed(): HTMLCanvasElement | undefined;
}

export function drawPad(size: number, onChange: (final: boolean) => void, label: string): DrawPad {
  const canvas = h('canvas', { width: size, height: size, class: 'pad', 'aria-label': label, role: 'img', 'data-testid': 'pad' });
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    g.fillStyle = '#000';
    g.fillRect(0, 0, size, size);
  };
  clear();
  g.lineCap = 'round';
  g.lineJoin = 'round';
  g.strokeStyle = '#fff';
  g.lineWidth = size / 13;
  let last: [number, number] | undefined;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * size, ((e.clientY - r.top) / r.height) * size];
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    g.beginPath();
    g.arc(last[0], last[1], g.lineWidth / 2, 0, Math.PI * 2);
    g.fillStyle = '#fff';
    g.fill();
    onChange(false);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    g.beginPath();
    g.moveTo(last[0], last[1]);
    g.lineTo(p[0], p[1]);
    g.stroke();
    last = p;
    onChange(false);
  });
  const end = () => {
    if (!last) return;
    last = undefined;
    onChange(true);
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return { canvas, clear, framed: () => frame(g, size) };
}

function frame(g: CanvasRenderingContext2D, size: number): HTMLCanvasElement | undefined {
  const { data } = g.getImageData(0, 0, size, size);
  let x0 = size;
  let y0 = size;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (data[(y * size + x) * 4]! > 32) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return undefined;
  const w = x1 - x0 + 1;
  const hgt = y1 - y0 + 1;
  const scale = 20 / Math.max(w, hgt);
  const box = document.createElement('canvas');
  box.width = box.height = 28;
  const b = box.getContext('2d', { willReadFrequently: true })!;
  b.fillStyle = '#000';
  b.fillRect(0, 0, 28, 28);
  b.imageSmoothingQuality = 'high';
  b.drawImage(g.canvas, x0, y0, w, hgt, 14 - (w * scale) / 2, 14 - (hgt * scale) / 2, w * scale, hgt * scale);
  // Shift so the centre of mass sits at the centre, as in MNIST.
  const px = b.getImageData(0, 0, 28, 28).data;
  let m = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < 28 * 28; i++) {
    const v = px[i * 4]!;
    m += v;
    cx += v * (i % 28);
    cy += v * Math.floor(i / 28);
  }
  const out = document.createElement('canvas');
  out.width = out.height = 28;
  const o = out.getContext('2d', { willReadFrequently: true })!;
  o.fillStyle = '#000';
  o.fillRect(0, 0, 28, 28);
  o.drawImage(box, Math.round(13.5 - cx / m), Math.round(13.5 - cy / m));
  return out;
}

/** Drawing RL environments on a canvas: CartPole from its state (crisper than its 150×100 rgb render), anything else from its rgb frame. */
import type { Env } from '@dlkit/rl';

export function drawCartPole(g: CanvasRenderingContext2D, obs: ArrayLike<number>): void {
  const { width: w, height: hgt } = g.canvas;
  const x = obs[0]!;
  const theta = obs[2]!;
  const scale = w / (2 * 2.4 + 0.6); // track ±2.4 plus a margin
  const cx = w / 2 + x * scale;
  const cy = hgt * 0.72;
  g.fillStyle = getComputedStyle(g.canvas).getPropertyValue('--canvas-bg') || '#fff';
  g.fillRect(0, 0, w, hgt);
  g.strokeStyle = '#888';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(0, cy + 16);
  g.lineTo(w, cy + 16);
  g.stroke();
  // Track limits: the episode ends past them.
  g.fillStyle = '#d33';
  for (const lim of [-2.4, 2.4]) g.fillRect(w / 2 + lim * scale - 1, cy + 8, 3, 16);
  g.fillStyle = '#334';
  g.fillRect(cx - 30, cy - 10, 60, 26);
  const pole = 2 * 0.5 * scale;
  g.strokeStyle = '#c98a4b';
  g.lineWidth = 8;
  g.lineCap = 'round';
  g.beginPath();
  g.moveTo(cx, cy - 6);
  g.lineTo(cx + Math.sin(theta) * pole, cy - 6 - Math.cos(theta) * pole);
  g.stroke();
  g.fillStyle = '#8186cb';
  g.beginPath();
  g.arc(cx, cy - 6, 5, 0, Math.PI * 2);
  g.fill();
}

export function drawFrame(g: CanvasRenderingContext2D, env: Env): void {
  const f = env.render('rgb');
  const img = new ImageData(f.width, f.height);
  for (let i = 0; i < f.width * f.height; i++) {
    img.data[i * 4] = f.data[i * 3]!;
    img.data[i * 4 + 1] = f.data[i * 3 + 1]!;
    img.data[i * 4 + 2] = f.data[i * 3 + 2]!;
    img.data[i * 4 + 3] = 255;
  }
  const tmp = new OffscreenCanvas(f.width, f.height);
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  g.imageSmoothingEnabled = false;
  g.clearRect(0, 0, g.canvas.width, g.canvas.height);
  const s = Math.min(g.canvas.width / f.width, g.canvas.height / f.height);
  g.drawImage(tmp, (g.canvas.width - f.width * s) / 2, (g.canvas.height - f.height * s) / 2, f.width * s, f.height * s);
}

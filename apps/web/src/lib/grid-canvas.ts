/** Puts a generative Grid (gray or RGB bytes) onto a canvas at its natural size; CSS scales it (pixelated). */
import type { Grid } from '@dlkit/generative';

export function paintGrid(canvas: HTMLCanvasElement, grid: Grid): void {
  canvas.width = grid.width;
  canvas.height = grid.height;
  const img = new ImageData(grid.width, grid.height);
  for (let i = 0; i < grid.width * grid.height; i++) {
    const c = grid.channels;
    img.data[i * 4] = grid.data[i * c]!;
    img.data[i * 4 + 1] = grid.data[i * c + (c > 1 ? 1 : 0)]!;
    img.data[i * 4 + 2] = grid.data[i * c + (c > 1 ? 2 : 0)]!;
    img.data[i * 4 + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(img, 0, 0);
}

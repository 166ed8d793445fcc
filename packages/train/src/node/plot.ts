import { extname } from 'node:path';
import { DlkitError } from '@dlkit/core';
import { atomicWriteFile as writeAtomic } from '@dlkit/core/node';
import { type LineChartSpec, lineChartSvg } from '../plot/svg.js';

/** Write an SVG string or chart spec to `.svg`, or render it to `.png` with sharp. */
export async function writePlot(path: string, svgOrSpec: string | LineChartSpec, options: { /** Render DPI; 72 keeps one SVG unit per pixel. */ density?: number } = {}): Promise<void> {
  const svg = typeof svgOrSpec === 'string' ? svgOrSpec : lineChartSvg(svgOrSpec);
  const ext = extname(path).toLowerCase();
  if (ext === '.svg') return writeAtomic(path, svg);
  if (ext !== '.png') {
    throw new DlkitError('INVALID_OPTION', `writePlot: unsupported extension "${ext}" in ${path}; use .svg or .png.`, { details: { file: path } });
  }
  const { default: sharp } = await import('sharp');
  const png = await sharp(Buffer.from(svg), { density: options.density ?? 72 }).png().toBuffer();
  await writeAtomic(path, png);
}

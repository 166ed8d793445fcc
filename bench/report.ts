/**
 * Regenerates the results section of BENCHMARKS.md between markers, keeping the prose around it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult } from './run.js';

const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';

export function renderTable(r: BenchResult): string {
  const unit = r.clock === 'cpu' ? 'samples per CPU-second' : 'samples/s';
  const lines = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cpu} × ${r.machine.cores} cores, Node ${r.node}, tfjs ${r.tfjs}` +
      (r.torchVersion ? `, PyTorch ${r.torchVersion} (Debian python3-torch)` : ', PyTorch not installed') +
      `. Command: \`${r.command}\`.` +
      (r.clock === 'cpu' ? ' Rates are per second of process CPU time (one thread), not wall time.' : ''),
    '',
    `| workload | backend | threads | dlkit ${unit} | PyTorch ${unit} (same threads) | ratio |`,
    '|---|---|---|---:|---:|---:|',
  ];
  for (const row of r.rows) {
    lines.push(
      `| ${row.name} | ${row.backend} | ${row.threads} | ${row.ours.toFixed(1)} | ${row.pytorch?.toFixed(1) ?? '—'} | ${row.ratio?.toFixed(2) ?? '—'} |`,
    );
  }
  const refs = Object.entries(r.pytorch);
  if (refs.length) {
    lines.push('', 'PyTorch reference, every thread count measured:', '');
    for (const [name, list] of refs) {
      lines.push(`- ${name}: ${list.map((x) => `${x.threads} thread${x.threads > 1 ? 's' : ''} ${x.samplesPerSec.toFixed(1)}`).join(', ')} ${unit}`);
    }
  }
  if (r.machine.webgpuAdapter) lines.push('', `WebGPU adapter: \`${JSON.stringify(r.machine.webgpuAdapter)}\``);
  return lines.join('\n');
}

export function writeBenchmarksMd(path: string, r: BenchResult): void {
  const table = `${BEGIN}\n${renderTable(r)}\n${END}`;
  let text = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  if (!text.includes(BEGIN)) text += `\n${BEGIN}\n${END}\n`;
  text = text.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), table);
  writeFileSync(path, text);
}

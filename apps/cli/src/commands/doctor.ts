import { doctor } from '@dlkit/core/node';
import type { Command } from 'commander';
import type { Output } from '../output.js';

export function registerDoctor(program: Command, out: (cmd: Command) => Output): void {
  program
    .command('doctor')
    .description('show backends (available / selected / why), WebGPU adapter, CUDA and data locations')
    .option('--json', 'print the report as one JSON line')
    .action(async (_opts, cmd: Command) => {
      const o = out(cmd);
      const r = await doctor();
      o.log(`dlkit doctor — Node ${r.node} on ${r.platform}, ${r.cpu.model} × ${r.cpu.cores}, ${r.memoryGiB} GiB, tfjs ${r.tfjs}`);
      o.log(`backend: ${r.backend.selected} (${r.backend.reason})`);
      for (const b of r.backend.backends) {
        o.log(`  ${b.selected ? '*' : ' '} ${b.name.padEnd(10)} ${b.available ? 'available  ' : 'unavailable'}  ${b.reason}`);
      }
      o.log(`kernel fixes: ${r.backend.kernelFixes.join('; ') || 'none'}`);
      const c = r.cuda;
      o.log(`cuda: driver ${c.nvidiaDriver ?? 'none'}, gpus ${c.gpus.join(', ') || 'none'}, runtime ${c.cudaRuntime ?? 'none'}, tfjs-node-gpu ${c.tfjsNodeGpu ? 'yes' : 'no'}${c.hint ? `\n  ${c.hint}` : ''}`);
      o.log(`data dir: ${r.env.dataDir ?? '(unset)'}  model dir: ${r.env.modelDir ?? '(unset)'}  cache: ${r.env.cacheDir}  offline: ${r.env.offline}`);
      o.result(r as unknown as Record<string, unknown>);
    });
}

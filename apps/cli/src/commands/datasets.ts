import type { DatasetInfo } from '@dlkit/data/node';
import { datasetInfo, listDatasets, loadDataset, prepareDataset } from '@dlkit/data/node';
import type { Command } from 'commander';
import type { Output } from '../output.js';

function describeSplits(info: DatasetInfo): string[] {
  return Object.entries(info.splits).map(([split, s]) => {
    const classes = s.classCounts ? Object.entries(s.classCounts) : [];
    const perClass = classes.length === 0 ? '' : `, ${classes.length} classes (${summariseCounts(classes.map(([, n]) => n))} each)`;
    const check = s.expected === undefined ? '' : s.ok ? ' ✓' : ` ✗ expected ${s.expected}`;
    return `  ${split.padEnd(10)} ${String(s.examples ?? "?").padStart(7)} examples${perClass}${check}`;
  });
}

/** "6000" when all classes are equal, else "min–max". */
function summariseCounts(counts: number[]): string {
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

function printInfo(o: Output, info: DatasetInfo): void {
  o.log(`${info.name} — ${info.title} (${info.task})`);
  for (const line of describeSplits(info)) o.log(line);
  if (info.stats) o.log(`  stats: ${JSON.stringify(info.stats)}`);
  for (const f of info.files) o.log(`  file ${f.path}: ${f.source}${f.bytes === undefined ? '' : ` (${f.bytes} bytes)`}`);
  o.log(`  licence: ${info.license}`);
  for (const p of info.problems) o.log(`  problem: ${p}`);
}

/** Decodes every example of every split: catches a corrupt JPEG/WAV that counting from names cannot. */
async function verifyAll(name: string, info: DatasetInfo, o: Output): Promise<Record<string, number>> {
  const decoded: Record<string, number> = {};
  for (const split of Object.keys(info.splits)) {
    const ds = await loadDataset(name, { split });
    let n = 0;
    for await (const _ of ds) n++;
    decoded[split] = n;
    o.log(`  decoded ${split}: ${n} examples`);
  }
  return decoded;
}

/** `info`/`prepare` found problems (wrong counts, missing files): report them and exit 1. */
function failOnProblems(info: DatasetInfo): void {
  if (info.ok) return;
  process.stderr.write(`error: dataset ${info.name} does not match its manifest: ${info.problems.join('; ')}\n`);
  process.exitCode = 1;
}

export function registerDatasets(program: Command, out: (cmd: Command) => Output): void {
  const ds = program.command('datasets').description('list, inspect and download the registry datasets');
  ds.command('list')
    .description('list the registry datasets')
    .option('--json', 'print the result as one JSON line')
    .action((_opts, cmd: Command) => {
      const o = out(cmd);
      const all = listDatasets();
      for (const m of all) o.log(`${m.name.padEnd(24)} ${m.task.padEnd(26)} ${m.title}`);
      o.result({ datasets: all.map((m) => ({ name: m.name, title: m.title, task: m.task, license: m.license })) });
    });
  ds.command('info')
    .description('resolve the files of a dataset and count its examples per split and class')
    .argument('<name>', 'dataset name (see `dlkit datasets list`)')
    .option('--no-count', 'only resolve files; do not decode and count examples')
    .option('--verify', 'also decode every example (every image / WAV / text), not only the labels')
    .option('--json', 'print the result as one JSON line')
    .action(async (name: string, opts: { count: boolean; verify?: boolean }, cmd: Command) => {
      const o = out(cmd);
      const info = await datasetInfo(name, { count: opts.count });
      printInfo(o, info);
      const decoded = opts.verify ? await verifyAll(name, info, o) : undefined;
      o.result({ ...info, ...(decoded ? { decoded } : {}) } as unknown as Record<string, unknown>);
      failOnProblems(info);
    });
  ds.command('prepare')
    .description('find or download every file of a dataset (DLKIT_DATA_DIR, then the cache, then the upstream URL) and verify it')
    .argument('<name>', 'dataset name (see `dlkit datasets list`)')
    .option('--json', 'print the result as one JSON line')
    .action(async (name: string, _opts, cmd: Command) => {
      const o = out(cmd);
      const info = await prepareDataset(name, { progress: true });
      printInfo(o, info);
      o.result(info as unknown as Record<string, unknown>);
      failOnProblems(info);
    });
}

import { Dataset } from '../../dataset.js';
import { corrupt } from '../../errors.js';
import type { TextExample } from '../../examples.js';
import { parseCsv } from '../csv.js';
import { TEXT_EXTS, textArchive, textFolder } from '../labeled.js';
import { readFileBytes } from '../read.js';
import { tarEntries } from '../tar.js';
import type { CountResult, Loader, LoaderContext } from './types.js';

const utf8 = new TextDecoder('utf-8');

function parseLabel(raw: string, file: string, line: number, k: number): number {
  const v = Number(raw.trim());
  if (!Number.isInteger(v) || v < 0 || v >= k || raw.trim() === '') throw corrupt(file, `line ${line}`, `label ${JSON.stringify(raw)} is not a class index in [0, ${k}).`, { line });
  return v;
}

function count(ctx: LoaderContext, examples: TextExample[]) {
  return { examples: examples.length, classCounts: ctx.classCounts(examples.map((e) => e.label)) };
}

async function splitsOf(ctx: LoaderContext, read: (split: string) => Promise<TextExample[]>): Promise<CountResult> {
  const splits: CountResult['splits'] = {};
  for (const split of Object.keys(ctx.manifest.splits)) splits[split] = count(ctx, await read(split));
  return { splits };
}

// SST-2: TSV with header `label<TAB>sentence` (column names, not positions, are used).
async function readSst(ctx: LoaderContext, split: string): Promise<TextExample[]> {
  const { path } = ctx.file(ctx.manifest.files.find((f) => f.split === split)!.path);
  const rows = parseCsv(utf8.decode(await readFileBytes(path)), path, { delimiter: '\t', quote: false }) as Record<string, string>[];
  const textCol = rows.length && 'sentence' in rows[0]! ? 'sentence' : 'content';
  if (rows.length && !('label' in rows[0]!) ) throw corrupt(path, 'line 1', `header must name a "label" column, got ${Object.keys(rows[0]!).join(', ')}.`);
  if (rows.length && !(textCol in rows[0]!)) throw corrupt(path, 'line 1', `header must name a "sentence" column, got ${Object.keys(rows[0]!).join(', ')}.`);
  return rows.map((r, i) => ({ text: r[textCol]!, label: parseLabel(r.label!, path, i + 2, 2) }));
}

export const tsvLabelTextLoader: Loader = {
  count: (ctx) => splitsOf(ctx, (s) => readSst(ctx, s)),
  load: async (ctx, split) => Dataset.from(await readSst(ctx, split)),
};

// UCI sentiment sentences: `sentence<TAB>label` per line, three files.
async function readTabLabel(ctx: LoaderContext): Promise<TextExample[]> {
  const out: TextExample[] = [];
  for (const f of ctx.manifest.files) {
    const { path } = ctx.file(f.path);
    const lines = utf8.decode(await readFileBytes(path)).split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const tab = line.lastIndexOf('\t');
      if (tab < 0) throw corrupt(path, `line ${i + 1}`, 'expected `sentence<TAB>label`, found no tab.', { line: i + 1 });
      out.push({ text: line.slice(0, tab).trim(), label: parseLabel(line.slice(tab + 1), path, i + 1, 2) });
    });
  }
  return out;
}

export const textTabLabelLoader: Loader = {
  count: (ctx) => splitsOf(ctx, () => readTabLabel(ctx)),
  load: async (ctx) => Dataset.from(await readTabLabel(ctx)),
};

// MR rt-polarity.all: `label sentence` per line.
async function readLabelSpace(ctx: LoaderContext): Promise<TextExample[]> {
  const { path } = ctx.file(ctx.manifest.files[0]!.path);
  const out: TextExample[] = [];
  utf8
    .decode(await readFileBytes(path))
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const sp = line.indexOf(' ');
      if (sp < 0) throw corrupt(path, `line ${i + 1}`, 'expected `label sentence`, found no space.', { line: i + 1 });
      out.push({ text: line.slice(sp + 1).trim(), label: parseLabel(line.slice(0, sp), path, i + 1, 2) });
    });
  return out;
}

export const labelSpaceTextLoader: Loader = {
  count: (ctx) => splitsOf(ctx, () => readLabelSpace(ctx)),
  load: async (ctx) => Dataset.from(await readLabelSpace(ctx)),
};

// IMDB: aclImdb/<split folder>/<neg|pos>/<id>_<rating>.txt, in a .tar.gz or an extracted aclImdb/ folder.
function splitFolder(ctx: LoaderContext, split: string): string {
  return (ctx.manifest.splits[split]?.folder as string | undefined) ?? split;
}

export const textTarLoader: Loader = {
  async count(ctx) {
    const m = ctx.manifest;
    const classes = m.classes!;
    const folderRoot = ctx.files[0]!.source === 'missing' ? ctx.folder(m.files[0]!.prefix ?? '') : undefined;
    const splits: CountResult['splits'] = {};
    if (folderRoot) {
      for (const split of Object.keys(m.splits)) {
        const ds = await textFolder(`${folderRoot}/${splitFolder(ctx, split)}`, { classes });
        splits[split] = { examples: ds.size!, classCounts: ds.classCounts };
      }
      return { splits };
    }
    // One pass over the archive, names only.
    const { path, prefix = '' } = ctx.file(m.files[0]!.path);
    const bySplit = new Map(Object.keys(m.splits).map((s) => [`${prefix}${splitFolder(ctx, s)}/`, s]));
    for (const s of Object.keys(m.splits)) splits[s] = { examples: 0, classCounts: Object.fromEntries(classes.map((c) => [c, 0])) };
    for await (const e of tarEntries(path, { wantData: () => false })) {
      if (e.type !== 'file') continue;
      for (const [pre, s] of bySplit) {
        if (!e.name.startsWith(pre)) continue;
        const parts = e.name.slice(pre.length).split('/');
        if (parts.length !== 2 || !TEXT_EXTS.some((x) => parts[1]!.endsWith(x)) || !classes.includes(parts[0]!)) continue;
        splits[s]!.examples++;
        splits[s]!.classCounts![parts[0]!]!++;
      }
    }
    return { splits };
  },
  async load(ctx, split) {
    const m = ctx.manifest;
    const folderRoot = ctx.files[0]!.source === 'missing' ? ctx.folder(m.files[0]!.prefix ?? '') : undefined;
    if (folderRoot) return textFolder(`${folderRoot}/${splitFolder(ctx, split)}`, { classes: m.classes });
    const { path, prefix = '' } = ctx.file(m.files[0]!.path);
    return textArchive(path, { prefix: `${prefix}${splitFolder(ctx, split)}/`, classes: m.classes });
  },
};

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Dataset } from '../../dataset.js';
import { corrupt } from '../../errors.js';
import { groupByClass } from '../classes.js';
import { audioFolder, decodeAudioFile, WAV_EXTS } from '../labeled.js';
import type { CountResult, Loader, LoaderContext } from './types.js';

// FSDD: recordings/{digit}_{speaker}_{index}.wav; index 0-4 = test.
interface FsddFile {
  file: string;
  digit: number;
  speaker: string;
  index: number;
}

async function listFsdd(ctx: LoaderContext): Promise<FsddFile[]> {
  const dir = ctx.file('recordings').path;
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.wav')).sort();
  return names.map((n) => {
    const m = /^(\d)_([A-Za-z0-9-]+)_(\d+)\.wav$/i.exec(n);
    if (!m) throw corrupt(join(dir, n), '', 'file name does not match {digit}_{speaker}_{index}.wav.');
    return { file: join(dir, n), digit: Number(m[1]), speaker: m[2]!, index: Number(m[3]) };
  });
}

const fsddSplit = (f: FsddFile) => (f.index <= 4 ? 'test' : 'train');

export const fsddLoader: Loader = {
  async count(ctx) {
    const splits: CountResult['splits'] = {};
    for (const split of Object.keys(ctx.manifest.splits)) {
      const files = (await listFsdd(ctx)).filter((f) => fsddSplit(f) === split);
      splits[split] = { examples: files.length, classCounts: ctx.classCounts(files.map((f) => f.digit)) };
    }
    return { splits };
  },
  async load(ctx, split, options) {
    const files = (await listFsdd(ctx)).filter((f) => fsddSplit(f) === split);
    return Dataset.from(files).map((f) => decodeAudioFile(f.file, f.digit, { sampleRate: options.sampleRate, speaker: f.speaker }));
  },
};

// Speech commands: one folder per class (the manifest's files), first maxPerClass by file name.
async function listClassDirs(ctx: LoaderContext): Promise<{ rel: string; item: string }[]> {
  const out: { rel: string; item: string }[] = [];
  for (const cls of ctx.manifest.classes!) {
    const dir = ctx.file(cls).path;
    for (const n of await readdir(dir)) if (WAV_EXTS.some((x) => n.toLowerCase().endsWith(x))) out.push({ rel: `${cls}/${n}`, item: join(dir, n) });
  }
  return out;
}

export const wavClassFoldersLoader: Loader = {
  async count(ctx) {
    const m = ctx.manifest;
    const g = groupByClass(await listClassDirs(ctx), m.name, { classes: m.classes, maxPerClass: m.maxPerClass });
    return { splits: { [Object.keys(m.splits)[0]!]: { examples: g.items.length, classCounts: g.classCounts } } };
  },
  async load(ctx, _split, options) {
    const m = ctx.manifest;
    const g = groupByClass(await listClassDirs(ctx), m.name, { classes: m.classes, maxPerClass: m.maxPerClass });
    return Dataset.from(g.items).map(({ item, label }) => decodeAudioFile(item, label, { sampleRate: options.sampleRate }));
  },
};

export { audioFolder };

/**
 * The dataset registry: info (with real, decoded counts checked against the manifest), loading by
 * name and split, and preparation (download + checksum verification).
 */
import { createHash } from 'node:crypto';
import { createProgress, DlkitError } from '@dlkit/core';
import type { Dataset } from '../dataset.js';
import type { Example } from '../examples.js';
import { type DatasetManifest, getManifest } from '../manifest.js';
import { sha256File } from './core-io.js';
import { loaderFor } from './loaders/index.js';
import { type LoadedDataset, LoaderContext, type LoadOptions } from './loaders/types.js';
import { maybeGunzip, readFileBytes } from './read.js';
import { type FileSource, locateFile, type ResolvedFile, resolveFile } from './resolve.js';

export interface SplitInfo {
  /** Counted examples (absent when count: false or the files are missing). */
  examples?: number;
  classCounts?: Record<string, number>;
  /** What the manifest says. */
  expected?: number;
  ok: boolean;
}

export interface DatasetInfo {
  name: string;
  title: string;
  task: DatasetManifest['task'];
  license: string;
  citation: string;
  homepage: string;
  classes?: string[];
  splits: Record<string, SplitInfo>;
  files: { path: string; source: FileSource; bytes?: number }[];
  stats?: Record<string, number>;
  /** Everything checked matched the manifest. */
  ok: boolean;
  /** Human-readable mismatches and missing files. */
  problems: string[];
}

function baseInfo(m: DatasetManifest, files: ResolvedFile[]): DatasetInfo {
  return {
    name: m.name,
    title: m.title,
    task: m.task,
    license: m.license,
    citation: m.citation,
    homepage: m.homepage,
    ...(m.classes ? { classes: m.classes } : {}),
    splits: {},
    files: files.map((f) => ({ path: f.entry.path, source: f.source, ...(f.bytes !== undefined ? { bytes: f.bytes } : {}) })),
    ok: true,
    problems: [],
  };
}

/**
 * Describe a dataset: where each file is (no download), and with `count` (default true) the real
 * per-split and per-class counts from decoding the data, each checked against the manifest.
 */
export async function datasetInfo(name: string, options: { count?: boolean } = {}): Promise<DatasetInfo> {
  const m = getManifest(name);
  return infoFor(m, m.files.map((f) => locateFile(m, f)), options.count ?? true);
}

async function infoFor(m: DatasetManifest, files: ResolvedFile[], count: boolean): Promise<DatasetInfo> {
  const info = baseInfo(m, files);
  const loader = loaderFor(m.loader, m.name);
  const missing = files.filter((f) => f.source === 'missing');
  // Archives may be replaced by an extracted folder: let the loader decide whether it can count.
  let counted: Awaited<ReturnType<typeof loader.count>> | undefined;
  if (count) {
    try {
      counted = await loader.count(new LoaderContext(m, files));
    } catch (e) {
      if (!(e instanceof DlkitError) || e.code !== 'NOT_FOUND') throw e;
      info.problems.push(e.message);
    }
  } else {
    for (const f of missing) info.problems.push(`missing file ${f.entry.path}`);
  }
  for (const [split, exp] of Object.entries(m.splits)) {
    const got = counted?.splits[split];
    const s: SplitInfo = { expected: exp.examples, ok: !count || got !== undefined };
    if (!count && missing.length) s.ok = false;
    if (got) {
      s.examples = got.examples;
      if (got.classCounts) s.classCounts = got.classCounts;
      if (got.examples !== exp.examples) {
        s.ok = false;
        info.problems.push(`split ${split}: counted ${got.examples} examples, manifest says ${exp.examples}`);
      }
      for (const [cls, n] of Object.entries(exp.classCounts ?? {})) {
        const g = got.classCounts?.[cls] ?? 0;
        if (g !== n) {
          s.ok = false;
          info.problems.push(`split ${split}: class ${cls} has ${g} examples, manifest says ${n}`);
        }
      }
    }
    info.splits[split] = s;
  }
  if (counted?.stats) {
    info.stats = counted.stats;
    for (const [k, v] of Object.entries(m.stats ?? {})) {
      if (counted.stats[k] !== v) info.problems.push(`stats.${k}: counted ${counted.stats[k]}, manifest says ${v}`);
    }
  }
  info.ok = info.problems.length === 0 && Object.values(info.splits).every((s) => s.ok);
  return info;
}

/** Load one split as a Dataset of examples, with the dataset's metadata attached. */
export async function loadDataset<E = Example>(name: string, options: LoadOptions = {}): Promise<LoadedDataset<E>> {
  const m = getManifest(name);
  const split = options.split ?? Object.keys(m.splits)[0]!;
  if (!m.splits[split]) {
    throw new DlkitError('INVALID_OPTION', `Dataset ${name} has no split ${JSON.stringify(split)}; it has ${Object.keys(m.splits).join(', ')}.`, {
      details: { option: 'split', value: split, allowed: Object.keys(m.splits) },
    });
  }
  const files: ResolvedFile[] = [];
  for (const f of m.files) {
    const found = locateFile(m, f);
    // Fetch what this split needs, except archives an extracted folder can stand in for (loader checks).
    const needed = f.split === undefined || f.split === split;
    files.push(found.source === 'missing' && needed && !f.prefix ? await resolveFile(m, f) : found);
  }
  const ds = (await loaderFor(m.loader, m.name).load(new LoaderContext(m, files), split, options)) as Dataset<E> & { idMaps?: unknown };
  const inputShape =
    m.task === 'image-classification'
      ? options.size
        ? [options.size[0], options.size[1], options.channels ?? m.inputShape?.[2] ?? 3]
        : m.inputShape
      : undefined;
  return Object.assign(ds, {
    name: m.name,
    splitName: split,
    task: m.task,
    ...(m.classes ? { classes: m.classes } : {}),
    ...(inputShape ? { inputShape } : {}),
    ...(m.sampleRate ? { sampleRate: options.sampleRate ?? m.sampleRate } : {}),
  }) as LoadedDataset<E>;
}

/**
 * Make a dataset ready: locate or download every file, verify sha256 (and the decompressed
 * content hash of .gz files), then count and check it like datasetInfo.
 */
export async function prepareDataset(name: string, options: { progress?: boolean } = {}): Promise<DatasetInfo> {
  const m = getManifest(name);
  const progress = createProgress({ label: `prepare ${name}`, total: m.files.length, mode: options.progress === false ? 'none' : 'auto' });
  const files: ResolvedFile[] = [];
  for (const f of m.files) {
    const r = await resolveFile(m, f, { progress: options.progress, verify: true });
    if (r.path && f.sha256 && r.prefix === f.prefix && f.type !== 'directory') {
      const got = await sha256File(r.path);
      if (got !== f.sha256) {
        throw new DlkitError('CHECKSUM_MISMATCH', `${r.path} has sha256 ${got}, manifest says ${f.sha256}.`, {
          hint: 'Delete the file and prepare again, or replace it with an intact copy.',
          details: { file: r.path, expected: f.sha256, actual: got },
        });
      }
    }
    if (r.path && f.contentSha256) {
      const content = await maybeGunzip(await readFileBytes(r.path), r.path);
      const got = createHash('sha256').update(content).digest('hex');
      if (got !== f.contentSha256) {
        throw new DlkitError('CHECKSUM_MISMATCH', `Decompressed content of ${r.path} has sha256 ${got}, manifest says ${f.contentSha256}.`, {
          hint: 'Delete the file and prepare again.',
          details: { file: r.path, expected: f.contentSha256, actual: got },
        });
      }
    }
    files.push(r);
    progress.tick();
  }
  progress.done();
  return infoFor(m, files, true);
}

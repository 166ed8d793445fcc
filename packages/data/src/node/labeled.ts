/**
 * Labelled datasets from `<root>/<class>/<file>` folders and from .tar/.tar.gz archives with the
 * same layout (`prefix` selects the root inside the archive). Raw bytes/paths are kept and decoded
 * per example in map(), so listing is cheap and memory holds compressed data only.
 */
import { basename, join } from 'node:path';
import { Dataset } from '../dataset.js';
import type { AudioExample, ImageExample, TextExample } from '../examples.js';
import { type DecodeWavOptions, decodeWav } from '../wav.js';
import { type GroupOptions, groupByClass } from './classes.js';
import { type DecodeImageOptions, decodeImage } from './image.js';
import { readFileBytes } from './read.js';
import { tarEntries } from './tar.js';
import { listClassFiles } from './walk.js';

export type Labeled<E> = Dataset<E> & { classes: string[]; classCounts: Record<string, number> };

export const IMAGE_EXTS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.tif', '.tiff', '.avif'];
export const TEXT_EXTS = ['.txt'];
export const WAV_EXTS = ['.wav'];

export interface ArchiveOptions extends GroupOptions {
  /** Folder inside the archive that holds the class folders, e.g. "train/". Default: the archive root. */
  prefix?: string;
}

function labeled<E>(ds: Dataset<E>, classes: string[], classCounts: Record<string, number>): Labeled<E> {
  return Object.assign(ds, { classes, classCounts });
}

/** Names (and optionally bytes) of `<prefix><class>/<file>` entries of an archive. */
export async function scanArchive(file: string, exts: string[], prefix = '', withData = true): Promise<{ rel: string; item: Uint8Array | undefined }[]> {
  const pre = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
  const match = (name: string) => {
    if (!name.startsWith(pre)) return undefined;
    const rel = name.slice(pre.length);
    const parts = rel.split('/');
    return parts.length === 2 && parts[0] && exts.some((x) => parts[1]!.toLowerCase().endsWith(x)) ? rel : undefined;
  };
  const out: { rel: string; item: Uint8Array | undefined }[] = [];
  for await (const e of tarEntries(file, { wantData: (n) => withData && match(n) !== undefined })) {
    if (e.type !== 'file') continue;
    const rel = match(e.name);
    if (rel) out.push({ rel, item: e.data });
  }
  return out;
}

// ---- images ------------------------------------------------------------------------------------

export async function imageFolder(root: string, options: GroupOptions & DecodeImageOptions = {}): Promise<Labeled<ImageExample>> {
  const files = await listClassFiles(root, IMAGE_EXTS);
  const g = groupByClass(
    files.map((rel) => ({ rel, item: join(root, rel) })),
    root,
    options,
  );
  const ds = Dataset.from(g.items).map(async ({ item, label }): Promise<ImageExample> => {
    const { data, shape } = await decodeImage(item, options);
    return { image: data, shape, label };
  });
  return labeled(ds, g.classes, g.classCounts);
}

export async function imageArchive(file: string, options: ArchiveOptions & DecodeImageOptions = {}): Promise<Labeled<ImageExample>> {
  const g = groupByClass(await scanArchive(file, IMAGE_EXTS, options.prefix), file, options);
  const ds = Dataset.from(g.items).map(async ({ item, label, name }): Promise<ImageExample> => {
    const { data, shape } = await decodeImage(item!, { ...options, name: `${file}:${options.prefix ?? ''}${name}` });
    return { image: data, shape, label };
  });
  return labeled(ds, g.classes, g.classCounts);
}

// ---- text --------------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8');

export async function textFolder(root: string, options: GroupOptions = {}): Promise<Labeled<TextExample>> {
  const files = await listClassFiles(root, TEXT_EXTS);
  const g = groupByClass(
    files.map((rel) => ({ rel, item: join(root, rel) })),
    root,
    options,
  );
  const ds = Dataset.from(g.items).map(async ({ item, label }): Promise<TextExample> => ({ text: utf8.decode(await readFileBytes(item)), label }));
  return labeled(ds, g.classes, g.classCounts);
}

export async function textArchive(file: string, options: ArchiveOptions = {}): Promise<Labeled<TextExample>> {
  const g = groupByClass(await scanArchive(file, TEXT_EXTS, options.prefix), file, options);
  // Texts are small: decode once up front and keep strings, not bytes.
  const examples = g.items.map(({ item, label }): TextExample => ({ text: utf8.decode(item!), label }));
  return labeled(Dataset.from(examples), g.classes, g.classCounts);
}

// ---- audio -------------------------------------------------------------------------------------

export async function audioFolder(root: string, options: GroupOptions & DecodeWavOptions = {}): Promise<Labeled<AudioExample>> {
  const files = await listClassFiles(root, WAV_EXTS);
  const g = groupByClass(
    files.map((rel) => ({ rel, item: join(root, rel) })),
    root,
    options,
  );
  const ds = Dataset.from(g.items).map(async ({ item, label }) => decodeAudioFile(item, label, options));
  return labeled(ds, g.classes, g.classCounts);
}

export async function decodeAudioFile(path: string, label: number, options: DecodeWavOptions & { speaker?: string } = {}): Promise<AudioExample> {
  const w = decodeWav(await readFileBytes(path), path, options);
  const ex: AudioExample = { samples: w.samples, sampleRate: w.sampleRate, label, file: basename(path) };
  if (options.speaker !== undefined) ex.speaker = options.speaker;
  return ex;
}

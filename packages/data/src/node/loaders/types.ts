import { DlkitError } from '@dlkit/core';
import type { Dataset } from '../../dataset.js';
import type { RatingIdMaps } from '../../examples.js';
import type { DatasetManifest, DatasetTask } from '../../manifest.js';
import type { DecodeImageOptions } from '../image.js';
import { locateFile, type ResolvedFile, requirePath } from '../resolve.js';

export interface LoadOptions {
  /** Split name from the manifest (e.g. 'train', 'test', 'validation', 'all'). Default: the first split. */
  split?: string;
  /** Images: output [height, width] (default: native size). */
  size?: DecodeImageOptions['size'];
  fit?: DecodeImageOptions['fit'];
  /** Images: 1, 3 or 4 (default: the dataset's native channel count). */
  channels?: DecodeImageOptions['channels'];
  normalize?: DecodeImageOptions['normalize'];
  /** Audio: resample to this rate (default: native). */
  sampleRate?: number;
}

/** Metadata attached to a dataset returned by loadDataset. */
export interface LoadedMeta {
  name: string;
  /** The split loaded (`split` itself is Dataset's split() method). */
  splitName: string;
  task: DatasetTask;
  classes?: string[];
  /** Per-example input shape (images: [h, w, c]). */
  inputShape?: number[];
  sampleRate?: number;
  /** Ratings: dense index ↔ original ids. */
  idMaps?: RatingIdMaps;
}

export type LoadedDataset<E> = Dataset<E> & LoadedMeta;

export interface SplitCount {
  examples: number;
  classCounts?: Record<string, number>;
}

export interface CountResult {
  splits: Record<string, SplitCount>;
  stats?: Record<string, number>;
}

/** What a loader sees: the manifest and where its files are. */
export class LoaderContext {
  constructor(
    readonly manifest: DatasetManifest,
    readonly files: ResolvedFile[],
  ) {}

  /** The resolved file entry by path or role (throws NOT_FOUND with a how-to when missing). */
  file(pathOrRole: string, split?: string): { path: string; prefix?: string } {
    const r = this.files.find((f) => (f.entry.path === pathOrRole || f.entry.role === pathOrRole) && (split === undefined || f.entry.split === split));
    if (!r) throw new DlkitError('STATE', `Manifest ${this.manifest.name} has no file ${pathOrRole}${split ? ` for split ${split}` : ''}.`);
    return { path: requirePath(this.manifest, r), prefix: r.prefix };
  }

  /** An alternative extracted folder inside the dataset folder (e.g. cifar-10/train), if present. */
  folder(rel: string): string | undefined {
    return locateFile(this.manifest, { path: rel, type: 'directory', urls: [] }).path;
  }

  classCounts(labels: ArrayLike<number>): Record<string, number> {
    const classes = this.manifest.classes ?? [];
    const counts: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
    for (let i = 0; i < labels.length; i++) {
      const c = classes[labels[i]!] ?? String(labels[i]);
      counts[c] = (counts[c] ?? 0) + 1;
    }
    return counts;
  }
}

export interface Loader {
  count(ctx: LoaderContext): Promise<CountResult>;
  /** Ratings loaders attach `idMaps` to the dataset they return. */
  load(ctx: LoaderContext, split: string, options: LoadOptions): Promise<Dataset<unknown>>;
}

/**
 * Dataset manifests. The JSON files in the repository's root `datasets/` folder are the source of
 * truth; they are imported as JSON modules so this works in Node, vitest and bundlers alike.
 */
import { DlkitError } from '@dlkit/core';
import cifar10 from '../../../datasets/cifar10.json' with { type: 'json' };
import fashionMnist from '../../../datasets/fashion-mnist.json' with { type: 'json' };
import fsdd from '../../../datasets/fsdd.json' with { type: 'json' };
import imdb from '../../../datasets/imdb.json' with { type: 'json' };
import mnist from '../../../datasets/mnist.json' with { type: 'json' };
import movielens100k from '../../../datasets/movielens-100k.json' with { type: 'json' };
import movielensLatestSmall from '../../../datasets/movielens-latest-small.json' with { type: 'json' };
import mr from '../../../datasets/mr.json' with { type: 'json' };
import sentimentSentences from '../../../datasets/sentiment-sentences.json' with { type: 'json' };
import speechCommands from '../../../datasets/speech-commands.json' with { type: 'json' };
import sst2 from '../../../datasets/sst2.json' with { type: 'json' };

export type DatasetTask = 'image-classification' | 'text-classification' | 'audio-classification' | 'recommendation';

export interface ManifestFile {
  /** Path relative to the dataset folder (`<dataDir>/<folder ?? name>/<path>`). */
  path: string;
  /** Download URLs, tried in order. */
  urls: string[];
  /** sha256 of the file as served by every URL (only for byte-identical copies). */
  sha256?: string;
  size?: number;
  /** sha256 of the decompressed bytes of a .gz file: holds for any recompressed copy. */
  contentSha256?: string;
  /** sha256/size of the local repack (informational; downloads differ). */
  localSha256?: string;
  localSize?: number;
  /** 'directory' entries are folders; a download fetches `archive` and extracts `archive.prefix`. */
  type?: 'file' | 'directory';
  archive?: { format: 'tar.gz' | 'tar'; prefix: string };
  split?: string;
  role?: string;
  /** Archive files: their format and the folder prefix inside them. */
  format?: 'tar' | 'tar.gz';
  prefix?: string;
  count?: number;
}

export interface ManifestSplit {
  examples: number;
  classCounts?: Record<string, number>;
  [extra: string]: unknown;
}

export interface DatasetManifest {
  name: string;
  title: string;
  task: DatasetTask;
  description: string;
  homepage: string;
  license: string;
  citation: string;
  /** Loader/format id (see node/loaders). */
  loader: string;
  /** Folder under the data dir when it differs from `name` (e.g. cifar10 → cifar-10). */
  folder?: string;
  classes?: string[];
  inputShape?: number[];
  sampleRate?: number;
  /** Keep only the first N examples per class (by file name). */
  maxPerClass?: number;
  splits: Record<string, ManifestSplit>;
  stats?: Record<string, number>;
  files: ManifestFile[];
  notes?: string;
}

const MANIFESTS: DatasetManifest[] = [
  fashionMnist,
  mnist,
  cifar10,
  sst2,
  imdb,
  sentimentSentences,
  mr,
  fsdd,
  speechCommands,
  movielens100k,
  movielensLatestSmall,
] as DatasetManifest[];

/** Every registered dataset manifest. */
export function listDatasets(): DatasetManifest[] {
  return MANIFESTS.map((m) => structuredClone(m));
}

/** The manifest of `name`; NOT_FOUND lists the known names. */
export function getManifest(name: string): DatasetManifest {
  const m = MANIFESTS.find((x) => x.name === name);
  if (!m) {
    throw new DlkitError('NOT_FOUND', `Unknown dataset ${JSON.stringify(name)}. Known datasets: ${MANIFESTS.map((x) => x.name).join(', ')}.`, {
      details: { name, known: MANIFESTS.map((x) => x.name) },
    });
  }
  return m;
}

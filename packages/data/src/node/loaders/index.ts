import { DlkitError } from '@dlkit/core';
import { fsddLoader, wavClassFoldersLoader } from './audio.js';
import { idxLoader, imageTarLoader, mnistLoader } from './images.js';
import { movielens100kLoader, movielensCsvLoader } from './ratings.js';
import { labelSpaceTextLoader, textTabLabelLoader, textTarLoader, tsvLabelTextLoader } from './text.js';
import type { Loader } from './types.js';

/** Manifest `loader` id → implementation. */
const LOADERS: Record<string, Loader> = {
  idx: idxLoader,
  mnist: mnistLoader,
  'image-tar': imageTarLoader,
  'tsv-label-text': tsvLabelTextLoader,
  'text-tar': textTarLoader,
  'text-tab-label': textTabLabelLoader,
  'label-space-text': labelSpaceTextLoader,
  fsdd: fsddLoader,
  'wav-class-folders': wavClassFoldersLoader,
  'movielens-100k': movielens100kLoader,
  'movielens-csv': movielensCsvLoader,
};

export function loaderFor(id: string, dataset: string): Loader {
  const l = LOADERS[id];
  if (!l) throw new DlkitError('UNSUPPORTED', `Dataset ${dataset} uses loader ${JSON.stringify(id)}, which this version does not have (known: ${Object.keys(LOADERS).join(', ')}).`);
  return l;
}

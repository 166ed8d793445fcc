/** Example shapes produced by dlkit's dataset loaders; task packages consume these. */

/** One image: HWC float pixels in [0, 1] and an integer class label. */
export interface ImageExample {
  image: Float32Array;
  shape: [number, number, number];
  label: number;
}

/** One text with an integer class label (e.g. 0 = negative, 1 = positive). */
export interface TextExample {
  text: string;
  label: number;
}

/** One mono clip, samples in [-1, 1]. */
export interface AudioExample {
  samples: Float32Array;
  sampleRate: number;
  label: number;
  speaker?: string;
  file?: string;
}

/** One rating; `user` and `item` are dense 0-based indices (see RatingIdMaps for the original ids). */
export interface RatingExample {
  user: number;
  item: number;
  rating: number;
  timestamp?: number;
}

/** Dense index ↔ original id, so models can use embeddings of size users/items. */
export interface RatingIdMaps {
  /** userIds[user] = original user id. */
  userIds: number[];
  /** itemIds[item] = original item id. */
  itemIds: number[];
  /** Item titles by dense index, when the dataset has them. */
  itemTitles?: string[];
  /** Genre vocabulary and, by dense item index, the indices of each item's genres (MovieLens). */
  genres?: string[];
  itemGenres?: number[][];
  /** Release year by dense item index (0 when unknown), parsed from the title or release date. */
  itemYears?: number[];
  /** User demographics by dense user index (ml-100k u.user). */
  userInfo?: { age: number; gender: string; occupation: string }[];
}

export type Example = ImageExample | TextExample | AudioExample | RatingExample;

/** Bytes → [0,1] floats; loaders keep raw Uint8 pixels and convert one example at a time. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! / 255;
  return out;
}

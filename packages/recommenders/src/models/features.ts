/**
 * Side features as dense rows for the two-tower model: users → age bucket, gender, occupation
 * (one-hot); items → genres (multi-hot) and release decade (one-hot). The vocabularies are part
 * of the model config so a loaded model encodes a new (cold-start) user or item the same way.
 */
import type { SideInfo, UserInfo } from '../interactions.js';

export const AGE_BUCKETS = [18, 25, 35, 45, 50, 56]; // MovieLens-1M's age groups: <18, 18–24, ..., 56+
export const DECADES = [1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010]; // <1940, 1940s, ..., 2010+; plus 'unknown'

export interface FeatureVocab {
  occupations: string[];
  genders: string[];
  genres: number;
  hasUsers: boolean;
  hasItems: boolean;
}

export function featureVocab(side: SideInfo): FeatureVocab {
  const users = side.userInfo ?? [];
  return {
    occupations: [...new Set(users.map((u) => u.occupation))].sort(),
    genders: [...new Set(users.map((u) => u.gender))].sort(),
    genres: side.genres?.length ?? 0,
    hasUsers: users.length > 0,
    hasItems: Boolean(side.itemGenres || side.itemYears),
  };
}

export function userFeatureSize(v: FeatureVocab): number {
  return v.hasUsers ? AGE_BUCKETS.length + 1 + v.genders.length + v.occupations.length : 0;
}

export function itemFeatureSize(v: FeatureVocab): number {
  return v.hasItems ? v.genres + DECADES.length + 2 : 0;
}

function bucket(x: number, edges: number[]): number {
  let b = 0;
  while (b < edges.length && x >= edges[b]!) b++;
  return b;
}

/** One user's feature row (unknown gender/occupation leave their block empty). */
export function encodeUser(u: UserInfo, v: FeatureVocab, out = new Float32Array(userFeatureSize(v)), offset = 0): Float32Array {
  if (!v.hasUsers) return out;
  out[offset + bucket(u.age, AGE_BUCKETS)] = 1;
  const g = v.genders.indexOf(u.gender);
  if (g >= 0) out[offset + AGE_BUCKETS.length + 1 + g] = 1;
  const o = v.occupations.indexOf(u.occupation);
  if (o >= 0) out[offset + AGE_BUCKETS.length + 1 + v.genders.length + o] = 1;
  return out;
}

export function encodeItem(genres: number[], year: number, v: FeatureVocab, out = new Float32Array(itemFeatureSize(v)), offset = 0): Float32Array {
  if (!v.hasItems) return out;
  for (const g of genres) if (g < v.genres) out[offset + g] = 1 / Math.sqrt(genres.length);
  out[offset + v.genres + (year > 0 ? bucket(year, DECADES) : DECADES.length + 1)] = 1;
  return out;
}

/** [numUsers × F] and [numItems × F] matrices, row-major. */
export function featureMatrices(side: SideInfo, numUsers: number, numItems: number, v: FeatureVocab): { users: Float32Array; items: Float32Array } {
  const fu = userFeatureSize(v);
  const fi = itemFeatureSize(v);
  const users = new Float32Array(numUsers * fu);
  const items = new Float32Array(numItems * fi);
  if (fu) for (let u = 0; u < numUsers; u++) if (side.userInfo?.[u]) encodeUser(side.userInfo[u]!, v, users, u * fu);
  if (fi) for (let i = 0; i < numItems; i++) encodeItem(side.itemGenres?.[i] ?? [], side.itemYears?.[i] ?? 0, v, items, i * fi);
  return { users, items };
}

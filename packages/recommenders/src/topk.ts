/** Indices of the k largest scores, best first, skipping `exclude`; O(n log k) with a small sorted buffer. */
export function topK(scores: ArrayLike<number>, k: number, exclude?: Set<number>): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (exclude?.has(i)) continue;
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    if (idx.length === k && s <= val[k - 1]!) continue;
    let j = idx.length === k ? k - 1 : idx.length;
    while (j > 0 && val[j - 1]! < s) {
      if (j < k) {
        val[j] = val[j - 1]!;
        idx[j] = idx[j - 1]!;
      }
      j--;
    }
    val[j] = s;
    idx[j] = i;
    if (idx.length > k) {
      idx.length = k;
      val.length = k;
    }
  }
  return idx;
}

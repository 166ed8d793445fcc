/**
 * Word and character error rates: Levenshtein distance (substitutions + deletions + insertions)
 * summed over the corpus, divided by the total reference length — the jiwer/NIST convention
 * (a corpus rate, not a mean of per-utterance rates).
 */
export function editDistance<T>(ref: readonly T[], hyp: readonly T[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[hyp.length]!;
}

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean);

export interface ErrorRates {
  /** Word error rate over the corpus. */
  wer: number;
  /** Character error rate over the corpus (spaces between words count as characters). */
  cer: number;
  /** Fraction of utterances transcribed exactly. */
  sentenceAccuracy: number;
  n: number;
  /** Reference words and characters (the denominators). */
  words: number;
  chars: number;
}

export function errorRates(refs: readonly string[], hyps: readonly string[]): ErrorRates {
  if (refs.length !== hyps.length) throw new RangeError(`errorRates: ${refs.length} references but ${hyps.length} hypotheses.`);
  let we = 0;
  let nw = 0;
  let ce = 0;
  let nc = 0;
  let exact = 0;
  refs.forEach((r, i) => {
    const rw = words(r);
    const hw = words(hyps[i]!);
    we += editDistance(rw, hw);
    nw += rw.length;
    const rc = [...rw.join(' ')];
    ce += editDistance(rc, [...hw.join(' ')]);
    nc += rc.length;
    if (rw.join(' ') === hw.join(' ')) exact++;
  });
  return { wer: nw ? we / nw : 0, cer: nc ? ce / nc : 0, sentenceAccuracy: refs.length ? exact / refs.length : 0, n: refs.length, words: nw, chars: nc };
}

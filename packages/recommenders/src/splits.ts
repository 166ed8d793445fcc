/**
 * Seeded splits of Interactions: random k-fold, per-user hold-out, leave-last-out by timestamp.
 * Each returns index arrays into the interactions, so train/test share id maps and side info.
 */
import { checkInt, checkNumber, DlkitError, Rng } from '@dlkit/core';
import type { Interactions } from './interactions.js';

export interface Split {
  train: Interactions;
  test: Interactions;
  /** 'kfold-3/5', 'holdout-0.2', 'leave-last-out'. */
  name: string;
}

/** Random k-fold cross-validation (Surprise's KFold): each interaction is in exactly one test fold. */
export function kFold(data: Interactions, folds = 5, seed = 0): Split[] {
  checkInt('folds', folds, 2, data.size);
  const perm = new Rng(seed).permutation(data.size);
  return Array.from({ length: folds }, (_, f) => {
    const test: number[] = [];
    const train: number[] = [];
    perm.forEach((p, j) => {
      (j % folds === f ? test : train).push(p);
    });
    return { train: data.subset(train), test: data.subset(test), name: `kfold-${f + 1}/${folds}` };
  });
}

function positionsByUser(data: Interactions): number[][] {
  const out: number[][] = Array.from({ length: data.numUsers }, () => []);
  for (let j = 0; j < data.size; j++) out[data.users[j]!]!.push(j);
  return out;
}

/** Per user, a random `fraction` of their interactions goes to test (users with one interaction keep it in train). */
export function holdoutPerUser(data: Interactions, fraction = 0.2, seed = 0): Split {
  checkNumber('fraction', fraction, 0, 1);
  if (fraction <= 0 || fraction >= 1) throw new DlkitError('INVALID_OPTION', `fraction must be in (0, 1); got ${fraction}.`, { details: { option: 'fraction', value: fraction } });
  const rng = new Rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const pos of positionsByUser(data)) {
    rng.shuffle(pos);
    const nTest = pos.length < 2 ? 0 : Math.max(1, Math.round(pos.length * fraction));
    pos.forEach((p, j) => {
      (j < nTest ? test : train).push(p);
    });
  }
  return { train: data.subset(train), test: data.subset(test), name: `holdout-${fraction}` };
}

/**
 * Each user's latest interaction (by timestamp; ties broken by position) is the test set: the
 * standard implicit-feedback protocol (NCF, SASRec). Users with one interaction stay in train.
 */
export function leaveLastOut(data: Interactions): Split {
  const train: number[] = [];
  const test: number[] = [];
  for (const pos of positionsByUser(data)) {
    if (pos.length < 2) {
      train.push(...pos);
      continue;
    }
    let last = pos[0]!;
    for (const p of pos) if (data.timestamps[p]! >= data.timestamps[last]!) last = p;
    for (const p of pos) (p === last ? test : train).push(p);
  }
  return { train: data.subset(train), test: data.subset(test), name: 'leave-last-out' };
}

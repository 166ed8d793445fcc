import type { tf } from '@dlkit/core';
import { checkInt, checkOneOf, DlkitError } from '@dlkit/core';
import { type ClassInput, checkSameLength, toIndices, toMatrix } from './inputs.js';

/** Fraction of samples whose predicted class (index or argmax of scores) equals the true class. */
export function accuracy(yTrue: ClassInput, yPred: ClassInput): number {
  const t = toIndices(yTrue, 'yTrue');
  const p = toIndices(yPred, 'yPred');
  checkSameLength(t, p, 'accuracy');
  let ok = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) ok++;
  return ok / t.length;
}

/** Fraction of samples whose true class is among the k highest scores (ties: lower index first). */
export function topKAccuracy(yTrue: ClassInput, scores: ArrayLike<ArrayLike<number>> | tf.Tensor, k = 5): number {
  checkInt('k', k, 1);
  const t = toIndices(yTrue, 'yTrue');
  const s = toMatrix(scores, 'scores');
  checkSameLength(t, s, 'topKAccuracy');
  let ok = 0;
  for (let i = 0; i < t.length; i++) {
    const row = s[i]!;
    const target = row[t[i]!];
    if (target === undefined) throw new DlkitError('INVALID_INPUT', `topKAccuracy: class ${t[i]} is out of range for ${row.length} scores (sample ${i}).`);
    let above = 0;
    for (let j = 0; j < row.length; j++) if (row[j]! > target || (row[j] === target && j < t[i]!)) above++;
    if (above < k) ok++;
  }
  return ok / t.length;
}

export interface ConfusionOptions {
  numClasses?: number;
}

/** `m[true][pred]` counts. numClasses defaults to 1 + the largest class seen. */
export function confusionMatrix(yTrue: ClassInput, yPred: ClassInput, options: ConfusionOptions = {}): number[][] {
  const t = toIndices(yTrue, 'yTrue');
  const p = toIndices(yPred, 'yPred');
  checkSameLength(t, p, 'confusionMatrix');
  const n = options.numClasses ?? Math.max(...t, ...p) + 1;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < t.length; i++) {
    const a = t[i]!;
    const b = p[i]!;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n) {
      throw new DlkitError('INVALID_INPUT', `confusionMatrix: sample ${i} has classes (${a}, ${b}) outside 0..${n - 1}.`, {
        hint: 'Pass numClasses or integer class indices.',
      });
    }
    m[a]![b]!++;
  }
  return m;
}

export type Average = 'macro' | 'micro' | 'weighted' | 'none';

export interface PerClassScores {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
}

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
  perClass: PerClassScores;
}

export interface PrecisionRecallOptions {
  average?: Average;
  numClasses?: number;
  /** Value used where a ratio is 0/0 (sklearn's zero_division, default 0). */
  zeroDivision?: number;
}

function ratio(a: number, b: number, z: number): number {
  return b === 0 ? z : a / b;
}

function perClassFrom(m: number[][], z: number): PerClassScores {
  const n = m.length;
  const out: PerClassScores = { precision: [], recall: [], f1: [], support: [] };
  for (let c = 0; c < n; c++) {
    const tp = m[c]![c]!;
    let predicted = 0;
    let actual = 0;
    for (let k = 0; k < n; k++) {
      predicted += m[k]![c]!;
      actual += m[c]![k]!;
    }
    const p = ratio(tp, predicted, z);
    const r = ratio(tp, actual, z);
    out.precision.push(p);
    out.recall.push(r);
    out.f1.push(p + r === 0 ? z : (2 * p * r) / (p + r));
    out.support.push(actual);
  }
  return out;
}

/** Precision, recall and F1 (sklearn precision_recall_fscore_support semantics). */
export function precisionRecallF1(yTrue: ClassInput, yPred: ClassInput, options: PrecisionRecallOptions & { average: 'none' }): PerClassScores;
export function precisionRecallF1(yTrue: ClassInput, yPred: ClassInput, options?: PrecisionRecallOptions): AveragedScores;
export function precisionRecallF1(yTrue: ClassInput, yPred: ClassInput, options: PrecisionRecallOptions = {}): AveragedScores | PerClassScores {
  const average = checkOneOf('average', options.average ?? 'macro', ['macro', 'micro', 'weighted', 'none'] as const);
  const z = options.zeroDivision ?? 0;
  const m = confusionMatrix(yTrue, yPred, { numClasses: options.numClasses });
  const per = perClassFrom(m, z);
  if (average === 'none') return per;
  const total = per.support.reduce((a, b) => a + b, 0);
  const n = m.length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / n;
  const weighted = (xs: number[]) => xs.reduce((a, x, i) => a + x * per.support[i]!, 0) / (total || 1);
  if (average === 'micro') {
    let tp = 0;
    for (let c = 0; c < n; c++) tp += m[c]![c]!;
    // Single-label: every error is one FP and one FN, so micro P = R = F1 = accuracy.
    const v = ratio(tp, total, z);
    return { precision: v, recall: v, f1: v, support: total, perClass: per };
  }
  const agg = average === 'macro' ? mean : weighted;
  return { precision: agg(per.precision), recall: agg(per.recall), f1: agg(per.f1), support: total, perClass: per };
}

export interface ReportRow {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  perClass: Record<string, ReportRow>;
  accuracy: number;
  macroAvg: ReportRow;
  weightedAvg: ReportRow;
  confusion: number[][];
  /** sklearn-style text table. */
  text: string;
}

/** What a task package's classifier `evaluate()` returns: the report plus loss, size and labels. */
export interface ClassifierEvaluation extends Pick<ClassificationReport, 'perClass' | 'accuracy' | 'confusion' | 'text'> {
  loss: number;
  n: number;
  labels: string[];
  macroF1: number;
}

/** One entry of a top-k prediction. */
export interface LabelScore {
  label: string;
  score: number;
  index: number;
}

export interface ClassificationReportOptions {
  labels?: string[];
  numClasses?: number;
  digits?: number;
}

/** sklearn classification_report as an object (plus its text table). */
export function classificationReport(yTrue: ClassInput, yPred: ClassInput, options: ClassificationReportOptions = {}): ClassificationReport {
  const numClasses = options.numClasses ?? options.labels?.length;
  const confusion = confusionMatrix(yTrue, yPred, { numClasses });
  const labels = options.labels ?? confusion.map((_, i) => String(i));
  if (labels.length !== confusion.length) {
    throw new DlkitError('INVALID_OPTION', `classificationReport: ${labels.length} labels given for ${confusion.length} classes.`, {
      details: { option: 'labels' },
    });
  }
  const macro = precisionRecallF1(yTrue, yPred, { average: 'macro', numClasses: confusion.length });
  const weighted = precisionRecallF1(yTrue, yPred, { average: 'weighted', numClasses: confusion.length });
  const perClass: Record<string, ReportRow> = {};
  labels.forEach((l, i) => {
    perClass[l] = { precision: macro.perClass.precision[i]!, recall: macro.perClass.recall[i]!, f1: macro.perClass.f1[i]!, support: macro.perClass.support[i]! };
  });
  const acc = accuracy(yTrue, yPred);
  const row = (r: AveragedScores): ReportRow => ({ precision: r.precision, recall: r.recall, f1: r.f1, support: r.support });
  const d = options.digits ?? 2;
  const w = Math.max(12, ...labels.map((l) => l.length));
  const fmt = (name: string, r: ReportRow) =>
    `${name.padStart(w)} ${r.precision.toFixed(d).padStart(9)} ${r.recall.toFixed(d).padStart(9)} ${r.f1.toFixed(d).padStart(9)} ${String(r.support).padStart(9)}`;
  const lines = [
    `${''.padStart(w)} ${'precision'.padStart(9)} ${'recall'.padStart(9)} ${'f1-score'.padStart(9)} ${'support'.padStart(9)}`,
    '',
    ...labels.map((l) => fmt(l, perClass[l]!)),
    '',
    `${'accuracy'.padStart(w)} ${''.padStart(9)} ${''.padStart(9)} ${acc.toFixed(d).padStart(9)} ${String(macro.support).padStart(9)}`,
    fmt('macro avg', row(macro)),
    fmt('weighted avg', row(weighted)),
  ];
  return { perClass, accuracy: acc, macroAvg: row(macro), weightedAvg: row(weighted), confusion, text: lines.join('\n') };
}

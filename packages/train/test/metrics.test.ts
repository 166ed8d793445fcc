import { tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accuracy,
  classificationReport,
  confusionMatrix,
  mae,
  ndcgAtK,
  precisionAtK,
  precisionRecallF1,
  recallAtK,
  rmse,
  topKAccuracy,
} from '../src/index.js';
import { cpu } from './helpers.js';

beforeAll(cpu);

// Hand-worked example: 3 classes, 8 samples.
const yTrue = [0, 0, 0, 1, 1, 2, 2, 2];
const yPred = [0, 0, 1, 1, 2, 2, 2, 0];
// Confusion: row0 [2,1,0] row1 [0,1,1] row2 [1,0,2]
// Class 0: P = 2/3, R = 2/3; class 1: P = 1/2, R = 1/2; class 2: P = 2/3, R = 2/3.

describe('classification metrics', () => {
  it('accuracy and confusion matrix, from arrays and tensors', () => {
    expect(accuracy(yTrue, yPred)).toBe(5 / 8);
    expect(confusionMatrix(yTrue, yPred)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    const probs = tf.oneHot(tf.tensor1d(yPred, 'int32'), 3);
    expect(accuracy(tf.tensor1d(yTrue), probs)).toBe(5 / 8);
    probs.dispose();
    expect(() => accuracy([0, 1], [0])).toThrow(/2 entries but yPred has 1/);
  });

  it('precision / recall / F1 with every averaging mode', () => {
    const none = precisionRecallF1(yTrue, yPred, { average: 'none' });
    expect(none.precision).toEqual([2 / 3, 1 / 2, 2 / 3]);
    expect(none.recall).toEqual([2 / 3, 1 / 2, 2 / 3]);
    expect(none.support).toEqual([3, 2, 3]);
    const macro = precisionRecallF1(yTrue, yPred, { average: 'macro' });
    expect(macro.precision).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3);
    expect(macro.f1).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3);
    const weighted = precisionRecallF1(yTrue, yPred, { average: 'weighted' });
    expect(weighted.recall).toBeCloseTo((3 * (2 / 3) + 2 * 0.5 + 3 * (2 / 3)) / 8);
    const micro = precisionRecallF1(yTrue, yPred, { average: 'micro' });
    expect(micro.f1).toBe(5 / 8);
    // Asymmetric case: class 1 never predicted → precision 0/0 = zeroDivision.
    const r = precisionRecallF1([0, 1, 1], [0, 0, 0], { average: 'none' });
    expect(r.precision).toEqual([1 / 3, 0]);
    expect(r.f1[0]).toBeCloseTo(0.5);
    expect(() => precisionRecallF1(yTrue, yPred, { average: 'avg' as 'macro' })).toThrow(/average/);
  });

  it('topKAccuracy', () => {
    const scores = [
      [0.1, 0.5, 0.4],
      [0.3, 0.3, 0.4],
      [0.6, 0.3, 0.1],
    ];
    expect(topKAccuracy([1, 0, 2], scores, 1)).toBeCloseTo(1 / 3);
    expect(topKAccuracy([1, 0, 2], scores, 2)).toBeCloseTo(2 / 3);
    expect(topKAccuracy([1, 0, 2], scores, 3)).toBe(1);
  });

  it('classificationReport like sklearn', () => {
    const rep = classificationReport(yTrue, yPred, { labels: ['cat', 'dog', 'eel'] });
    expect(rep.accuracy).toBe(5 / 8);
    expect(rep.perClass.dog).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(rep.macroAvg.support).toBe(8);
    expect(rep.text).toMatch(/dog\s+0\.50\s+0\.50\s+0\.50\s+2/);
    expect(rep.text).toMatch(/accuracy\s+0\.63\s+8/);
  });
});

describe('regression and ranking metrics', () => {
  it('rmse and mae', () => {
    expect(rmse([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3));
    expect(mae([1, 2, 3], [2, 2, 5])).toBe(1);
    const a = tf.tensor2d([[1, 2]]);
    const b = tf.tensor2d([[2, 4]]);
    expect(rmse(a, b)).toBeCloseTo(Math.sqrt(2.5));
    tf.dispose([a, b]);
  });

  it('precision@k, recall@k, NDCG@k (single and mean over queries)', () => {
    const ranked = ['a', 'b', 'c', 'd'];
    const relevant = ['b', 'd', 'z'];
    expect(precisionAtK(ranked, relevant, 2)).toBe(0.5);
    expect(recallAtK(ranked, relevant, 4)).toBeCloseTo(2 / 3);
    // DCG@4 = 1/log2(3) + 1/log2(5); IDCG@4 = 1 + 1/log2(3) + 1/log2(4).
    expect(ndcgAtK(ranked, relevant, 4)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3) + 0.5));
    expect(ndcgAtK([1, 2], new Map([[1, 3], [2, 1]]), 2)).toBe(1);
    expect(precisionAtK([[1, 2], [3, 4]], [[1], [9]], 2)).toBe(0.25);
    expect(() => precisionAtK([[1]], [[1], [2]], 1)).toThrow(/ranked lists need as many/);
  });
});

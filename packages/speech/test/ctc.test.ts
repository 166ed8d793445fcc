// CTC loss against brute-force enumeration of alignments and against PyTorch; decoders; error rates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '@dlkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctcBeamDecode, ctcGreedyDecode, ctcLoss, editDistance, errorRates } from '../src/index.js';
import { wasm } from './helpers.js';

beforeAll(wasm);

function logSoftmax(x: number[][]): number[][] {
  return x.map((row) => {
    const m = Math.max(...row);
    const z = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
    return row.map((v) => v - z);
  });
}

function collapse(path: number[], blank: number): number[] {
  const out: number[] = [];
  path.forEach((c, i) => {
    if (c !== blank && c !== path[i - 1]) out.push(c);
  });
  return out;
}

/** Every path of length t over k symbols, with its log-probability. */
function* paths(lp: number[][], t: number, k: number): Generator<{ path: number[]; logp: number }> {
  const n = k ** t;
  for (let code = 0; code < n; code++) {
    const path: number[] = [];
    let c = code;
    let logp = 0;
    for (let i = 0; i < t; i++) {
      path.push(c % k);
      logp += lp[i]![c % k]!;
      c = Math.floor(c / k);
    }
    yield { path, logp };
  }
}

/** −log Σ over all paths that collapse to `label`. */
function bruteForceLoss(lp: number[][], t: number, k: number, label: number[], blank: number): number {
  let p = 0;
  for (const { path, logp } of paths(lp, t, k)) if (collapse(path, blank).join() === label.join()) p += Math.exp(logp);
  return -Math.log(p);
}

function seededLogits(b: number, t: number, k: number, seed: number): number[][][] {
  let s = seed;
  const r = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 4 - 2;
  };
  return Array.from({ length: b }, () => Array.from({ length: t }, () => Array.from({ length: k }, r)));
}

describe('ctcLoss', () => {
  it('equals the brute-force sum over alignments (repeats, empty label, variable lengths, blank last)', () => {
    const base = tf.memory().numTensors;
    const k = 4;
    const t = 6;
    const logits = seededLogits(5, t, k, 7);
    const labels = [[1, 2], [2, 2], [], [1, 2, 1], [3]];
    const lengths = [6, 6, 4, 5, 3];
    for (const blank of [0, 3]) {
      const lab = blank === 3 ? labels.map((l) => l.map((v) => (v === 3 ? 0 : v))) : labels;
      const x = tf.tensor3d(logits);
      const got = ctcLoss(x, lab, { inputLengths: lengths, blank, reduction: 'none' });
      const v = got.dataSync();
      lab.forEach((l, i) => {
        expect(v[i]).toBeCloseTo(bruteForceLoss(logSoftmax(logits[i]!), lengths[i]!, k, l, blank), 4);
      });
      tf.dispose([x, got]);
    }
    expect(tf.memory().numTensors).toBe(base);
  });

  it('gradient matches central finite differences of the brute-force loss', () => {
    const k = 3;
    const t = 5;
    const logits = seededLogits(1, t, k, 3);
    const label = [1, 1];
    const x = tf.tensor3d(logits);
    const g = tf.grad((z: tf.Tensor) => ctcLoss(z as tf.Tensor3D, [label], { reduction: 'sum' }))(x);
    const gv = g.arraySync() as number[][][];
    const eps = 1e-4;
    for (let ti = 0; ti < t; ti++) {
      for (let c = 0; c < k; c++) {
        const plus = structuredClone(logits[0]!);
        const minus = structuredClone(logits[0]!);
        plus[ti]![c]! += eps;
        minus[ti]![c]! -= eps;
        const num = (bruteForceLoss(logSoftmax(plus), t, k, label, 0) - bruteForceLoss(logSoftmax(minus), t, k, label, 0)) / (2 * eps);
        expect(gv[0]![ti]![c]).toBeCloseTo(num, 3);
      }
    }
    tf.dispose([x, g]);
  });

  const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/ctc-torch.json'), 'utf8')) as {
    cases: { logits: number[][][]; labels: number[][]; inputLengths: number[]; blank: number; lossNone: (number | string)[]; lossZeroInfinity: number[]; lossMeanZeroInfinity: number; gradSumZeroInfinity: number[][][] }[];
  };

  it.each(fixture.cases.map((c, i) => [i, c] as const))('matches torch.nn.functional.ctc_loss: case %i (losses, mean reduction, zero_infinity, gradient)', (_i, c) => {
    const base = tf.memory().numTensors;
    const x = tf.tensor3d(c.logits);
    const o = { inputLengths: c.inputLengths, blank: c.blank };
    const noneT = ctcLoss(x, c.labels, { ...o, reduction: 'none' });
    const none = noneT.dataSync();
    c.lossNone.forEach((v, i) => {
      if (v === 'Infinity') expect(none[i]).toBe(Infinity);
      else expect(none[i]).toBeCloseTo(v as number, 3);
    });
    const mean = ctcLoss(x, c.labels, { ...o, reduction: 'mean', zeroInfinity: true });
    expect(mean.dataSync()[0]).toBeCloseTo(c.lossMeanZeroInfinity, 4);
    const v = tf.variable(x);
    const { value, grads } = tf.variableGrads(() => ctcLoss(v as tf.Tensor3D, c.labels, { ...o, reduction: 'sum', zeroInfinity: true }) as tf.Scalar, [v]);
    expect(value.dataSync()[0]).toBeCloseTo(c.lossZeroInfinity.reduce((s, z) => s + z, 0), 3);
    const g = grads[v.name]!.arraySync() as number[][][];
    let maxErr = 0;
    c.gradSumZeroInfinity.forEach((item, b) => {
      item.forEach((row, t) => {
        row.forEach((want, k) => {
          maxErr = Math.max(maxErr, Math.abs(g[b]![t]![k]! - want));
        });
      });
    });
    expect(maxErr).toBeLessThan(1e-5);
    tf.dispose([x, noneT, mean, value, v, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('refuses bad labels, lengths and reductions with the option named', () => {
    const x = tf.zeros([2, 4, 3]) as tf.Tensor3D;
    expect(() => ctcLoss(x, [[1]], {})).toThrow(/labels.*one label sequence per batch item \(2\)/);
    expect(() => ctcLoss(x, [[1], [0]], {})).toThrow(/labels\[1\]\[0\] is 0.*other than the blank 0/);
    expect(() => ctcLoss(x, [[1], [3]], {})).toThrow(/labels\[1\]\[0\] is 3; expected an integer in \[0, 3\)/);
    expect(() => ctcLoss(x, [[1], [2]], { inputLengths: [4, 5] })).toThrow(/inputLengths\[1\]/);
    expect(() => ctcLoss(x, [[1], [2]], { reduction: 'avg' as 'mean' })).toThrow(/reduction/);
    x.dispose();
  });
});

describe('CTC decoding', () => {
  it('greedy merges repeats, drops blanks and keeps a repeat separated by a blank', () => {
    const k = 3;
    const best = [0, 1, 1, 0, 1, 2, 2, 0];
    const lp = best.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? Math.log(0.8) : Math.log(0.1))));
    const d = ctcGreedyDecode(lp, k, best.length);
    expect(d.tokens).toEqual([1, 1, 2]);
    expect(d.frames).toEqual([1, 4, 5]);
    expect(d.logProb).toBeCloseTo(best.length * Math.log(0.8), 6);
  });

  it('beam search without pruning finds the labelling with the highest total probability (brute force), where greedy may not', () => {
    const k = 3;
    const t = 5;
    let greedyWrong = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const lp = logSoftmax(seededLogits(1, t, k, seed)[0]!);
      const totals = new Map<string, number>();
      for (const { path, logp } of paths(lp, t, k)) {
        const key = collapse(path, 0).join(',');
        totals.set(key, (totals.get(key) ?? 0) + Math.exp(logp));
      }
      const [bestKey, bestP] = [...totals].reduce((a, b) => (b[1] > a[1] ? b : a));
      const beam = ctcBeamDecode(lp.flat(), k, t, { beamWidth: 1000 });
      expect(beam.tokens.join(',')).toBe(bestKey);
      expect(beam.logProb).toBeCloseTo(Math.log(bestP), 6);
      if (ctcGreedyDecode(lp.flat(), k, t).tokens.join(',') !== bestKey) greedyWrong++;
    }
    expect(greedyWrong).toBeGreaterThan(0);
  });
});

describe('error rates', () => {
  it('edit distance and corpus WER / CER', () => {
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3);
    expect(editDistance([], [1, 2])).toBe(2);
    const r = errorRates(['1 2 3', '4 5'], ['1 3', '4 5 6']);
    // one deletion + one insertion over 5 reference words
    expect(r.wer).toBeCloseTo(2 / 5, 10);
    // "1 2 3" → "1 3": 2 chars deleted; "4 5" → "4 5 6": 2 inserted; 5 + 3 reference chars
    expect(r.cer).toBeCloseTo(4 / 8, 10);
    expect(r.sentenceAccuracy).toBe(0);
    expect(errorRates(['7 7'], ['7 7']).wer).toBe(0);
  });
});

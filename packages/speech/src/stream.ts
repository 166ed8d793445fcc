/**
 * Keyword detection over long audio: slide the classifier's window with a hop, smooth the
 * per-class scores over a few windows (as the TF "RecognizeCommands" post-processing), gate
 * silent windows by energy (VAD), and report each run above threshold once, followed by a
 * refractory period. Works on any window scorer, so the openWakeWord path reuses it.
 */
import { checkNumber, DlkitError } from '@dlkit/core';

export interface DetectOptions {
  /** Smoothed score needed to fire (default 0.7). */
  threshold?: number;
  /** Hop between windows in ms (default 100). */
  hopMs?: number;
  /** Scores are averaged over this many ms of windows (default 300). */
  smoothMs?: number;
  /** After an event, no new event for this long (default 1000). */
  refractoryMs?: number;
  /** Windows quieter than this RMS level in dBFS never fire (default -50; -Infinity disables). */
  vadDb?: number;
  /** Labels that are never reported (default `_silence_`, `_unknown_`, `_background_`). */
  ignore?: string[];
}

export interface KeywordEvent {
  keyword: string;
  score: number;
  startMs: number;
  endMs: number;
}

export interface WindowScorer {
  labels: string[];
  sampleRate: number;
  windowSamples: number;
  /** Scores [n × labels] for n windows of windowSamples each (row-major). */
  score(windows: Float32Array, n: number): Promise<Float32Array>;
}

export function rmsDb(x: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i]! * x[i]!;
  return 10 * Math.log10(e / Math.max(1, x.length) + 1e-12);
}

export async function detectWith(scorer: WindowScorer, samples: Float32Array, o: DetectOptions = {}): Promise<KeywordEvent[]> {
  const threshold = checkNumber('threshold', o.threshold ?? 0.7, 0, 1);
  const hopMs = checkNumber('hopMs', o.hopMs ?? 100, 1);
  const smoothMs = checkNumber('smoothMs', o.smoothMs ?? 300, 0);
  const refractoryMs = checkNumber('refractoryMs', o.refractoryMs ?? 1000, 0);
  const vadDb = o.vadDb ?? -50;
  const ignore = new Set(o.ignore ?? ['_silence_', '_unknown_', '_background_']);
  const { sampleRate: sr, windowSamples: w, labels } = scorer;
  const hop = Math.max(1, Math.round((hopMs * sr) / 1000));
  if (samples.length === 0) throw new DlkitError('INVALID_INPUT', 'The audio is empty (0 samples).');
  // Pad so the first and last words still get a full window centred on them.
  const padded = new Float32Array(samples.length + w);
  padded.set(samples, Math.floor(w / 2));
  const n = Math.max(1, 1 + Math.floor((padded.length - w) / hop));
  const k = labels.length;
  const scores = new Float32Array(n * k);
  const loud = new Uint8Array(n);
  const chunk = 64;
  for (let s = 0; s < n; s += chunk) {
    const b = Math.min(chunk, n - s);
    const windows = new Float32Array(b * w);
    for (let i = 0; i < b; i++) {
      const win = padded.subarray((s + i) * hop, (s + i) * hop + w);
      windows.set(win, i * w);
      loud[s + i] = rmsDb(win) >= vadDb ? 1 : 0;
    }
    scores.set(await scorer.score(windows, b), s * k);
  }
  const span = Math.max(1, Math.round(smoothMs / hopMs));
  const smooth = (i: number, c: number) => {
    let acc = 0;
    let m = 0;
    for (let j = Math.max(0, i - span + 1); j <= i; j++, m++) acc += scores[j * k + c]!;
    return acc / m;
  };
  const offset = Math.floor(w / 2);
  const ms = (sample: number) => Math.round((Math.max(0, Math.min(samples.length, sample)) * 1000) / sr);
  const events: KeywordEvent[] = [];
  let blockedUntil = -Infinity;
  let i = 0;
  while (i < n) {
    let fired = -1;
    let best = 0;
    for (let c = 0; c < k; c++) {
      if (ignore.has(labels[c]!) || !loud[i]) continue;
      const v = smooth(i, c);
      if (v >= threshold && v > best) [fired, best] = [c, v];
    }
    const tMs = ((i * hop - offset) * 1000) / sr;
    if (fired < 0 || tMs < blockedUntil) {
      i++;
      continue;
    }
    // The run of windows where this keyword stays above threshold; the word lies in the overlap.
    let j = i;
    let peak = best;
    while (j + 1 < n && loud[j + 1] && smooth(j + 1, fired) >= threshold) {
      j++;
      peak = Math.max(peak, smooth(j, fired));
    }
    const first = Math.max(i - span + 1 , 0);
    let start = j * hop - offset;
    let end = first * hop - offset + w;
    if (end <= start) [start, end] = [Math.round(((i + j) / 2) * hop) - offset, Math.round(((i + j) / 2) * hop) - offset + w];
    events.push({ keyword: labels[fired]!, score: peak, startMs: ms(start), endMs: ms(end) });
    blockedUntil = ((j * hop - offset) * 1000) / sr + refractoryMs;
    i = j + 1;
  }
  return events;
}

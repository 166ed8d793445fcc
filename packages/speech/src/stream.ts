/**
 * Keyword detection over long audio: slide the classifier's window with a hop, smooth the
 * per-class scores over a few windows (as the TF "RecognizeCommands" post-processing), gate
 * windows without speech (energy, or a VAD model such as Silero), and report each run above threshold once, followed by a
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
  /**
   * Voice-activity gate: 'energy' (default: RMS ≥ vadDb) or a function returning speech
   * probabilities per frame (Silero: `(await SileroVad.load()).gate()` from '@dlkit/speech/node').
   */
  vad?: 'energy' | VadGate;
  /** With a VAD function: a window fires only if some frame inside it has this speech probability (default 0.5). */
  vadThreshold?: number;
  /** Labels that are never reported (default `_silence_`, `_unknown_`, `_background_`). */
  ignore?: string[];
}

export interface KeywordEvent {
  keyword: string;
  score: number;
  startMs: number;
  endMs: number;
}

/** Speech probability per frame of frameMs, from the start of the audio. */
export interface VoiceActivity {
  probs: Float32Array;
  frameMs: number;
}

export type VadGate = (samples: Float32Array, sampleRate: number) => Promise<VoiceActivity>;

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
  const vad = o.vad ?? 'energy';
  if (vad !== 'energy' && typeof vad !== 'function') throw new DlkitError('INVALID_OPTION', `Invalid option vad: ${JSON.stringify(vad)}; expected "energy" or a VAD function.`);
  const vadThreshold = checkNumber('vadThreshold', o.vadThreshold ?? 0.5, 0, 1);
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
  const offset = Math.floor(w / 2);
  // Window i covers original samples [i·hop − offset, i·hop − offset + w).
  const activity = typeof vad === 'function' ? await vad(samples, sr) : undefined;
  const speechIn = (i: number): boolean => {
    const a = activity!;
    const frame = (a.frameMs * sr) / 1000;
    const f0 = Math.max(0, Math.floor((i * hop - offset) / frame));
    const f1 = Math.min(a.probs.length - 1, Math.floor((i * hop - offset + w - 1) / frame));
    for (let f = f0; f <= f1; f++) if (a.probs[f]! >= vadThreshold) return true;
    return false;
  };
  for (let s = 0; s < n; s += chunk) {
    const b = Math.min(chunk, n - s);
    const windows = new Float32Array(b * w);
    for (let i = 0; i < b; i++) {
      const win = padded.subarray((s + i) * hop, (s + i) * hop + w);
      windows.set(win, i * w);
      loud[s + i] = (activity ? speechIn(s + i) : rmsDb(win) >= vadDb) ? 1 : 0;
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

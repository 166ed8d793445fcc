/**
 * A labelled set of fixed-length mono clips at the model's rate, held as one Float32Array
 * (speech datasets here are a few thousand 1 s clips: tens of MB). Built once from any
 * AudioExample source; batches and evaluation read from it.
 */
import { DlkitError, Rng } from '@dlkit/core';
import { type AudioExample, resample } from '@dlkit/data';
import { fitLength } from './audio.js';

export interface ClipSet {
  clips: Float32Array;
  labels: Int32Array;
  length: number;
  clipSamples: number;
  sampleRate: number;
  classes: string[];
  files?: string[];
}

export const isClipSet = (x: unknown): x is ClipSet => typeof x === 'object' && x !== null && (x as ClipSet).clips instanceof Float32Array && (x as ClipSet).labels instanceof Int32Array;

export async function toClipSet(
  examples: AsyncIterable<AudioExample> | Iterable<AudioExample>,
  o: { sampleRate: number; clipSamples: number; classes: string[] },
): Promise<ClipSet> {
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  const files: string[] = [];
  for await (const e of examples) {
    if (e.samples.length === 0) throw new DlkitError('INVALID_INPUT', `${e.file ?? 'An example'} is empty (0 samples).`);
    parts.push(fitLength(resample(e.samples, e.sampleRate, o.sampleRate), o.clipSamples));
    labels.push(e.label);
    files.push(e.file ? `${o.classes[e.label] ?? e.label}/${e.file}` : '');
  }
  const clips = new Float32Array(parts.length * o.clipSamples);
  parts.forEach((p, i) => {
    clips.set(p, i * o.clipSamples);
  });
  return { clips, labels: Int32Array.from(labels), length: parts.length, clipSamples: o.clipSamples, sampleRate: o.sampleRate, classes: o.classes, files };
}

export function clip(set: ClipSet, i: number): Float32Array {
  return set.clips.subarray(i * set.clipSamples, (i + 1) * set.clipSamples);
}

export function subset(set: ClipSet, idx: ArrayLike<number>): ClipSet {
  const clips = new Float32Array(idx.length * set.clipSamples);
  const labels = new Int32Array(idx.length);
  const files: string[] = [];
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    clips.set(clip(set, i), k * set.clipSamples);
    labels[k] = set.labels[i]!;
    files.push(set.files?.[i] ?? '');
  }
  return { ...set, clips, labels, length: idx.length, files };
}

/** Seeded stratified split: `fraction` of every class goes to the second set. */
export function splitClipSet(set: ClipSet, fraction: number, seed = 0): { train: ClipSet; validation: ClipSet; trainIndex: number[]; validationIndex: number[] } {
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < set.length; i++) byClass.set(set.labels[i]!, [...(byClass.get(set.labels[i]!) ?? []), i]);
  const a: number[] = [];
  const b: number[] = [];
  for (const idx of byClass.values()) {
    rng.shuffle(idx);
    const k = Math.round(idx.length * fraction);
    b.push(...idx.slice(0, k));
    a.push(...idx.slice(k));
  }
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  return { train: subset(set, a), validation: subset(set, b), trainIndex: a, validationIndex: b };
}

export function concatClipSets(sets: ClipSet[]): ClipSet {
  const first = sets[0]!;
  for (const s of sets) {
    if (s.clipSamples !== first.clipSamples || s.sampleRate !== first.sampleRate) throw new DlkitError('SHAPE_MISMATCH', 'Clip sets to concatenate must share clip length and sample rate.');
  }
  const n = sets.reduce((t, s) => t + s.length, 0);
  const clips = new Float32Array(n * first.clipSamples);
  const labels = new Int32Array(n);
  let o = 0;
  for (const s of sets) {
    clips.set(s.clips, o * first.clipSamples);
    labels.set(s.labels, o);
    o += s.length;
  }
  return { ...first, clips, labels, length: n, files: sets.flatMap((s) => s.files ?? Array(s.length).fill('')) };
}

/**
 * Speaker of a clip from its file name, for speaker-disjoint splits: Speech Commands
 * `<8-hex speaker>_nohash_<n>.wav` (also inside `_unknown_`'s `<word>_<speaker>_nohash_<n>`).
 * Undefined when the name carries no speaker (each such clip is then its own group).
 */
export function speakerOf(file: string): string | undefined {
  return /([0-9a-f]{8})_nohash_/.exec(file)?.[1];
}

/**
 * Seeded group split: whole groups (speakers) go to the second set until each class has about
 * `fraction` of its clips there, so no speaker is on both sides. Groups are visited in a seeded
 * order and taken only if no class overshoots its quota.
 */
export function groupSplitClipSet(set: ClipSet, fraction: number, seed: number, groupOf: (i: number) => string | undefined): { train: ClipSet; validation: ClipSet; trainIndex: number[]; validationIndex: number[] } {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < set.length; i++) {
    const g = groupOf(i) ?? `\u0000${i}`;
    groups.set(g, [...(groups.get(g) ?? []), i]);
  }
  const total = new Map<number, number>();
  for (const l of set.labels) total.set(l, (total.get(l) ?? 0) + 1);
  const quota = new Map([...total].map(([c, n]) => [c, Math.round(n * fraction)]));
  const taken = new Map<number, number>();
  const keys = [...groups.keys()].sort();
  new Rng(seed).shuffle(keys);
  const held = new Set<number>();
  for (const g of keys) {
    const idx = groups.get(g)!;
    const add = new Map<number, number>();
    for (const i of idx) add.set(set.labels[i]!, (add.get(set.labels[i]!) ?? 0) + 1);
    if ([...add].every(([c, n]) => (taken.get(c) ?? 0) + n <= quota.get(c)!)) {
      for (const [c, n] of add) taken.set(c, (taken.get(c) ?? 0) + n);
      for (const i of idx) held.add(i);
    }
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < set.length; i++) (held.has(i) ? b : a).push(i);
  return { train: subset(set, a), validation: subset(set, b), trainIndex: a, validationIndex: b };
}

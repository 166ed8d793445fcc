/**
 * What `--data` may name: a registry dataset (`fsdd`, `speech-commands`) or a folder with one
 * subfolder of WAVs per class. Several, comma-separated, are concatenated (same class names).
 */
import { existsSync, statSync } from 'node:fs';
import { DlkitError } from '@dlkit/core';
import { type AudioExample, audioFolder, getManifest, listDatasets, loadDataset } from '@dlkit/data/node';

export interface OpenAudioOptions {
  /** Registry split (fsdd: 'train' | 'test'); default: the dataset's first split. */
  split?: string;
  /** Fix the class order (a model's labels); folders not in it are an error. */
  classes?: string[];
}

export interface OpenedAudio {
  examples: AudioExample[];
  classes: string[];
  name: string;
}

async function openOne(spec: string, o: OpenAudioOptions): Promise<OpenedAudio> {
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    const ds = await audioFolder(spec, o.classes ? { classes: o.classes } : {});
    const examples = await ds.toArray();
    if (ds.classes.length < 2 && !o.classes) {
      throw new DlkitError('INVALID_INPUT', `${spec} has ${ds.classes.length} class folder(s); keyword spotting needs at least 2.`, { hint: 'Put each class in its own subfolder: DIR/yes/*.wav, DIR/no/*.wav.' });
    }
    return { examples, classes: o.classes ?? ds.classes, name: spec };
  }
  if (!listDatasets().some((d) => d.name === spec)) {
    throw new DlkitError('NOT_FOUND', `--data ${spec}: no such folder and no registry dataset of that name.`, {
      hint: `Pass a folder with one subfolder of WAVs per class, or one of: ${listDatasets().filter((d) => d.task === 'audio-classification').map((d) => d.name).join(', ')}.`,
    });
  }
  const m = getManifest(spec);
  if (m.task !== 'audio-classification') throw new DlkitError('INVALID_OPTION', `--data ${spec} is a ${m.task} dataset, not audio classification.`);
  const ds = await loadDataset<AudioExample>(spec, o.split && m.splits[o.split] ? { split: o.split } : {});
  const native = m.classes ?? [];
  const examples = await ds.toArray();
  if (o.classes && o.classes.join('\u0000') !== native.join('\u0000')) {
    // Re-map by name so a model with the same labels in another order still evaluates correctly.
    const map = native.map((c) => o.classes!.indexOf(c));
    if (map.some((i) => i < 0)) throw new DlkitError('SHAPE_MISMATCH', `${spec} classes [${native.join(', ')}] are not all among the model labels [${o.classes.join(', ')}].`);
    for (const e of examples) e.label = map[e.label]!;
  }
  return { examples, classes: o.classes ?? native, name: o.split ? `${spec}:${o.split}` : spec };
}

export async function openAudioData(spec: string, o: OpenAudioOptions = {}): Promise<OpenedAudio> {
  const parts = spec.split(',').filter(Boolean);
  if (parts.length === 0) throw new DlkitError('INVALID_OPTION', 'Invalid option --data: empty; expected a folder of class subfolders or a dataset name.');
  const opened: OpenedAudio[] = [];
  for (const p of parts) opened.push(await openOne(p, opened[0] ? { ...o, classes: o.classes ?? opened[0].classes } : o));
  return { examples: opened.flatMap((x) => x.examples), classes: opened[0]!.classes, name: parts.length > 1 ? opened.map((x) => x.name).join(',') : opened[0]!.name };
}

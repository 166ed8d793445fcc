/**
 * What `--data` may name: a registry dataset (`fashion-mnist`, `mnist`, `cifar10`, ...), a folder
 * of IDX files, a folder with one subfolder per class, or a .tar/.tar.gz of such a folder. All
 * become ImageExamples (pixels in [0, 1] at their own size) plus class names.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DlkitError } from '@dlkit/core';
import { Dataset, getManifest, type ImageExample, imageArchive, imageFolder, listDatasets, loadDataset, readIdxFile } from '@dlkit/data/node';

export interface OpenedData {
  examples: AsyncIterable<ImageExample> | Iterable<ImageExample>;
  classes: string[];
  /** Native [h, w, c] when every image has it (registry datasets). */
  inputShape?: [number, number, number];
  /** What was opened, for model cards. */
  name: string;
  kind: 'registry' | 'idx' | 'folder' | 'archive';
}

export interface OpenDataOptions {
  /** Registry split or IDX prefix ('train', 'test', 't10k'); default 'train'. */
  split?: string;
  /** Folder inside an archive holding the class folders (e.g. "train/"). */
  prefix?: string;
}

const IDX_IMAGES = /^(.*?)[-.]images[-.]idx3[-.]ubyte(\.gz)?$/;

async function openIdxDir(dir: string, split: string): Promise<OpenedData | undefined> {
  const names = await readdir(dir);
  const images = names.filter((n) => IDX_IMAGES.test(n));
  if (images.length === 0) return undefined;
  const want = split === 'test' ? ['t10k', 'test'] : [split];
  const pick = images.find((n) => want.some((w) => n.startsWith(w))) ?? (images.length === 1 ? images[0] : undefined);
  if (!pick) throw new DlkitError('NOT_FOUND', `No IDX images for split "${split}" in ${dir} (found ${images.join(', ')}).`, { hint: 'Pass --split train|test.' });
  const stem = IDX_IMAGES.exec(pick)![1]!;
  const labelsName = names.find((n) => n.startsWith(`${stem}-labels-idx1-ubyte`) || n.startsWith(`${stem}.labels-idx1-ubyte`));
  if (!labelsName) throw new DlkitError('NOT_FOUND', `${join(dir, pick)} has no matching ${stem}-labels-idx1-ubyte[.gz] next to it.`);
  const img = await readIdxFile(join(dir, pick), { dims: 3, dtype: 'uint8' });
  const lab = await readIdxFile(join(dir, labelsName), { dims: 1, dtype: 'uint8' });
  const [n, h, w] = img.shape as [number, number, number];
  if (lab.shape[0] !== n) throw new DlkitError('CORRUPT_DATA', `${pick} has ${n} images but ${labelsName} has ${lab.shape[0]} labels.`, { details: { file: join(dir, labelsName) } });
  const px = img.data as Uint8Array;
  const labels = lab.data as Uint8Array;
  const k = Math.max(...labels) + 1;
  const per = h * w;
  const ds = Dataset.fromIndex(n, (i) => {
    const image = new Float32Array(per);
    for (let j = 0; j < per; j++) image[j] = px[i * per + j]! / 255;
    return { image, shape: [h, w, 1] as [number, number, number], label: labels[i]! };
  });
  return { examples: ds, classes: Array.from({ length: k }, (_, i) => String(i)), inputShape: [h, w, 1], name: join(dir, pick), kind: 'idx' };
}

function checkClasses(classes: string[], where: string): void {
  if (classes.length < 2) {
    throw new DlkitError('INVALID_INPUT', `${where} has ${classes.length} class folder${classes.length === 1 ? ` (${classes[0]})` : 's'}; image classification needs at least 2.`, {
      hint: 'Put each class in its own subfolder: DIR/cat/*.jpg, DIR/dog/*.jpg.',
    });
  }
}

export async function openImageData(spec: string, o: OpenDataOptions = {}): Promise<OpenedData> {
  const split = o.split ?? 'train';
  if (existsSync(spec)) {
    const st = statSync(spec);
    if (st.isDirectory()) {
      const idx = await openIdxDir(spec, split);
      if (idx) return idx;
      const ds = await imageFolder(spec, { channels: 3 });
      checkClasses(ds.classes, spec);
      return { examples: ds, classes: ds.classes, name: spec, kind: 'folder' };
    }
    if (/\.(tar|tar\.gz|tgz)$/i.test(spec)) {
      const ds = await imageArchive(spec, { channels: 3, ...(o.prefix ? { prefix: o.prefix } : {}) });
      checkClasses(ds.classes, spec);
      return { examples: ds, classes: ds.classes, name: spec, kind: 'archive' };
    }
    throw new DlkitError('INVALID_INPUT', `--data ${spec} is a file but not a .tar/.tar.gz archive.`, {
      hint: 'Pass a registry dataset name, a folder with one subfolder per class, a folder of IDX files, or a .tar of class folders.',
    });
  }
  let manifest: ReturnType<typeof getManifest>;
  try {
    manifest = getManifest(spec);
  } catch (e) {
    const images = listDatasets().filter((m) => m.task === 'image-classification').map((m) => m.name);
    throw new DlkitError('NOT_FOUND', `--data ${spec}: no such file or folder, and not a registry dataset (image datasets: ${images.join(', ')}).`, { cause: e });
  }
  if (manifest.task !== 'image-classification') throw new DlkitError('INVALID_INPUT', `Dataset ${spec} is a ${manifest.task} dataset, not images.`);
  const ds = await loadDataset<ImageExample>(spec, { split });
  return { examples: ds, classes: ds.classes ?? manifest.classes ?? [], inputShape: ds.inputShape as [number, number, number] | undefined, name: `${spec}:${split}`, kind: 'registry' };
}

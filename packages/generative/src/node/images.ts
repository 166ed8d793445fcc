/** Image sets for generative models: from the dataset registry (mnist, fashion-mnist) or a folder of IDX files. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DlkitError } from '@dlkit/core';
import { type ImageExample, loadDataset, readIdxFile } from '@dlkit/data/node';
import type { ImageSet } from '../fit-vae.js';

export interface LabeledImages extends Required<ImageSet> {
  labels: Uint8Array;
  shape: [number, number, number];
  classes?: string[];
}

/** A registry dataset split gathered into one Float32Array (these sets are ~30 MB as floats). */
export async function registryImages(name: string, split: string, limit?: number): Promise<LabeledImages> {
  const ds = await loadDataset<ImageExample>(name, { split });
  const shape = (ds.inputShape ?? [28, 28, 1]) as [number, number, number];
  const per = shape[0] * shape[1] * shape[2];
  const cap = limit ?? Number.POSITIVE_INFINITY;
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  for await (const ex of ds) {
    if (rows.length >= cap) break;
    if (ex.image.length !== per) throw new DlkitError('SHAPE_MISMATCH', `${name}/${split} example ${rows.length} has ${ex.image.length} values, expected ${shape.join('×')}.`);
    rows.push(ex.image);
    labels.push(ex.label);
  }
  const images = new Float32Array(rows.length * per);
  rows.forEach((r, i) => {
    images.set(r, i * per);
  });
  return { images, labels: Uint8Array.from(labels), shape, classes: ds.classes };
}

function findIdx(dir: string, kind: 'images' | 'labels'): string | undefined {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const re = kind === 'images' ? /^t10k-images[-.]idx3-ubyte(\.gz)?$/ : /^t10k-labels[-.]idx1-ubyte(\.gz)?$/;
  const any = kind === 'images' ? /images.*idx3-ubyte(\.gz)?$/ : /labels.*idx1-ubyte(\.gz)?$/;
  const hit = names.find((n) => re.test(n)) ?? names.filter((n) => any.test(n)).sort()[0];
  return hit ? join(dir, hit) : undefined;
}

/** The test images (t10k-images-idx3-ubyte[.gz], labels optional) of an MNIST-layout folder. */
export async function idxFolderImages(dir: string, limit?: number): Promise<LabeledImages> {
  const imgPath = findIdx(dir, 'images');
  if (!imgPath) {
    throw new DlkitError('NOT_FOUND', `No IDX image file (t10k-images-idx3-ubyte[.gz]) in ${dir}.`, {
      hint: 'Pass --data a folder holding the MNIST-layout test files, e.g. $DLKIT_DATA_DIR/mnist.',
      details: { option: '--data', value: dir },
    });
  }
  const idx = await readIdxFile(imgPath, { dims: 3, dtype: 'uint8' });
  const [total, h, w] = idx.shape as [number, number, number];
  const n = Math.min(total, limit ?? total);
  const px = idx.data as Uint8Array;
  const images = new Float32Array(n * h * w);
  for (let i = 0; i < images.length; i++) images[i] = px[i]! / 255;
  const labPath = findIdx(dir, 'labels');
  const labels = labPath ? ((await readIdxFile(labPath, { dims: 1, dtype: 'uint8' })).data as Uint8Array).subarray(0, n) : new Uint8Array(n);
  return { images, labels, shape: [h, w, 1] };
}

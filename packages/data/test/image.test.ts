import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { selectBackend, tf } from '@dlkit/core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, decodeImageTensor, imageArchive, imageFolder, tarEntries } from '../src/node.js';
import { makeTar, randomImage, tempDir, writeTree } from './_fixtures.js';

const dir = tempDir('img');

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('decodeImage (sharp)', () => {
  it('decodes PNG exactly to [0,1] HWC and converts channels', async () => {
    const png = await randomImage(1, 5, 4, 'png');
    const raw = await sharp(png).raw().toBuffer();
    const rgb = await decodeImage(png);
    expect(rgb.shape).toEqual([4, 5, 3]);
    expect(rgb.data[7]).toBeCloseTo(raw[7]! / 255, 6);
    const gray = await decodeImage(png, { channels: 1 });
    expect(gray.shape).toEqual([4, 5, 1]);
    const rgba = await decodeImage(png, { channels: 4 });
    expect(rgba.shape).toEqual([4, 5, 4]);
    expect(rgba.data[3]).toBe(1);
    // grayscale and RGBA sources become 3 channels
    expect((await decodeImage(await randomImage(2, 3, 3, 'png', 1))).shape).toEqual([3, 3, 3]);
    expect((await decodeImage(await randomImage(3, 3, 3, 'png', 4))).shape).toEqual([3, 3, 3]);
  });

  it('resizes with cover/contain/fill and normalises with mean/std', async () => {
    const png = await randomImage(4, 20, 10, 'png');
    for (const fit of ['cover', 'contain', 'fill'] as const) expect((await decodeImage(png, { size: [8, 8], fit })).shape).toEqual([8, 8, 3]);
    const n = await decodeImage(png, { normalize: { mean: 0.5, std: 0.5 } });
    expect(Math.min(...n.data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...n.data)).toBeLessThanOrEqual(1);
    await expect(decodeImage(png, { normalize: { mean: [0.5, 0.5], std: 1 } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(decodeImage(png, { channels: 2 as 3 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('applies EXIF orientation', async () => {
    const rng = Buffer.alloc(6 * 2 * 3, 200);
    const rotated = await sharp(rng, { raw: { width: 6, height: 2, channels: 3 } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await decodeImage(rotated)).shape).toEqual([6, 2, 3]);
  });

  it('reads files and file: URLs, and makes tensors the caller owns', async () => {
    const file = join(dir, 'a.png');
    writeFileSync(file, await randomImage(5, 4, 4));
    expect((await decodeImage(file)).shape).toEqual([4, 4, 3]);
    expect((await decodeImage(new URL(`file://${file}`))).shape).toEqual([4, 4, 3]);
    const base = tf.memory().numTensors;
    const t = await decodeImageTensor(file, { size: [2, 2] });
    expect(t.shape).toEqual([2, 2, 3]);
    t.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('rejects truncated JPEGs, corrupt bytes and non-images naming the file', async () => {
    const jpg = await randomImage(6, 32, 32, 'jpeg');
    const trunc = join(dir, 'trunc.jpg');
    writeFileSync(trunc, jpg.subarray(0, Math.floor(jpg.length / 2)));
    const e1 = await decodeImage(trunc).catch((e) => e);
    expect(e1.code).toBe('CORRUPT_DATA');
    expect(e1.message).toContain(trunc);
    const text = join(dir, 'notes.jpg');
    writeFileSync(text, 'hello, not an image');
    const e2 = await decodeImage(text).catch((e) => e);
    expect(e2.code).toBe('CORRUPT_DATA');
    expect(e2.message).toContain(text);
    const e3 = await decodeImage(jpg.subarray(0, 100), { name: 'upload.jpg' }).catch((e) => e);
    expect(e3.code).toBe('CORRUPT_DATA');
    expect(e3.message).toContain('upload.jpg');
    await expect(decodeImage(join(dir, 'nope.png'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('image folders and tar archives', () => {
  it('labels root/<class>/*.jpg by folder, sorted, with maxPerClass', async () => {
    const root = join(dir, 'folder');
    writeTree(root, {
      'cat/b.png': await randomImage(7, 4, 4),
      'cat/a.png': await randomImage(8, 4, 4),
      'dog/a.jpg': await randomImage(9, 4, 4, 'jpeg'),
      'dog/readme.md': 'ignored',
    });
    const ds = await imageFolder(root, { size: [3, 3] });
    expect(ds.classes).toEqual(['cat', 'dog']);
    expect(ds.classCounts).toEqual({ cat: 2, dog: 1 });
    const all = await ds.toArray();
    expect(all.map((e) => e.label)).toEqual([0, 0, 1]);
    expect(all[0]!.shape).toEqual([3, 3, 3]);
    expect((await imageFolder(root, { maxPerClass: 1 })).size).toBe(2);
    await expect(imageFolder(root, { classes: ['cat'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('rejects a symlink that points outside the folder', async () => {
    const root = join(dir, 'evil-folder');
    writeTree(root, { 'cat/a.png': await randomImage(10, 2, 2) });
    writeFileSync(join(dir, 'secret.png'), await randomImage(11, 2, 2));
    symlinkSync(join(dir, 'secret.png'), join(root, 'cat', 'b.png'));
    const err = await imageFolder(root).catch((e) => e);
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toMatch(/outside the dataset folder/);
  });

  it('reads the same layout from .tar and .tar.gz with a prefix', async () => {
    const tarBytes = await makeTar([
      { name: 'train/', type: 'directory' },
      { name: 'train/cat/0.png', data: await randomImage(12, 4, 4) },
      { name: 'train/dog/0.png', data: await randomImage(13, 4, 4) },
      { name: 'train/dog/1.png', data: await randomImage(14, 4, 4) },
      { name: 'other/x/0.png', data: await randomImage(15, 4, 4) },
    ]);
    for (const [file, bytes] of [
      [join(dir, 'ok.tar'), tarBytes],
      [join(dir, 'ok.tar.gz'), gzipSync(tarBytes)],
    ] as const) {
      writeFileSync(file, bytes);
      const ds = await imageArchive(file, { prefix: 'train/' });
      expect(ds.classes).toEqual(['cat', 'dog']);
      expect((await ds.toArray()).map((e) => e.label)).toEqual([0, 1, 1]);
    }
  });

  it('rejects ../ and absolute entry names, outside symlinks, and truncated archives', async () => {
    const png = await randomImage(16, 2, 2);
    const cases: [string, Buffer][] = [
      ['dotdot.tar', await makeTar([{ name: 'train/cat/ok.png', data: png }, { name: '../evil', data: 'x' }])],
      ['abs.tar', await makeTar([{ name: '/etc/evil', data: 'x' }])],
      ['link.tar', await makeTar([{ name: 'train/cat/l.png', type: 'symlink', linkname: '../../../etc/passwd' }])],
    ];
    for (const [name, bytes] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const err = await imageArchive(file).catch((e) => e);
      expect(err.code, name).toBe('CORRUPT_DATA');
      expect(err.message).toContain(file);
      expect(err.message).toMatch(/outside the archive root|escapes the archive root/);
    }
    const big = await makeTar([{ name: 'train/cat/a.png', data: Buffer.alloc(5000, 1) }]);
    const trunc = join(dir, 'trunc.tar');
    writeFileSync(trunc, big.subarray(0, 2048));
    const err = await (async () => {
      for await (const _ of tarEntries(trunc)) {
        // drain
      }
    })().catch((e) => e);
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(trunc);
    const gzTrunc = join(dir, 'trunc.tar.gz');
    const gz = gzipSync(big);
    writeFileSync(gzTrunc, gz.subarray(0, gz.length - 20));
    await expect(imageArchive(gzTrunc)).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
  });
});

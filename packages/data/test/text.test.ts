import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, readCsv, textArchive, textFolder } from '../src/node.js';
import { makeTar, tempDir, writeTree } from './_fixtures.js';

const dir = tempDir('text');

describe('CSV/TSV', () => {
  it('parses headers into records, TSV without quoting', async () => {
    const file = join(dir, 'ok.csv');
    writeFileSync(file, 'a,b\n1,"x, y"\n2,z\n');
    expect(await readCsv(file)).toEqual([
      { a: '1', b: 'x, y' },
      { a: '2', b: 'z' },
    ]);
    expect(parseCsv('label\tsentence\n0\tsays "hi\n', 'x.tsv')).toEqual([{ label: '0', sentence: 'says "hi' }]);
    expect(parseCsv('1,2\n3,4\n', 'x.csv', { header: false })).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('rejects a ragged row naming the file and line', async () => {
    const file = join(dir, 'ragged.csv');
    writeFileSync(file, 'a,b\n1,2\n3,4,5\n');
    const err = await readCsv(file).catch((e) => e);
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/line 3/);
  });
});

describe('text folders', () => {
  it('labels root/<label>/*.txt by folder, from a folder or an archive', async () => {
    const files = { 'neg/1.txt': 'bad film', 'pos/2.txt': 'great film', 'pos/1.txt': 'lovely' };
    const root = join(dir, 'reviews');
    writeTree(root, files);
    const ds = await textFolder(root);
    expect(ds.classes).toEqual(['neg', 'pos']);
    expect(await ds.toArray()).toEqual([
      { text: 'bad film', label: 0 },
      { text: 'lovely', label: 1 },
      { text: 'great film', label: 1 },
    ]);
    const file = join(dir, 'reviews.tar');
    writeFileSync(file, await makeTar(Object.entries(files).map(([k, v]) => ({ name: `aclImdb/train/${k}`, data: v }))));
    const fromTar = await textArchive(file, { prefix: 'aclImdb/train/' });
    expect(await fromTar.toArray()).toEqual(await ds.toArray());
  });
});

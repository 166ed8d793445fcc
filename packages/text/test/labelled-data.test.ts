import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDlkitError } from '@dlkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabelledText } from '../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'dlkit-text-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LABELS = ['negative', 'positive'];

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('labelled text readers', () => {
  it('detects label<TAB>content and sentence<TAB>label, label indices or names', async () => {
    expect(await readLabelledText(file('a.tsv', 'label\tcontent\n1\tgreat fun\n0\ta bore\n'), LABELS)).toEqual([
      { text: 'great fun', label: 1 },
      { text: 'a bore', label: 0 },
    ]);
    expect(await readLabelledText(file('b.tsv', 'sentence\tlabel\ngreat fun\tpositive\na bore\tNEG\n'), LABELS)).toEqual([
      { text: 'great fun', label: 1 },
      { text: 'a bore', label: 0 },
    ]);
    expect(await readLabelledText(file('c.csv', 'text,label\n"fun, really",1\n'), LABELS)).toEqual([{ text: 'fun, really', label: 1 }]);
  });

  it('reads an aclImdb-style folder', async () => {
    for (const [d, f, t] of [
      ['pos', '1_9.txt', 'loved it'],
      ['neg', '2_1.txt', 'hated it'],
    ] as const) {
      mkdirSync(join(dir, 'imdb', d), { recursive: true });
      writeFileSync(join(dir, 'imdb', d, f), t);
    }
    expect(await readLabelledText(join(dir, 'imdb'), LABELS)).toEqual([
      { text: 'hated it', label: 0 },
      { text: 'loved it', label: 1 },
    ]);
  });

  it('rejects wrong columns, unknown labels, empty texts, non-UTF-8 and unknown sources', async () => {
    const cols = await failure(readLabelledText(file('d.tsv', 'id\tcontent\n1\tx\n'), LABELS));
    expect(isDlkitError(cols, 'INVALID_INPUT')).toBe(true);
    expect(cols.message).toMatch(/expected "label"/);
    expect((await failure(readLabelledText(file('e.tsv', 'label\tcontent\n1\tok\n5\tx\n'), LABELS))).message).toMatch(/line 3: label "5"/);
    expect((await failure(readLabelledText(file('f.tsv', 'label\tcontent\n1\t \n'), LABELS))).message).toMatch(/line 2: the content column is empty/);
    const bad = await failure(readLabelledText(file('g.tsv', Uint8Array.from([...Buffer.from('label\tcontent\n1\tcaf'), 0xe9, 0x0a])), LABELS));
    expect(isDlkitError(bad, 'CORRUPT_DATA')).toBe(true);
    expect(bad.message).toMatch(/not valid UTF-8 \(first bad byte at offset 20\)/);
    expect((await failure(readLabelledText(file('h.tsv', 'label\tcontent\textra\n1\tok\n'), LABELS))).message).toMatch(/expected "label"|column/);
    expect((await failure(readLabelledText(file('i.tsv', 'label\tcontent\n1\tok\textra\n'), LABELS))).message).toMatch(/i\.tsv/);
    expect(isDlkitError(await failure(readLabelledText('no-such-dataset-or-file', LABELS)), 'NOT_FOUND')).toBe(true);
    mkdirSync(join(dir, 'empty-classes'));
    expect((await failure(readLabelledText(join(dir, 'empty-classes'), LABELS))).message).toMatch(/one per label/);
  });

  it('names the file for header-only or empty tables, and for bad files inside a class folder', async () => {
    expect((await failure(readLabelledText(file('j.tsv', 'label\tcontent\n'), LABELS))).message).toMatch(/j\.tsv has a header but no rows/);
    expect((await failure(readLabelledText(file('k.tsv', ''), LABELS))).message).toMatch(/k\.tsv is empty/);
    const short = await failure(readLabelledText(file('m.tsv', 'content\tlabel\ngood\n'), LABELS));
    expect(isDlkitError(short, 'INVALID_INPUT')).toBe(true);
    expect(short.message).toMatch(/m\.tsv: .*line 2.*as many tab-separated cells as the header/);
    expect(short.message).not.toMatch(/Re-download/);
    expect((await failure(readLabelledText(file('l.csv', 'label,text\n1,""\n'), LABELS))).message).toMatch(/l\.csv line 2: the text column is empty/);
    for (const [d, f, t] of [
      ['pos', 'a.txt', Buffer.from('fine')],
      ['neg', 'b.txt', Uint8Array.from([0x6f, 0x6b, 0xff])],
    ] as const) {
      mkdirSync(join(dir, 'bad-utf8', d), { recursive: true });
      writeFileSync(join(dir, 'bad-utf8', d, f), t);
    }
    const bad = await failure(readLabelledText(join(dir, 'bad-utf8'), LABELS));
    expect(isDlkitError(bad, 'CORRUPT_DATA')).toBe(true);
    expect(bad.message).toMatch(/b\.txt is not valid UTF-8 \(first bad byte at offset 2\)/);
    mkdirSync(join(dir, 'empty-file', 'pos'), { recursive: true });
    mkdirSync(join(dir, 'empty-file', 'neg'), { recursive: true });
    writeFileSync(join(dir, 'empty-file', 'pos', 'a.txt'), 'fine');
    writeFileSync(join(dir, 'empty-file', 'neg', 'b.txt'), ' \n');
    expect((await failure(readLabelledText(join(dir, 'empty-file'), LABELS))).message).toMatch(/b\.txt is empty/);
  });
});

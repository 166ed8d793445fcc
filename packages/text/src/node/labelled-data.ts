/**
 * Labelled text for `dlkit sentiment train|eval`: a registry name (sst2, imdb, mr, ...), a TSV/CSV
 * file (header `label<TAB>content`, `label<TAB>sentence` or `sentence<TAB>label`, detected by
 * column names), or an aclImdb-style folder with one sub-folder of .txt files per class
 * (pos/ neg/). Strict: non-UTF-8 bytes, a missing column, an unknown label or an empty text is a
 * DlkitError naming the file and line.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DlkitError, isDlkitError } from '@dlkit/core';
import { getManifest, loadDataset, parseCsv, type TextExample } from '@dlkit/data/node';

const strict = new TextDecoder('utf-8', { fatal: true });

/** Byte offset of the first invalid UTF-8 sequence (for the error message). */
function firstBadByte(bytes: Uint8Array): number {
  for (let lo = 0, hi = bytes.length; ; ) {
    // Binary search on the longest valid prefix; cheap enough for error paths.
    if (hi - lo <= 1) return lo;
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
}

export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strict.decode(bytes);
  } catch (e) {
    const at = firstBadByte(bytes);
    throw new DlkitError('CORRUPT_DATA', `${file} is not valid UTF-8 (first bad byte at offset ${at}).`, {
      hint: 'Re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 in > out`).',
      details: { file, offset: at },
      cause: e,
    });
  }
}

const LABEL_ALIASES: Record<string, string[]> = { negative: ['neg', '0'], positive: ['pos', '1'] };

/** Maps a label cell (index or name, case-insensitive; pos/neg for positive/negative) to its index. */
export function labelIndex(raw: string, labels: readonly string[], where: string): number {
  const v = raw.trim().toLowerCase();
  if (/^\d+$/.test(v) && Number(v) < labels.length) return Number(v);
  const i = labels.findIndex((l) => l.toLowerCase() === v || (LABEL_ALIASES[l.toLowerCase()] ?? []).includes(v));
  if (i >= 0) return i;
  throw new DlkitError('INVALID_INPUT', `${where}: label ${JSON.stringify(raw)} is not one of ${labels.map((l, k) => `${k}/${l}`).join(', ')}.`, {
    hint: 'Use class indices or the class names of the model (see its model-card.json labels).',
    details: { label: raw },
  });
}

const TEXT_COLUMNS = ['sentence', 'content', 'text', 'review'];

/** Reads a TSV/CSV file of labelled texts. */
export async function readLabelledTable(path: string, labels: readonly string[]): Promise<TextExample[]> {
  const text = decodeUtf8(await readFile(path), path);
  const tsv = extname(path).toLowerCase() !== '.csv';
  if (text.trim() === '') throw new DlkitError('INVALID_INPUT', `${path} is empty.`, { hint: 'Give it a header (e.g. `label<TAB>content`) and one row per text.' });
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, path, { delimiter: tsv ? '\t' : ',', quote: tsv ? false : '"' }) as Record<string, string>[];
  } catch (e) {
    // The parser's own hint is about re-downloading registry files; this is the user's table.
    const why = (e as Error).message.replace(isDlkitError(e) && e.hint ? ` ${e.hint}` : '', '').replace(/^Corrupt data in [^:]*: ?/, '');
    throw new DlkitError('INVALID_INPUT', `${path}: ${why}`, {
      hint: tsv ? 'Every row needs as many tab-separated cells as the header (a text must not contain a tab).' : 'Every row needs as many cells as the header; quote texts that contain commas ("…").',
      details: { file: path },
      cause: e,
    });
  }
  if (rows.length === 0) throw new DlkitError('INVALID_INPUT', `${path} has a header but no rows.`, { hint: 'Add one row per text under the header.' });
  const cols = Object.keys(rows[0]!).map((c) => c.trim().toLowerCase());
  const labelCol = Object.keys(rows[0]!)[cols.indexOf('label')];
  const textIdx = cols.findIndex((c) => TEXT_COLUMNS.includes(c));
  if (labelCol === undefined || textIdx < 0) {
    throw new DlkitError('INVALID_INPUT', `${path}: header has columns ${JSON.stringify(Object.keys(rows[0]!))}; expected "label" and one of ${TEXT_COLUMNS.join(', ')}.`, {
      hint: 'Use a header `label<TAB>content` or `sentence<TAB>label` (TSV), or `label,text` (CSV).',
    });
  }
  const textCol = Object.keys(rows[0]!)[textIdx]!;
  return rows.map((r, i) => {
    const where = `${path} line ${i + 2}`;
    const t = r[textCol] ?? '';
    if (t.trim() === '') throw new DlkitError('INVALID_INPUT', `${where}: the ${textCol} column is empty.`, { hint: 'Remove the row or fill in its text.' });
    return { text: t, label: labelIndex(r[labelCol] ?? '', labels, where) };
  });
}

/** Reads `root/<label>/*.txt` for each label (aclImdb's pos/ neg/ count as positive/negative). */
export async function readLabelledFolder(root: string, labels: readonly string[]): Promise<TextExample[]> {
  const subdirs = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  const out: TextExample[] = [];
  const used = subdirs.filter((d) => {
    try {
      labelIndex(d, labels, root);
      return true;
    } catch {
      return false;
    }
  });
  if (used.length < 2) {
    throw new DlkitError('INVALID_INPUT', `${root} has sub-folders ${JSON.stringify(subdirs)}; expected one per label (${labels.join(', ')}, or pos/neg).`, {
      hint: 'Lay the data out as <dir>/pos/*.txt and <dir>/neg/*.txt (aclImdb style).',
    });
  }
  for (const d of used.sort()) {
    const label = labelIndex(d, labels, root);
    const files = (await readdir(join(root, d))).filter((f) => f.toLowerCase().endsWith('.txt')).sort();
    for (const f of files) {
      const p = join(root, d, f);
      const text = decodeUtf8(await readFile(p), p);
      if (text.trim() === '') throw new DlkitError('INVALID_INPUT', `${p} is empty.`, { hint: 'Remove the file or give it text.' });
      out.push({ text, label });
    }
  }
  return out;
}

/** Default split for evaluation: 'validation' when the dataset has one, else its last split. */
function evalSplit(name: string): string {
  const splits = Object.keys(getManifest(name).splits);
  return splits.includes('validation') ? 'validation' : splits[splits.length - 1]!;
}

/** A registry name (with optional `:split`), a TSV/CSV file or a class-folder directory. */
export async function readLabelledText(source: string, labels: readonly string[], split?: string): Promise<TextExample[]> {
  if (existsSync(source)) {
    return statSync(source).isDirectory() ? readLabelledFolder(source, labels) : readLabelledTable(source, labels);
  }
  const [name, s] = source.split(':') as [string, string | undefined];
  let manifest: ReturnType<typeof getManifest>;
  try {
    manifest = getManifest(name);
  } catch (e) {
    throw new DlkitError('NOT_FOUND', `--data ${JSON.stringify(source)} is neither a file, a folder nor a registered dataset.`, {
      hint: 'Pass a TSV/CSV path, an aclImdb-style folder (pos/ neg/), or a dataset name such as sst2 or imdb (`dlkit datasets list`).',
      cause: e,
    });
  }
  const ds = await loadDataset<TextExample>(name, { split: split ?? s ?? evalSplit(name) });
  const k = manifest.classes?.length ?? 2;
  if (k !== labels.length) throw new DlkitError('INVALID_INPUT', `Dataset ${name} has ${k} classes but the model has ${labels.length} (${labels.join(', ')}).`);
  const out: TextExample[] = [];
  for await (const e of ds) out.push(e);
  return out;
}

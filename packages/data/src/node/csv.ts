/**
 * CSV/TSV through csv-parse, strict: a row with the wrong number of fields is CORRUPT_DATA naming
 * the file and line. TSV defaults to no quoting (sentences contain bare quotes).
 */
import { type Options, parse } from 'csv-parse/sync';
import { corrupt } from '../errors.js';
import { readFileBytes } from './read.js';

export interface CsvOptions {
  /** Field delimiter; default ',' for .csv, '\t' for .tsv/.txt/.data. */
  delimiter?: string;
  /** First line is a header: rows come back as objects keyed by it. Default true. */
  header?: boolean;
  /** Quote character, or false for none (TSV default). */
  quote?: string | false;
  /** Name used in errors. */
  name?: string;
}

export function parseCsv(text: string, file: string, options: CsvOptions = {}): string[][] | Record<string, string>[] {
  const tsv = /\.(tsv|txt|data|all)$/i.test(file);
  const delimiter = options.delimiter ?? (tsv ? '\t' : ',');
  const quote = options.quote ?? (delimiter === '\t' ? false : '"');
  const opts: Options = {
    delimiter,
    quote: quote === false ? null : quote,
    columns: options.header ?? true,
    skip_empty_lines: true,
    relax_column_count: false,
    bom: true,
  };
  try {
    return parse(text, opts) as string[][] | Record<string, string>[];
  } catch (e) {
    const err = e as { lines?: number; code?: string; message: string };
    throw corrupt(options.name ?? file, err.lines ? `line ${err.lines}` : '', err.message, { line: err.lines, csvCode: err.code }, e);
  }
}

/** Read and parse a CSV/TSV file (see CsvOptions). */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<string[][] | Record<string, string>[]> {
  const text = new TextDecoder().decode(await readFileBytes(path));
  return parseCsv(text, path, options);
}

import { DlkitError } from '@dlkit/core';

/** CORRUPT_DATA naming the file and where in it (byte offset, line, entry) the problem is. */
export function corrupt(file: string, where: string, problem: string, details: Record<string, unknown> = {}, cause?: unknown): DlkitError {
  return new DlkitError('CORRUPT_DATA', `Corrupt data in ${file}${where ? ` at ${where}` : ''}: ${problem}`, {
    hint: 'Re-download or replace the file (dlkit datasets prepare <name> re-verifies checksums).',
    details: { file, ...details },
    cause,
  });
}

/**
 * The CLI output convention: human text on stdout (progress on stderr); with --json, the last
 * line of stdout is one JSON object with the results (or `{ "error": {...} }` on failure).
 */
import { isDlkitError } from '@dlkit/core';

export interface Output {
  json: boolean;
  log(message: string): void;
  result(value: Record<string, unknown>): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    log(message) {
      if (json) process.stderr.write(`${message}\n`);
      else process.stdout.write(`${message}\n`);
    },
    result(value) {
      if (json) process.stdout.write(`${JSON.stringify(value)}\n`);
    },
  };
}

/** Exit codes: 1 = the command failed (bad data, missing file...), 2 = bad usage. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function reportError(e: unknown, json: boolean): number {
  if (isDlkitError(e)) {
    process.stderr.write(`error: ${e.message}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
    return e.code === 'INVALID_OPTION' ? EXIT_USAGE : EXIT_FAILURE;
  }
  const err = e as Error;
  process.stderr.write(`error: ${err?.message ?? String(e)}\n`);
  if (process.env.DLKIT_DEBUG === '1' && err?.stack) process.stderr.write(`${err.stack}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { code: 'INTERNAL', message: err?.message ?? String(e) } })}\n`);
  return EXIT_FAILURE;
}

/**
 * The one error type dlkit throws for anything a user can fix: bad options, missing files,
 * corrupt data, absent backends. `code` is stable and machine-readable; `message` says what
 * is wrong; `hint` says how to fix it. Tests and apps match on `code`, people read the rest.
 */
export type DlkitErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_INPUT'
  | 'SHAPE_MISMATCH'
  | 'NOT_FOUND'
  | 'CORRUPT_DATA'
  | 'CHECKSUM_MISMATCH'
  | 'OFFLINE'
  | 'DOWNLOAD_FAILED'
  | 'BACKEND_UNAVAILABLE'
  | 'UNSUPPORTED'
  | 'IO_ERROR'
  | 'INTERRUPTED'
  | 'NUMERIC'
  | 'STATE';

export interface DlkitErrorOptions {
  /** How to fix it, in one sentence. Appended to the message. */
  hint?: string;
  /** Underlying error, kept for debugging (never shown as the headline). */
  cause?: unknown;
  /** Structured context: file, offset, option name, value... */
  details?: Record<string, unknown>;
}

export class DlkitError extends Error {
  readonly code: DlkitErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: DlkitErrorCode, message: string, options: DlkitErrorOptions = {}) {
    super(options.hint ? `${message} ${options.hint}` : message, { cause: options.cause });
    this.name = 'DlkitError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

export function isDlkitError(e: unknown, code?: DlkitErrorCode): e is DlkitError {
  return e instanceof DlkitError && (code === undefined || e.code === code);
}

/** `INVALID_OPTION` naming the option, the value received and what is allowed. */
export function invalidOption(name: string, value: unknown, allowed: string): DlkitError {
  return new DlkitError('INVALID_OPTION', `Invalid option ${name}: ${describeValue(value)}; expected ${allowed}.`, {
    details: { option: name, value },
  });
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  return Object.prototype.toString.call(value).slice(8, -1);
}

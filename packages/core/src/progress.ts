/**
 * One progress mechanism for all long work (training, downloads, dataset preparation,
 * evaluation): a TTY bar on a terminal, JSON lines otherwise, and a callback for apps.
 * Output goes to stderr so `--json` commands keep stdout for their result.
 * Hand-written rather than cli-progress: we need one event stream feeding three sinks
 * (bar, JSON lines, callback) and no redraw timer that keeps the process alive.
 */
import { env } from './config.js';

export interface ProgressEvent {
  /** What is running: 'download', 'epoch 3/10', 'prepare fashion-mnist' ... */
  label: string;
  current: number;
  total?: number;
  /** Extra numbers to show: loss, acc, bytes/s ... */
  metrics?: Record<string, number>;
  done?: boolean;
}

export type ProgressCallback = (event: ProgressEvent) => void;

export interface ProgressOptions {
  label: string;
  total?: number;
  /** 'auto' follows env.progress; a function receives every event instead of printing. */
  mode?: 'auto' | 'bar' | 'json' | 'none' | ProgressCallback;
  /** Unit shown in the bar: 'it', 'B', 'samples' ... */
  unit?: string;
  /** Where text goes (default process.stderr). */
  stream?: { write(s: string): unknown; isTTY?: boolean; columns?: number };
}

export interface Progress {
  update(current: number, metrics?: Record<string, number>): void;
  tick(delta?: number, metrics?: Record<string, number>): void;
  done(metrics?: Record<string, number>): void;
}

type Stream = NonNullable<ProgressOptions['stream']>;

function defaultStream(): Stream | undefined {
  const p = (globalThis as { process?: { stderr?: Stream } }).process;
  return p?.stderr;
}

export function createProgress(options: ProgressOptions): Progress {
  const mode = options.mode ?? 'auto';
  const stream = options.stream ?? defaultStream();
  let current = 0;
  let metrics: Record<string, number> = {};
  const started = Date.now();
  let lastDraw = 0;
  let finished = false;

  let emit: (final: boolean) => void;
  if (typeof mode === 'function') {
    emit = (final) => mode({ label: options.label, current, total: options.total, metrics, done: final || undefined });
  } else {
    const resolved = mode === 'auto' ? env.progress : mode;
    const kind = resolved === 'auto' ? (stream?.isTTY ? 'bar' : 'json') : resolved;
    if (kind === 'none' || !stream) emit = () => {};
    else if (kind === 'json') {
      emit = (final) => {
        const now = Date.now();
        // JSON lines are for logs: at most one per second plus the final one.
        if (!final && now - lastDraw < 1000) return;
        lastDraw = now;
        stream.write(
          `${JSON.stringify({ progress: options.label, current, total: options.total, ...metrics, done: final || undefined, elapsedS: +((now - started) / 1000).toFixed(2) })}\n`,
        );
      };
    } else {
      emit = (final) => {
        const now = Date.now();
        if (!final && now - lastDraw < 100) return;
        lastDraw = now;
        // \x1b[K clears what a longer previous line left behind.
        stream.write(`\r${renderBar(options, current, metrics, now - started, stream.columns ?? 100)}\x1b[K${final ? '\n' : ''}`);
      };
    }
  }

  return {
    update(value, m) {
      if (finished) return;
      current = value;
      if (m) metrics = { ...metrics, ...m };
      emit(false);
    },
    tick(delta = 1, m) {
      this.update(current + delta, m);
    },
    done(m) {
      if (finished) return;
      if (m) metrics = { ...metrics, ...m };
      if (options.total !== undefined) current = Math.max(current, options.total);
      finished = true;
      emit(true);
    },
  };
}

function fmtNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(4);
}

function fmtCount(v: number, unit?: string): string {
  if (unit === 'B') {
    const units = ['B', 'kB', 'MB', 'GB'];
    let i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return `${v.toFixed(i === 0 ? 0 : 1)}${units[i]}`;
  }
  return String(Math.round(v));
}

function fmtTime(ms: number): string {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Exported for tests: one line of the TTY bar. */
export function renderBar(
  options: Pick<ProgressOptions, 'label' | 'total' | 'unit'>,
  current: number,
  metrics: Record<string, number>,
  elapsedMs: number,
  columns: number,
): string {
  const m = Object.entries(metrics)
    .map(([k, v]) => `${k}=${fmtNumber(v)}`)
    .join(' ');
  const rate = elapsedMs > 0 ? (current / elapsedMs) * 1000 : 0;
  const counts =
    options.total !== undefined
      ? `${fmtCount(current, options.unit)}/${fmtCount(options.total, options.unit)}`
      : fmtCount(current, options.unit);
  let eta = '';
  if (options.total !== undefined && rate > 0 && current < options.total) {
    eta = ` eta ${fmtTime(((options.total - current) / rate) * 1000)}`;
  }
  const tail = ` ${counts} ${fmtTime(elapsedMs)}${eta} ${m}`.trimEnd();
  const head = `${options.label} `;
  if (options.total === undefined || options.total <= 0) return (head + tail).slice(0, columns - 1);
  const width = Math.max(10, Math.min(30, columns - head.length - tail.length - 3));
  const frac = Math.min(1, current / options.total);
  const filled = Math.round(frac * width);
  return `${head}[${'█'.repeat(filled)}${'·'.repeat(width - filled)}]${tail}`.slice(0, columns - 1);
}

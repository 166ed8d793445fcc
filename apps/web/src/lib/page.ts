/**
 * What every page gets: its root element, the backend report, a status line with download
 * progress, a perf readout, and `ready()` / `fail()` that tests (and people) can see:
 * `<main data-state="loading|ready|error">`.
 */
import type { BackendReport } from '@dlkit/core';
import { bytes, errorText, h } from './dom.js';
import type { OnProgress } from './fetch.js';

export class PageContext {
  readonly status: HTMLElement;
  readonly perfEl: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly samples = new Map<string, number[]>();

  constructor(
    readonly main: HTMLElement,
    readonly root: HTMLElement,
    readonly report: BackendReport,
  ) {
    this.bar = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Download progress' });
    this.status = h('span', { role: 'status', 'aria-live': 'polite' });
    this.perfEl = h('span', { class: 'perf', 'data-testid': 'perf' });
    const ran = h('span', { class: 'ran-on', 'data-testid': 'ran-on', 'data-backend': report.selected }, `ran on ${report.selected}`);
    root.append(h('div', { class: 'statusbar' }, this.bar, this.status, this.perfEl, ran));
    main.dataset.state = 'loading';
  }

  say(text: string): void {
    this.status.textContent = text;
  }

  /** Downloads are over: hide the progress bar and clear the status line. */
  idle(text = ''): void {
    this.bar.hidden = true;
    this.say(text);
  }

  /** A progress callback for one named download. */
  progress(what: string): OnProgress {
    return ({ loaded, total }) => {
      this.bar.hidden = false;
      if (total > 0) {
        this.bar.max = total;
        this.bar.value = Math.min(loaded, total);
        this.say(`Downloading ${what}: ${bytes(loaded)} / ${bytes(total)}`);
      } else {
        this.bar.removeAttribute('value');
        this.say(`Downloading ${what}: ${bytes(loaded)}`);
      }
      if (total > 0 && loaded >= total) this.bar.hidden = true;
    };
  }

  /** Times `fn` (which should await its results) and shows the running median. */
  async timed<T>(what: string, fn: () => Promise<T>, per = 1, unit = 'inference'): Promise<T> {
    const t0 = performance.now();
    const out = await fn();
    const ms = (performance.now() - t0) / per;
    const list = this.samples.get(what) ?? [];
    list.push(ms);
    if (list.length > 30) list.shift();
    this.samples.set(what, list);
    const med = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    this.perfEl.textContent = `${what}: ${med.toFixed(1)} ms / ${unit}${per > 1 ? ` (${Math.round(1000 / med)} / s)` : ''}`;
    this.perfEl.dataset.ms = med.toFixed(3);
    return out;
  }

  ready(text = ''): void {
    this.bar.hidden = true;
    this.say(text);
    this.main.dataset.state = 'ready';
  }

  fail(e: unknown, what = 'This demo'): void {
    this.bar.hidden = true;
    this.say('');
    console.warn(e);
    this.root.prepend(h('div', { class: 'error', role: 'alert' }, h('strong', {}, `${what} failed: `), errorText(e)));
    this.main.dataset.state = 'error';
  }
}

/** A labelled section card. */
export function card(title: string, ...children: (Node | string)[]): HTMLElement {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...children);
}

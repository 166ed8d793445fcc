/**
 * Speech: drop a WAV or record from the microphone → its log-mel spectrogram, the keyword
 * spotter's top-3, keyword events from sliding-window detection over the whole recording, and
 * openWakeWord wake-word events (also live from the microphone: wake-word.ts).
 * Models: models/fsdd-digits (spoken digits, MFCC CNN) and models/speech-commands-kws (12 commands,
 * a head over openWakeWord's frozen speech embedding, run with onnxruntime-web).
 */
import { FeatureExtractor, KeywordSpotter, readAudio } from '@dlkit/speech';
import { bars } from '../lib/bars.js';
import { errorText, h } from '../lib/dom.js';
import { installBrowserHooks, setHookProgress } from '../lib/hooks.js';
import { micAvailable, micErrorText } from '../lib/mic-stream.js';
import { loadOpenWakeWord } from '../lib/oww.js';
import { card, type PageContext } from '../lib/page.js';
import { drawSpectrogram } from '../lib/spectrogram.js';
import { wakeWordCard } from './wake-word.js';

const MODELS = [
  { dir: 'fsdd-digits', title: 'fsdd-digits — spoken digits 0–9', embedding: false },
  { dir: 'speech-commands-kws', title: 'speech-commands-kws — yes/no/up/down/left/right/on/off/stop/go', embedding: true },
];
const RECORD_MS = 1500;

type Audio = { bytes: Uint8Array; name: string } | { samples: Float32Array; sampleRate: number; name: string };

export async function render(ctx: PageContext): Promise<void> {
  installBrowserHooks();
  const spotters = new Map<string, Promise<KeywordSpotter>>();
  const load = (dir: string) => {
    let p = spotters.get(dir);
    if (!p) {
      setHookProgress(ctx.progress(dir));
      // The embedding spotter shares the page's openWakeWord sessions instead of opening its own.
      const shared = MODELS.find((m) => m.dir === dir)?.embedding;
      p = (async () => KeywordSpotter.load(`/models/${dir}/`, shared ? { embedder: await loadOpenWakeWord() } : {}))();
      spotters.set(dir, p);
      p.then(
        () => ctx.idle(),
        () => spotters.delete(dir),
      );
    }
    return p;
  };
  const select = h('select', { id: 'kws-model' }, ...MODELS.map((m) => h('option', { value: m.dir }, m.title)));
  const fileInput = h('input', { type: 'file', accept: '.wav,audio/wav,audio/x-wav', id: 'wav-file', 'data-testid': 'wav-file' });
  const drop = h('label', { class: 'drop', for: 'wav-file' }, h('span', {}, 'Drop a WAV file here, or click to choose one'), fileInput);
  const recordBtn = h('button', { type: 'button', id: 'record' }, `Record ${RECORD_MS / 1000} s`);
  const micNote = h('p', { class: 'meta', 'aria-live': 'polite' });
  const spec = h('canvas', { class: 'spectrogram', role: 'img', 'aria-label': 'Log-mel spectrogram of the audio', hidden: true });
  const specNote = h('p', { class: 'meta' });
  const out = h('div', { class: 'result', 'data-testid': 'kws-result', 'aria-live': 'polite' }, h('p', { class: 'empty' }, 'No audio yet: drop a WAV or record from the microphone.'));
  const events = h('div', { class: 'result', 'data-testid': 'kws-events' });
  const cardNote = h('p', { class: 'meta' });
  let last: Audio | undefined;
  const wake = wakeWordCard(ctx);

  async function analyse(audio: Audio): Promise<void> {
    last = audio;
    const wakeDone = wake.detectIn('bytes' in audio ? audio.bytes : { samples: audio.samples, sampleRate: audio.sampleRate }, audio.name);
    try {
      const kws = await load(select.value);
      const m = kws.info;
      const input = 'bytes' in audio ? audio.bytes : audio.samples;
      const rate = 'bytes' in audio ? {} : { inputSampleRate: audio.sampleRate };
      const { samples, sampleRate } = await readAudio(input, { sampleRate: kws.sampleRate, ...rate, name: audio.name });
      // A spotter over openWakeWord embeddings has no tfjs features of its own: show default log-mels.
      const fx = new FeatureExtractor({ ...(m.features ?? { sampleRate }), kind: 'log-mel', normalize: false });
      try {
        const { data, shape } = await fx.computeOne(samples);
        drawSpectrogram(spec, data, shape);
        spec.hidden = false;
        specNote.textContent = `${audio.name}: ${(samples.length / sampleRate).toFixed(2)} s at ${sampleRate} Hz, ${fx.options.nMels} mel bands`;
      } finally {
        fx.dispose();
      }
      const top = await ctx.timed('kws', () => kws.predict(samples, { topK: 3, inputSampleRate: sampleRate }));
      out.dataset.for = `${select.value}:${audio.name}`;
      out.replaceChildren(h('p', { class: 'answer' }, 'Heard ', h('strong', { 'data-testid': 'kws-label' }, top[0]!.label), ` (${(top[0]!.score * 100).toFixed(1)}%)`), bars(top, top[0]!.label));
      const ev = await kws.detect(samples, { inputSampleRate: sampleRate });
      events.replaceChildren(
        h('h3', {}, 'Keyword events (sliding window)'),
        ev.length
          ? h('ul', { class: 'events' }, ...ev.map((e) => h('li', {}, h('strong', {}, e.keyword), ` at ${(e.startMs / 1000).toFixed(2)}–${(e.endMs / 1000).toFixed(2)} s (${(e.score * 100).toFixed(0)}%)`)))
          : h('p', { class: 'empty' }, 'No keyword passed the detection threshold.'),
      );
    } catch (e) {
      out.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      events.replaceChildren();
    }
    await wakeDone;
  }

  fileInput.addEventListener('change', async () => {
    const f = fileInput.files?.[0];
    if (f) await analyse({ bytes: new Uint8Array(await f.arrayBuffer()), name: f.name });
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) await analyse({ bytes: new Uint8Array(await f.arrayBuffer()), name: f.name });
  });
  select.addEventListener('change', async () => {
    const kws = await load(select.value).catch(() => undefined);
    if (kws) cardNote.textContent = describe(select.value, kws);
    if (last) await analyse(last);
  });
  recordBtn.addEventListener('click', async () => {
    if (!micAvailable()) {
      micNote.textContent = 'This browser offers no microphone here (it needs https or localhost). Drop a WAV instead.';
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      micNote.textContent = micErrorText(e);
      return;
    }
    recordBtn.disabled = true;
    micNote.textContent = 'Recording… say a digit or a command.';
    const rec = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((r) => {
      rec.onstop = r;
    });
    rec.start();
    await new Promise((r) => setTimeout(r, RECORD_MS));
    rec.stop();
    await stopped;
    for (const t of stream.getTracks()) t.stop();
    recordBtn.disabled = false;
    micNote.textContent = '';
    try {
      const ac = new AudioContext();
      const buf = await ac.decodeAudioData(await new Blob(chunks).arrayBuffer());
      await ac.close();
      await analyse({ samples: buf.getChannelData(0).slice(), sampleRate: buf.sampleRate, name: 'microphone' });
    } catch (e) {
      micNote.textContent = `Could not decode the recording: ${errorText(e)}`;
    }
  });

  ctx.root.append(
    h('h1', {}, 'Speech'),
    h(
      'p',
      { class: 'lead' },
      'Keyword spotting with ',
      h('code', {}, '@dlkit/speech'),
      ': features (STFT → mel → MFCC) and the CNN run in tfjs in this tab; the wake-word detector and the command spotter’s speech embedding run on onnxruntime-web.',
    ),
    h(
      'div',
      { class: 'grid2' },
      card('Audio', h('div', { class: 'row' }, h('label', { for: 'kws-model' }, 'Model '), select), drop, h('div', { class: 'row mic' }, recordBtn, micNote), cardNote),
      card('What the model hears', spec, specNote, out, events),
    ),
    wake.element,
  );
  const kws = await load('fsdd-digits');
  cardNote.textContent = describe('fsdd-digits', kws);
  setHookProgress(undefined);
  ctx.ready('Model loaded: drop a WAV or record.');
  // openWakeWord (≈ 2.5 MB of ONNX + the onnxruntime wasm) loads once the page is usable.
  await wake.load();
}

function describe(dir: string, kws: KeywordSpotter): string {
  const front = kws.info.pretrained ? `a conv head over ${kws.info.pretrained === 'openwakeword' ? 'openWakeWord' : kws.info.pretrained}’s frozen speech embedding` : kws.info.arch;
  return `${dir}: ${kws.labels.length} classes, ${kws.info.clipMs} ms clips at ${kws.sampleRate} Hz (${front}).`;
}

/**
 * Vision: draw a digit → the release MNIST CNN (or the DoodleNet transfer model) with live
 * probabilities; drop a photo → DarkNet-tiny's ImageNet top-5.
 */
import { ImageClassifier } from '@dlkit/vision';
import { bars } from '../lib/bars.js';
import { errorText, h } from '../lib/dom.js';
import { drawPad } from '../lib/draw-pad.js';
import { installBrowserHooks, setHookProgress } from '../lib/hooks.js';
import { card, type PageContext } from '../lib/page.js';
import { teachCard } from './vision-teach.js';

const DIGIT_MODELS = [
  { dir: 'mnist-cnn', title: 'mnist-cnn (CNN from scratch)' },
  { dir: 'mnist-from-doodlenet', title: 'mnist-from-doodlenet (fine-tuned DoodleNet)' },
];

export async function render(ctx: PageContext): Promise<void> {
  installBrowserHooks();
  const models = new Map<string, Promise<ImageClassifier>>();
  const loadDigits = (dir: string) => {
    let m = models.get(dir);
    if (!m) {
      setHookProgress(ctx.progress(dir));
      m = ImageClassifier.load(`/models/${dir}/`);
      models.set(dir, m);
    }
    return m;
  };

  // — Draw a digit —
  const select = h('select', { id: 'digit-model' }, ...DIGIT_MODELS.map((m) => h('option', { value: m.dir }, m.title)));
  const result = h('div', { class: 'result', 'data-testid': 'digit-result', 'aria-live': 'polite' }, h('p', { class: 'empty' }, 'Draw a digit (0–9) in the box.'));
  const preview = h('canvas', { width: 28, height: 28, class: 'preview', 'aria-label': 'What the model sees (28×28)' });
  let busy = false;
  let again = false;
  const classify = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    result.dataset.busy = '';
    try {
      const img = pad.framed();
      if (!img) {
        result.replaceChildren(h('p', { class: 'empty' }, 'Draw a digit (0–9) in the box.'));
        return;
      }
      preview.getContext('2d')!.drawImage(img, 0, 0);
      const clf = await loadDigits(select.value);
      const top = await ctx.timed('digit', () => clf.predict(img, { topK: 10 }));
      const sorted = [...top].sort((a, b) => Number(a.label) - Number(b.label));
      result.replaceChildren(
        h('p', { class: 'answer' }, 'It’s a ', h('strong', { 'data-testid': 'top-label' }, top[0]!.label), ` (${(top[0]!.score * 100).toFixed(1)}%)`),
        bars(sorted, top[0]!.label),
      );
    } catch (e) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    } finally {
      busy = false;
      if (again) {
        again = false;
        void classify();
      } else delete result.dataset.busy; // settled: shows the latest drawing
    }
  };
  let frame = 0;
  const pad = drawPad(280, (final) => {
    cancelAnimationFrame(frame);
    if (final) void classify();
    else frame = requestAnimationFrame(() => void classify());
  }, 'Drawing pad: draw a digit with the mouse, pen or finger');
  select.addEventListener('change', () => void classify());
  const clearBtn = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        pad.clear();
        void classify();
      },
    },
    'Clear',
  );

  // — Photo top-5 —
  const photoOut = h('div', { class: 'result', 'data-testid': 'photo-result', 'aria-live': 'polite' }, h('p', { class: 'empty' }, 'No photo yet: choose or drop a JPEG/PNG/WebP.'));
  const img = h('img', { class: 'photo', alt: '', hidden: true });
  let darknet: Promise<ImageClassifier> | undefined;
  const classifyPhoto = async (file: File) => {
    if (!/^image\//.test(file.type)) {
      photoOut.replaceChildren(h('p', { class: 'error', role: 'alert' }, `“${file.name}” is not an image (${file.type || 'unknown type'}). Choose a JPEG, PNG or WebP.`));
      return;
    }
    const url = URL.createObjectURL(file);
    img.src = url;
    try {
      await img.decode();
    } catch {
      photoOut.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not decode “${file.name}”: the file is damaged or in a format this browser cannot read.`));
      return;
    }
    img.hidden = false;
    img.alt = file.name;
    try {
      photoOut.replaceChildren(h('p', { class: 'empty' }, 'Loading DarkNet-tiny…'));
      setHookProgress(ctx.progress('darknet-tiny'));
      darknet ??= ImageClassifier.fromPretrained('darknet-tiny');
      const clf = await darknet;
      setHookProgress(undefined);
      ctx.idle();
      const top = await ctx.timed('darknet-tiny', () => clf.predict(img, { topK: 5 }));
      photoOut.replaceChildren(bars(top, top[0]!.label));
    } catch (e) {
      darknet = undefined;
      photoOut.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    }
  };
  const fileInput = h('input', { type: 'file', accept: 'image/*', id: 'photo-file' });
  fileInput.addEventListener('change', () => fileInput.files?.[0] && void classifyPhoto(fileInput.files[0]));
  const drop = h('label', { class: 'drop', for: 'photo-file' }, h('span', {}, 'Drop a photo here, or click to choose one'), fileInput);
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void classifyPhoto(f);
  });

  ctx.root.append(
    h('h1', {}, 'Vision'),
    h('p', { class: 'lead' }, 'Image classification with ', h('code', {}, '@dlkit/vision'), ': the release MNIST checkpoints and a pretrained ImageNet network, in this tab.'),
    h(
      'div',
      { class: 'grid2' },
      card(
        'Draw a digit',
        h('div', { class: 'row' }, h('label', { for: 'digit-model' }, 'Model '), select, clearBtn),
        h('div', { class: 'pad-row' }, pad.canvas, h('figure', {}, preview, h('figcaption', {}, 'model input'))),
        result,
      ),
      card('Photo → ImageNet top-5 (DarkNet-tiny)', drop, img, photoOut),
    ),
    teachCard(ctx),
  );
  ctx.say('Loading mnist-cnn…');
  await loadDigits('mnist-cnn');
  setHookProgress(undefined);
  ctx.ready('Model loaded: draw away.');
}

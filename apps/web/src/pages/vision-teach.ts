/**
 * "Teach it your own doodles": draw a few examples per class, fine-tune DoodleNet in the tab
 * (frozen base, cached features, new head) with a live loss/accuracy chart, then the pad is
 * classified by the fine-tuned model as you draw.
 */
import { ImageClassifier } from '@dlkit/vision';
import { bars } from '../lib/bars.js';
import { errorText, h } from '../lib/dom.js';
import { drawPad } from '../lib/draw-pad.js';
import { setHookProgress } from '../lib/hooks.js';
import { drawLineChart } from '../lib/line-chart.js';
import { card, type PageContext } from '../lib/page.js';

const CLASSES = ['circle', 'cross', 'wave'];

/** @dlkit/data's ImageExample (what fineTune iterates): raw pixel values, [h, w, c], class index. */
interface ImageExample {
  image: Float32Array;
  shape: [number, number, number];
  label: number;
}
const EPOCHS = 12;

/** The framed 28×28 drawing as raw 0–255 gray pixels (what toImageSet / fineTune take). */
function grayExample(c: HTMLCanvasElement, label: number): ImageExample {
  const d = c.getContext('2d')!.getImageData(0, 0, 28, 28).data;
  const image = new Float32Array(28 * 28);
  for (let i = 0; i < image.length; i++) image[i] = d[i * 4]!;
  return { image, shape: [28, 28, 1], label };
}

export function teachCard(ctx: PageContext): HTMLElement {
  const examples: ImageExample[] = [];
  const counts = CLASSES.map(() => h('span', { class: 'count' }, '0'));
  let clf: ImageClassifier | undefined;
  const out = h('div', { class: 'result', 'aria-live': 'polite', 'data-testid': 'teach-result' }, h('p', { class: 'empty' }, 'Draw an example, add it to a class; three or more per class, then Train.'));
  let busy = false;
  const predict = async () => {
    const img = pad.framed();
    if (!clf || !img || busy) return;
    busy = true;
    try {
      const top = await clf.predict(img, { topK: CLASSES.length });
      out.replaceChildren(h('p', { class: 'answer' }, 'Looks like a ', h('strong', { 'data-testid': 'teach-label' }, top[0]!.label)), bars(top, top[0]!.label));
    } finally {
      busy = false;
    }
  };
  const pad = drawPad(200, (final) => final && void predict(), 'Drawing pad for your own classes');
  pad.canvas.dataset.testid = 'teach-pad';
  const addButtons = CLASSES.map((name, i) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'data-class': name,
        onclick: () => {
          const img = pad.framed();
          if (!img) return;
          examples.push(grayExample(img, i));
          counts[i]!.textContent = String(examples.filter((e) => e.label === i).length);
          pad.clear();
          trainBtn.disabled = CLASSES.some((_, k) => examples.filter((e) => e.label === k).length < 1);
        },
      },
      `Add to “${name}” (`,
      counts[i]!,
      ')',
    ),
  );
  const chart = h('canvas', { width: 460, height: 180, class: 'chart', role: 'img', 'aria-label': 'Training loss and accuracy per epoch' });
  const status = h('p', { class: 'meta', 'aria-live': 'polite' });
  const trainBtn = h('button', { type: 'button', id: 'teach-train', disabled: true }, 'Train');
  trainBtn.addEventListener('click', async () => {
    trainBtn.disabled = true;
    const loss: number[] = [];
    const acc: number[] = [];
    try {
      clf?.dispose();
      status.textContent = 'Loading DoodleNet…';
      setHookProgress(ctx.progress('doodlenet'));
      // The pad is white-on-black like MNIST, so DoodleNet's own inversion is turned off.
      clf = await ImageClassifier.fromPretrained('doodlenet', { classes: CLASSES, preprocessing: { invert: false }, seed: 0 });
      setHookProgress(undefined);
      ctx.idle();
      const t0 = performance.now();
      await clf.fineTune(examples, {
        freezeEpochs: EPOCHS,
        epochs: 0,
        batchSize: 16,
        baseLr: 3e-3,
        callbacks: [
          {
            onEpochEnd: async (epoch, logs) => {
              loss.push(Number(logs.loss));
              acc.push(Number(logs.acc ?? logs.accuracy) * 100);
              drawLineChart(chart, [
                // Loss has no fixed scale: plot it as a share of the first epoch's, on the accuracy axis.
                { label: 'loss, % of epoch 1', color: '#dc2626', values: loss.map((l) => (100 * l) / (loss[0] || 1)) },
                { label: 'train accuracy %', color: '#2563eb', values: acc },
              ], { yMin: 0, yMax: 100, xLabel: 'epoch' });
              status.textContent = `epoch ${epoch + 1}/${EPOCHS}: loss ${Number(logs.loss).toFixed(3)}, accuracy ${acc.at(-1)!.toFixed(0)}%`;
              await new Promise((r) => setTimeout(r, 0));
            },
          },
        ],
      });
      status.textContent += ` · trained on ${examples.length} drawings in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${ctx.report.selected}. Draw to test it.`;
      chart.dataset.epochs = String(loss.length);
      out.replaceChildren(h('p', { class: 'empty' }, 'Draw something to classify it.'));
    } catch (e) {
      status.replaceChildren(h('span', { class: 'error', role: 'alert' }, errorText(e)));
    } finally {
      trainBtn.disabled = false;
    }
  });
  return card(
    'Teach it your own doodles (fine-tunes DoodleNet here)',
    h('div', { class: 'pad-row' }, pad.canvas, h('div', { class: 'teach-controls' }, ...addButtons, h('button', { type: 'button', class: 'secondary', onclick: () => pad.clear() }, 'Clear'), trainBtn)),
    chart,
    status,
    out,
  );
}

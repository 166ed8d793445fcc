/**
 * Sentiment: type text → label and score from two release classifiers side by side, updated as
 * you type (debounced; stale answers are dropped).
 */
import type { SentimentClassifier, SentimentPrediction } from '@dlkit/text';
import { bars } from '../lib/bars.js';
import { errorText, h } from '../lib/dom.js';
import { card, type PageContext } from '../lib/page.js';
import { loadSentiment } from '../lib/task-loaders.js';

const MODELS = [
  { dir: 'sst2-sentiment', title: 'sst2-sentiment — CNN + LM-pretrained BiGRU + sentence-encoder head, averaged' },
  { dir: 'imdb-sentiment', title: 'imdb-sentiment — fastText on IMDb reviews' },
  { dir: 'sst2-transformer-mlm', title: 'sst2-transformer-mlm — small Transformer, MLM-pretrained' },
];
const EXAMPLES = ['I loved it', 'A dull, lifeless mess that wastes a fine cast.', 'Not bad at all, actually rather charming.', 'The plot was predictable but the acting was superb.'];

export async function render(ctx: PageContext): Promise<void> {
  const loaded = new Map<string, Promise<{ classifier: SentimentClassifier; accuracy?: number }>>();
  const load = (dir: string) => {
    let p = loaded.get(dir);
    if (!p) {
      p = loadSentiment(`/models/${dir}/`, ctx.progress(dir)).then(({ classifier, card: c }) => ({ classifier, accuracy: c.metrics?.accuracy as number | undefined }));
      loaded.set(dir, p);
    }
    return p;
  };
  const input = h('textarea', { id: 'sentiment-text', rows: 3, placeholder: 'Type a sentence or a review…', 'data-testid': 'text' });
  input.value = EXAMPLES[0]!;
  const chips = h('div', { class: 'row chips' }, h('span', { class: 'muted' }, 'Try:'), ...EXAMPLES.map((ex) => h('button', { type: 'button', class: 'secondary chip', onclick: () => {
          input.value = ex;
          update();
        },
      }, ex)));

  const sides = [0, 1].map((i) => {
    const select = h('select', { id: `sentiment-model-${i}`, 'aria-label': `Model ${i + 1}` }, ...MODELS.map((m, j) => h('option', { value: m.dir, selected: j === i }, m.title)));
    const out = h('div', { class: 'result', 'data-testid': `sentiment-${i}`, 'aria-live': 'polite' });
    const note = h('p', { class: 'meta' });
    select.addEventListener('change', () => update());
    return { select, out, note, el: card(`Model ${i + 1}`, select, out, note) };
  });

  let seq = 0;
  let timer = 0;
  const show = (out: HTMLElement, p: SentimentPrediction) => {
    const scored = Object.entries(p.scores).map(([label, score], index) => ({ label, score, index }));
    out.replaceChildren(h('p', { class: `answer sentiment-${p.label}` }, h('strong', { 'data-testid': 'label' }, p.label), ` ${(p.score * 100).toFixed(1)}%`), bars(scored, p.label));
  };
  async function run(): Promise<void> {
    const my = ++seq;
    const text = input.value.trim();
    await Promise.all(
      sides.map(async (s) => {
        if (!text) {
          s.out.replaceChildren(h('p', { class: 'empty' }, 'Type something to classify.'));
          return;
        }
        try {
          const { classifier, accuracy } = await load(s.select.value);
          const p = await ctx.timed('sentiment', () => classifier.predict(text));
          if (my !== seq) return;
          show(s.out, p);
          s.note.textContent = accuracy !== undefined ? `Held-out accuracy (model card): ${(accuracy * 100).toFixed(1)}%` : '';
        } catch (e) {
          s.out.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
        }
      }),
    );
  }
  function update(): void {
    clearTimeout(timer);
    timer = window.setTimeout(() => void run(), 120);
  }
  input.addEventListener('input', update);

  ctx.root.append(
    h('h1', {}, 'Sentiment'),
    h('p', { class: 'lead' }, 'Text classification with ', h('code', {}, '@dlkit/text'), ': release checkpoints trained on SST-2 and IMDb, compared side by side as you type.'),
    card('Your text', h('label', { for: 'sentiment-text', class: 'sr-only' }, 'Text to classify'), input, chips),
    h('div', { class: 'grid2' }, ...sides.map((s) => s.el)),
  );
  await run();
  ctx.ready();
}

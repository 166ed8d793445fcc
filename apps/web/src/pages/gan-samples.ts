/**
 * The generative page's GAN cards: the Fashion-MNIST DCGAN's samples and the conditional GAN's
 * (ACGAN) samples of a chosen class, from models/fashion-mnist-dcgan and models/fashion-mnist-cgan.
 * A checkout without a release shows that plainly (with the command that trains it) instead of an error.
 */
import { type Gan, tileImages } from '@dlkit/generative';
import { errorText, h } from '../lib/dom.js';
import { paintGrid } from '../lib/grid-canvas.js';
import { card, type PageContext } from '../lib/page.js';
import { loadGan } from '../lib/task-loaders.js';

export interface GanCard {
  element: HTMLElement;
  load(): Promise<void>;
}

const N = 32;

export function ganCard(ctx: PageContext, dir: string, title: string): GanCard {
  const canvas = h('canvas', { class: 'grid-img', 'data-testid': `gan-${dir}`, role: 'img', 'aria-label': `${title}: samples`, hidden: true });
  const status = h('p', { class: 'meta', 'data-testid': `gan-${dir}-status`, 'aria-live': 'polite' }, `Loading models/${dir}…`);
  const more = h('button', { type: 'button', class: 'secondary', disabled: true }, 'New samples');
  const label = h('select', { id: `gan-${dir}-label`, hidden: true });
  const labelText = h('label', { for: `gan-${dir}-label`, hidden: true }, 'Class ');
  const element = card(title, h('div', { class: 'row' }, labelText, label, more), canvas, status);
  element.setAttribute('data-testid', `gan-card-${dir}`);
  let seed = 0;

  async function draw(gan: Gan): Promise<void> {
    seed++;
    const cls = gan.conditional ? Number(label.value) : undefined;
    await ctx.timed(`${dir} ${N} samples`, async () => {
      const images = gan.sample({ n: N, seed, ...(cls !== undefined ? { label: cls } : {}) });
      try {
        const [n, hgt, w, c] = images.shape;
        paintGrid(canvas, tileImages((await images.data()) as Float32Array, [hgt, w, c], n, { cols: 8, scale: 2, pad: 2 }));
      } finally {
        images.dispose();
      }
    }, N, 'image');
    canvas.dataset.seed = String(seed);
    if (cls !== undefined) canvas.dataset.label = label.selectedOptions[0]?.textContent ?? String(cls);
  }

  async function load(): Promise<void> {
    let gan: Gan;
    let metrics: Record<string, unknown>;
    let labels: string[] | undefined;
    try {
      const r = await loadGan(`/models/${dir}/`, ctx.progress(dir));
      gan = r.gan;
      metrics = (r.card.metrics?.samples ?? {}) as Record<string, unknown>;
      labels = r.card.labels;
    } catch (e) {
      if ((e as { code?: string }).code === 'NOT_FOUND') {
        element.dataset.state = 'unreleased';
        status.replaceChildren(
          h('strong', {}, 'Not released yet. '),
          `This checkout has no models/${dir}; the generative package's README has the command that trains it, and this card shows its samples once the folder exists.`,
        );
      } else {
        element.dataset.state = 'error';
        status.replaceChildren(h('span', { class: 'error', role: 'alert' }, `models/${dir} could not load: ${errorText(e)}`));
      }
      return;
    }
    if (gan.conditional) {
      const names = labels ?? Array.from({ length: gan.options.classes }, (_, i) => String(i));
      label.replaceChildren(...names.map((l, i) => h('option', { value: i }, l)));
      label.hidden = false;
      labelText.hidden = false;
      label.addEventListener('change', () => void draw(gan));
    }
    more.disabled = false;
    more.addEventListener('click', () => void draw(gan));
    canvas.hidden = false;
    await draw(gan);
    const f = typeof metrics.frechet === 'number' ? `Fréchet distance ${metrics.frechet} on fashion-mnist-cnn features` : undefined;
    const acc = typeof metrics.classAccuracy === 'number' ? `class accuracy ${(metrics.classAccuracy * 100).toFixed(1)}%` : undefined;
    status.textContent = [`latent ${gan.options.latentDim}`, f, acc].filter(Boolean).join(' · ');
    element.dataset.state = 'ready';
  }

  return { element, load };
}

/**
 * Generative: the release MNIST VAE (models/mnist-vae) — a sample grid from the prior, latent
 * sliders decoded live, spherical interpolation between two samples — the pretrained QuickDraw
 * CVAE generating doodles of a chosen class, and the Fashion-MNIST GANs (gan-samples.ts).
 */

import { Rng, tf } from '@dlkit/core';
import { type Cvae, interpolatePath, PRETRAINED, setPretrainedLoader, tileImages } from '@dlkit/generative';
import { errorText, h } from '../lib/dom.js';
import { fetchJson } from '../lib/fetch.js';
import { paintGrid } from '../lib/grid-canvas.js';
import { pretrainedBase } from '../lib/hooks.js';
import { card, type PageContext } from '../lib/page.js';
import { loadVae } from '../lib/task-loaders.js';
import { ganCard } from './gan-samples.js';

const SLIDERS = 8;

/** Decodes latents [n, d] and paints them as a grid. */
async function paint(canvas: HTMLCanvasElement, images: tf.Tensor4D, cols: number, scale = 2): Promise<void> {
  try {
    const [n, hgt, w, c] = images.shape;
    paintGrid(canvas, tileImages((await images.data()) as Float32Array, [hgt, w, c], n, { cols, scale, pad: 2 }));
  } finally {
    images.dispose();
  }
}

export async function render(ctx: PageContext): Promise<void> {
  // Pretrained generators come from this server's /pretrained/ (or their canonical URL).
  setPretrainedLoader(async (spec) => {
    const base = await pretrainedBase(spec.folder, spec.baseUrl, spec.manifest);
    const manifest = await fetchJson<{ model: string; labels: string[] }>(base + spec.manifest);
    const progress = ctx.progress(spec.folder);
    const model = await tf.loadLayersModel(base + manifest.model, { onProgress: (f) => progress({ url: base, loaded: f, total: 1 }) });
    return { model, labels: manifest.labels };
  });

  const samples = h('canvas', { class: 'grid-img', 'data-testid': 'vae-samples', role: 'img', 'aria-label': '64 samples from the VAE prior' });
  const seedLabel = h('span', { class: 'meta' });
  let seed = 1;
  const resample = h('button', { type: 'button' }, 'New samples');
  const temperature = h('input', { type: 'range', min: 0.2, max: 1.5, step: 0.1, value: 1, id: 'vae-temp' });

  const sliderCanvas = h('canvas', { class: 'grid-img big', role: 'img', 'aria-label': 'Image decoded from the latent sliders' });
  const sliders = Array.from({ length: SLIDERS }, (_, i) => h('input', { type: 'range', min: -3, max: 3, step: 0.05, value: 0, id: `z${i}`, 'aria-label': `latent z${i}` }));
  const randomZ = h('button', { type: 'button', class: 'secondary' }, 'Random point');

  const interp = h('canvas', { class: 'grid-img', role: 'img', 'aria-label': 'Spherical interpolation between two samples' });
  const interpBtn = h('button', { type: 'button', class: 'secondary' }, 'New endpoints');

  const cvaeCanvas = h('canvas', { class: 'grid-img', 'data-testid': 'cvae-samples', role: 'img', 'aria-label': 'QuickDraw CVAE samples' });
  const cvaeLabel = h('select', { id: 'cvae-label' });
  const cvaeBtn = h('button', { type: 'button', class: 'secondary' }, 'More');
  const cvaeStatus = h('p', { class: 'meta', 'aria-live': 'polite' });
  const gans = [ganCard(ctx, 'fashion-mnist-dcgan', 'Fashion-MNIST DCGAN: samples'), ganCard(ctx, 'fashion-mnist-cgan', 'Fashion-MNIST conditional GAN (ACGAN): pick a class')];

  ctx.root.append(
    h('h1', {}, 'Generative models'),
    h('p', { class: 'lead' }, 'Variational autoencoders and GANs from ', h('code', {}, '@dlkit/generative'), ', generating in this tab.'),
    h(
      'div',
      { class: 'grid2' },
      card('MNIST VAE: samples from the prior', h('div', { class: 'row' }, resample, h('label', { for: 'vae-temp' }, 'temperature '), temperature, seedLabel), samples),
      card('Latent sliders (first 8 of 32 dimensions)', h('div', { class: 'sliders-row' }, sliderCanvas, h('div', { class: 'sliders' }, ...sliders.map((s) => h('label', {}, s)))), randomZ),
      card('Interpolation (spherical, 10 steps)', interpBtn, interp),
      card('QuickDraw CVAE (pretrained): pick a class', h('div', { class: 'row' }, h('label', { for: 'cvae-label' }, 'Class '), cvaeLabel, cvaeBtn), cvaeCanvas, cvaeStatus),
      ...gans.map((g) => g.element),
    ),
  );

  const { vae, card: c } = await loadVae('/models/mnist-vae/', ctx.progress('mnist-vae'));
  const m = c.metrics ?? {};
  const d = vae.latentDim;
  const drawSamples = () =>
    ctx.timed('vae 64 samples', () => paint(samples, vae.sample({ n: 64, seed, temperature: Number(temperature.value) }), 8), 64, 'image').then(() => {
      seedLabel.textContent = `seed ${seed} · test −ELBO ${m.testNegElbo} nats`;
      samples.dataset.seed = String(seed);
    });
  let z = new Float32Array(d);
  const drawSliders = () => {
    for (let i = 0; i < SLIDERS; i++) z[i] = Number(sliders[i]!.value);
    return paint(sliderCanvas, vae.decode(tf.tensor2d(z, [1, d])), 1, 1);
  };
  const rng = new Rng(7);
  const drawInterp = () => {
    const a = Float32Array.from({ length: d }, () => rng.normal());
    const b = Float32Array.from({ length: d }, () => rng.normal());
    return paint(interp, vae.decode(tf.tensor2d(interpolatePath(a, b, 10, 'spherical'), [10, d])), 10);
  };
  resample.addEventListener('click', () => {
    seed++;
    void drawSamples();
  });
  temperature.addEventListener('change', () => void drawSamples());
  for (const s of sliders) s.addEventListener('input', () => void drawSliders());
  randomZ.addEventListener('click', () => {
    z = Float32Array.from({ length: d }, () => rng.normal());
    sliders.forEach((s, i) => {
      s.value = String(Math.max(-3, Math.min(3, z[i]!)));
    });
    void drawSliders();
  });
  interpBtn.addEventListener('click', () => void drawInterp());
  await drawSamples();
  await drawSliders();
  await drawInterp();
  ctx.ready();

  // The GAN releases are small repo checkpoints: load them before the pretrained CVAE.
  for (const g of gans) await g.load();

  // The CVAE is pretrained (DLKIT_MODEL_DIR or upstream): load it after the page is usable.
  let cvae: Cvae | undefined;
  let cvaeSeed = 0;
  const drawCvae = async () => {
    if (!cvae) return;
    cvaeSeed++;
    await ctx.timed('cvae 16 samples', () => paint(cvaeCanvas, cvae!.generate({ label: cvaeLabel.value, n: 16, seed: cvaeSeed }), 8), 16, 'image');
    cvaeCanvas.dataset.label = cvaeLabel.value;
  };
  cvaeLabel.addEventListener('change', () => void drawCvae());
  cvaeBtn.addEventListener('click', () => void drawCvae());
  try {
    cvaeStatus.textContent = 'Loading the QuickDraw CVAE…';
    const { Cvae } = await import('@dlkit/generative');
    cvae = await Cvae.fromPretrained('quickdraw');
    for (const l of cvae.labels) cvaeLabel.append(h('option', { value: l, selected: l === 'apple' }, l.replaceAll('_', ' ')));
    await drawCvae();
    cvaeStatus.textContent = `${PRETRAINED[0]!.source} (${PRETRAINED[0]!.license}); ${cvae.labels.length} classes.`;
    ctx.idle();
  } catch (e) {
    cvaeStatus.replaceChildren(h('span', { class: 'error', role: 'alert' }, `The QuickDraw CVAE could not load: ${errorText(e)}`));
  }
}

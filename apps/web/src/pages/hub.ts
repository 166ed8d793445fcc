/**
 * The hub: every task in core's task registry (the task packages register themselves on import),
 * linked to its demo page, plus the backend table (what is available here and why).
 */
import { listTasks, type Modality } from '@dlkit/core';
import { h } from '../lib/dom.js';
import type { PageContext } from '../lib/page.js';
import { PAGES } from './registry.js';

// Short text badges rather than emoji: headless and minimal systems often lack an emoji font.
const ICONS: Record<Modality, string> = { image: 'IMG', text: 'TXT', audio: 'WAV', tabular: 'TAB', interaction: 'REC', environment: 'RL', generation: 'GEN' };

const BLURBS: Record<string, string> = {
  'image-classification': 'Draw a digit and watch the CNN classify it live; drop a photo for DarkNet-tiny’s top-5; teach DoodleNet your own doodles.',
  'sentiment-analysis': 'Type a review: label and score as you type, two models side by side.',
  'keyword-spotting': 'Drop a WAV or record: log-mel spectrogram, spoken-digit / command predictions, and “hey jarvis” wake-word events live from the microphone.',
  recommendation: 'Pick movies you like: recommendations with titles, and similar movies.',
  'image-generation': 'Latent sliders for the MNIST VAE, QuickDraw CVAE samples by label, interpolation, Fashion-MNIST GAN samples by class.',
  'reinforcement-learning': 'Watch the trained DQN balance CartPole and play Snake; train a fresh CartPole agent with a live reward curve.',
};

export async function renderHub(ctx: PageContext): Promise<void> {
  ctx.say('Loading the task registry…');
  // Importing a task package registers its tasks; the hub lists whatever registered.
  await Promise.all([import('@dlkit/vision'), import('@dlkit/text'), import('@dlkit/speech'), import('@dlkit/recommenders'), import('@dlkit/generative'), import('@dlkit/rl')]);
  const tasks = listTasks();
  const grid = h('ul', { class: 'tasks', 'data-testid': 'tasks' });
  for (const t of tasks) {
    const page = PAGES.find((p) => p.task === t.id);
    const body = [
      h('span', { class: 'icon', 'aria-hidden': 'true' }, ICONS[t.modality] ?? '•'),
      h('h2', {}, page?.title ?? t.id),
      h('p', { class: 'blurb' }, BLURBS[t.id] ?? t.description),
      h('p', { class: 'meta' }, h('code', {}, t.id), t.defaultModel ? ` · model ${t.defaultModel}` : '', t.cli ? ` · CLI: dlkit ${t.cli.command}` : ''),
    ];
    grid.append(h('li', { 'data-task': t.id }, page ? h('a', { class: 'task', href: `#/${page.route}` }, ...body) : h('div', { class: 'task' }, ...body)));
  }
  const rows = ctx.report.backends.map((b) =>
    h('tr', { class: b.selected ? 'selected' : '' }, h('td', {}, b.name), h('td', {}, b.selected ? 'in use' : b.available ? 'available' : 'unavailable'), h('td', {}, b.reason)),
  );
  ctx.root.append(
    h('h1', {}, 'Deep learning in your browser'),
    h('p', { class: 'lead' }, `${tasks.length} tasks from dlkit’s task registry, each running locally on `, h('strong', {}, ctx.report.selected), '. Pick one:'),
    grid,
    h(
      'details',
      { class: 'card backends' },
      h('summary', {}, `Backend ${ctx.report.selected} — ${ctx.report.reason}`),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'backend'), h('th', {}, 'status'), h('th', {}, 'why'))), h('tbody', {}, ...rows)),
    ),
  );
  ctx.ready();
}

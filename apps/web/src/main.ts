/** Boot: pick the backend (shown in the header with a selector), then route on location.hash. */
import './style.css';
import { backend } from './lib/backend.js';
import { h } from './lib/dom.js';
import { PageContext } from './lib/page.js';
import { backendPicker } from './lib/picker.js';
import { renderHub } from './pages/hub.js';
import { PAGES, pageFor } from './pages/registry.js';

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;

nav.append(...[{ route: '', title: 'Hub' }, ...PAGES].map((p) => h('a', { href: `#/${p.route}`, 'data-route': p.route }, p.title)));

let generation = 0;

async function route(): Promise<void> {
  const my = ++generation;
  const name = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  for (const a of nav.querySelectorAll('a')) a.toggleAttribute('aria-current', a.dataset.route === name);
  main.replaceChildren();
  main.dataset.state = 'loading';
  main.dataset.page = name || 'hub';
  const report = await backend();
  if (my !== generation) return;
  const root = h('div', { class: 'page' });
  main.append(root);
  const def = pageFor(name);
  if (name && !def) {
    root.append(h('h1', {}, 'Not found'), h('p', {}, `There is no demo called "${name}". `, h('a', { href: '#/' }, 'Back to the hub.')));
    main.dataset.state = 'ready';
    return;
  }
  document.title = def ? `${def.title} · dlkit demos` : 'dlkit demos';
  const ctx = new PageContext(main, root, report);
  try {
    if (!def) await renderHub(ctx);
    else await (await def.load()).render(ctx);
  } catch (e) {
    if (my === generation) ctx.fail(e, def ? def.title : 'The hub');
  }
  main.focus({ preventScroll: true });
}

async function boot(): Promise<void> {
  try {
    const report = await backend();
    document.getElementById('backend')!.append(backendPicker(report));
  } catch (e) {
    main.append(h('div', { class: 'error', role: 'alert' }, `No TensorFlow.js backend could start: ${(e as Error).message}`));
    main.dataset.state = 'error';
    return;
  }
  window.addEventListener('hashchange', () => void route());
  await route();
}

void boot();

/** Horizontal probability bars (label, bar, percent), accessible as a list. */
import { h } from './dom.js';

export interface Scored {
  label: string;
  score: number;
}

export function bars(items: Scored[], highlight?: string): HTMLElement {
  return h(
    'ol',
    { class: 'bars' },
    ...items.map((it) =>
      h(
        'li',
        { class: it.label === highlight ? 'best' : '' },
        h('span', { class: 'label' }, it.label),
        h('span', { class: 'bar', style: `--p:${(it.score * 100).toFixed(1)}%`, 'aria-hidden': 'true' }),
        h('span', { class: 'pct' }, `${(it.score * 100).toFixed(1)}%`),
      ),
    ),
  );
}

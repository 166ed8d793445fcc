/** The header's backend indicator and selector: shows what runs (and why), switches by reload. */
import type { BackendReport } from '@dlkit/core';
import { CHOICES, type Choice, requestedBackend, urlWithBackend } from './backend.js';
import { h } from './dom.js';

export function backendPicker(report: BackendReport & { fellBack?: string }): HTMLElement {
  const available = new Map(report.backends.map((b) => [b.name, b]));
  const select = h('select', { id: 'backend-select', 'aria-describedby': 'backend-why' });
  for (const c of CHOICES) {
    const s = c === 'auto' ? undefined : available.get(c);
    const label = c === 'auto' ? 'auto' : `${c}${s && !s.available ? ' (unavailable)' : ''}`;
    select.append(h('option', { value: c, selected: c === requestedBackend(), disabled: Boolean(s && !s.available) }, label));
  }
  select.addEventListener('change', () => location.assign(urlWithBackend(select.value as Choice)));
  const chosen = available.get(report.selected);
  const why = report.fellBack ?? `${report.reason}${chosen ? ` — ${chosen.reason}` : ''}`;
  return h(
    'div',
    { class: 'picker' },
    h('span', { class: `badge badge-${report.selected}`, id: 'backend-badge', 'data-backend': report.selected, title: why }, report.selected),
    h('label', { for: 'backend-select', class: 'sr-only' }, 'Backend'),
    select,
    h('span', { id: 'backend-why', class: 'sr-only' }, why),
  );
}

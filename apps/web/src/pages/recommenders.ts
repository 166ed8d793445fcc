/**
 * Recommenders: the release MovieLens 100k SVD++ model. Pick movies you like → the movies whose
 * learned item vectors are closest to your picks (summed cosine similarity, the model's own
 * similarItems), "similar movies" for one title, and the model's top-10 for a MovieLens user.
 */
import type { Recommendation, Recommender } from '@dlkit/recommenders';
import { errorText, h } from '../lib/dom.js';
import { card, type PageContext } from '../lib/page.js';
import { loadRecommender } from '../lib/task-loaders.js';

const STARTERS = ['Star Wars (1977)', 'Toy Story (1995)', 'Fargo (1996)'];

function list(items: Recommendation[], testid: string): HTMLElement {
  return h('ol', { class: 'movies', 'data-testid': testid }, ...items.map((r) => h('li', {}, h('span', { class: 'title' }, r.title ?? r.item), h('span', { class: 'meta' }, r.score.toFixed(3)))));
}

/** Items most similar to all of `picks` together (sum of cosine similarities), picks left out. */
async function forPicks(rec: Recommender, picks: string[], k: number): Promise<Recommendation[]> {
  const total = new Map<string, Recommendation>();
  for (const id of picks) {
    for (const r of await rec.similarItems(id, 60)) {
      const t = total.get(r.item);
      total.set(r.item, { ...r, score: (t?.score ?? 0) + r.score / picks.length });
    }
  }
  return [...total.values()].filter((r) => !picks.includes(r.item)).sort((a, b) => b.score - a.score).slice(0, k);
}

export async function render(ctx: PageContext): Promise<void> {
  const search = h('input', { type: 'text', id: 'movie-search', list: 'movie-titles', placeholder: 'Type a title, e.g. Casablanca', autocomplete: 'off' });
  const datalist = h('datalist', { id: 'movie-titles' });
  const addBtn = h('button', { type: 'button' }, 'Add');
  const chips = h('ul', { class: 'picked', 'aria-label': 'Movies you like' });
  const recOut = h('div', { class: 'result', 'aria-live': 'polite' });
  const simSelect = h('select', { id: 'similar-to' });
  const simOut = h('div', { class: 'result', 'aria-live': 'polite' });
  const userInput = h('input', { type: 'number', id: 'ml-user', min: 1, max: 943, value: 1 });
  const userOut = h('div', { class: 'result', 'aria-live': 'polite' });
  const note = h('p', { class: 'meta' });

  ctx.root.append(
    h('h1', {}, 'Recommenders'),
    h('p', { class: 'lead' }, 'Collaborative filtering with ', h('code', {}, '@dlkit/recommenders'), ': an SVD++ model trained on MovieLens 100k, queried in this tab.'),
    h(
      'div',
      { class: 'grid2' },
      card('Movies you like', h('div', { class: 'row' }, h('label', { for: 'movie-search', class: 'sr-only' }, 'Movie title'), search, datalist, addBtn), chips, h('h3', {}, 'Recommended for you'), recOut),
      h(
        'div',
        {},
        card('Similar movies', h('div', { class: 'row' }, h('label', { for: 'similar-to' }, 'Like '), simSelect), simOut),
        card('Top 10 for a MovieLens user', h('div', { class: 'row' }, h('label', { for: 'ml-user' }, 'User id (1–943) '), userInput), userOut),
      ),
    ),
    note,
  );

  const { recommender: rec, card: c } = await loadRecommender('/models/ml100k-recommender/', ctx.progress('ml100k-recommender'));
  const state = rec.state!;
  const titles = state.side.itemTitles ?? state.itemIds;
  const idOf = new Map(titles.map((t, i) => [t, state.itemIds[i]!]));
  // Only titles with enough ratings to have a trustworthy vector (similarItems' default cut).
  const counts = new Int32Array(titles.length);
  for (const items of state.seen) for (const j of items) counts[j]!++;
  const sorted = titles.map((t, i) => ({ t, n: counts[i]! })).filter((x) => x.n >= 20).sort((a, b) => a.t.localeCompare(b.t));
  for (const { t } of sorted) datalist.append(h('option', { value: t }));
  for (const { t } of sorted) simSelect.append(h('option', { value: idOf.get(t)!, selected: t === 'Star Wars (1977)' }, t));
  const m = c.metrics ?? {};
  note.textContent = `Model card: ${c.extra?.modelType} held-out RMSE ${Number(m.rmse).toFixed(4)}, HR@10 ${Number(m['hr@10']).toFixed(3)}; ${titles.length} movies, ${state.userIds.length} users.`;

  const picks: string[] = STARTERS.filter((t) => idOf.has(t)).map((t) => idOf.get(t)!);
  const drawPicks = async () => {
    chips.replaceChildren(
      ...picks.map((id) =>
        h(
          'li',
          {},
          titles[state.itemIds.indexOf(id)]!,
          h(
            'button',
            {
              type: 'button',
              class: 'secondary x',
              'aria-label': `Remove ${titles[state.itemIds.indexOf(id)]}`,
              onclick: () => {
                picks.splice(picks.indexOf(id), 1);
                void drawPicks();
              },
            },
            '×',
          ),
        ),
      ),
    );
    if (!picks.length) {
      recOut.replaceChildren(h('p', { class: 'empty' }, 'Add a few movies you like to get recommendations.'));
      return;
    }
    try {
      recOut.replaceChildren(list(await ctx.timed('recommend', () => forPicks(rec, picks, 10)), 'recommendations'));
    } catch (e) {
      recOut.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    }
  };
  const add = () => {
    const id = idOf.get(search.value.trim());
    if (!id) {
      recOut.prepend(h('p', { class: 'error', role: 'alert' }, `“${search.value}” is not a MovieLens 100k title with 20+ ratings; pick one from the list.`));
      return;
    }
    if (!picks.includes(id)) picks.push(id);
    search.value = '';
    void drawPicks();
  };
  addBtn.addEventListener('click', add);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') add();
  });
  const drawSimilar = async () => {
    try {
      simOut.replaceChildren(list(await rec.similarItems(simSelect.value, 8), 'similar'));
    } catch (e) {
      simOut.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    }
  };
  simSelect.addEventListener('change', () => void drawSimilar());
  const drawUser = async () => {
    try {
      userOut.replaceChildren(list(await rec.recommend(userInput.value, { k: 10 }), 'user-recs'));
    } catch (e) {
      userOut.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    }
  };
  userInput.addEventListener('change', () => void drawUser());
  await Promise.all([drawPicks(), drawSimilar(), drawUser()]);
  ctx.ready();
}

/**
 * The demo pages, keyed by the task id they show (ids from core's task registry). The hub lists
 * the registry's tasks and links those that have a page here; each page is loaded on demand.
 */
import type { PageContext } from '../lib/page.js';

export interface PageModule {
  /** Builds the page into ctx.root; resolves once it has produced its first result. */
  render(ctx: PageContext): Promise<void>;
}

export interface PageDef {
  route: string;
  task: string;
  title: string;
  load(): Promise<PageModule>;
}

export const PAGES: PageDef[] = [
  { route: 'vision', task: 'image-classification', title: 'Vision', load: () => import('./vision.js') },
  { route: 'sentiment', task: 'sentiment-analysis', title: 'Sentiment', load: () => import('./sentiment.js') },
  { route: 'speech', task: 'keyword-spotting', title: 'Speech', load: () => import('./speech.js') },
  { route: 'recommenders', task: 'recommendation', title: 'Recommenders', load: () => import('./recommenders.js') },
  { route: 'generative', task: 'image-generation', title: 'Generative', load: () => import('./generative.js') },
  { route: 'rl', task: 'reinforcement-learning', title: 'RL', load: () => import('./rl.js') },
];

export function pageFor(route: string): PageDef | undefined {
  return PAGES.find((p) => p.route === route);
}

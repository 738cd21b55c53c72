/**
 * Puts a response, a failure or the loading state into the layout's slots. The element decides
 * when; this module decides what goes where.
 */
import type { SearchFailure } from './api.ts';
import type { RenderContext } from './context.ts';
import { h } from './dom.ts';
import type { Layout } from './layout.ts';
import { activeFilters, facetList, histogram } from './render-facets.ts';
import { emptyNotice, errorNotice, pager, results, skeleton, summary } from './render-results.ts';
import type { WidgetResponse } from './types.ts';

function fill(slot: HTMLElement, node: Node | null): void {
  if (node) slot.replaceChildren(node);
  else slot.replaceChildren();
}

/** Loading: a progress bar over stale results, or a skeleton when there is nothing to show yet. */
export function showLoading(ui: Layout, loading: boolean, firstLoad: boolean): void {
  ui.wrap.classList.toggle('loading', loading);
  if (loading) ui.main.setAttribute('aria-busy', 'true');
  else ui.main.removeAttribute('aria-busy');
  if (loading && firstLoad) {
    ui.summary.textContent = 'Searching…';
    ui.body.replaceChildren(skeleton());
  }
}

export function showResponse(ui: Layout, res: WidgetResponse, ctx: RenderContext): void {
  const s = ctx.state;
  ui.wrap.classList.remove('has-error');
  if (!s.sort) ui.sort.value = res.sort;
  ui.summary.replaceChildren(...summary(res, ctx));
  fill(ui.didYouMean, res.didYouMean ? spelling(res.didYouMean, !!res.corrected, ctx) : null);
  fill(ui.active, activeFilters(ctx));
  const filters = s.person.length + s.location.length + s.about.length + (s.from || s.to ? 1 : 0);
  ui.filterCount.textContent = filters ? String(filters) : '';
  fill(ui.histogram, histogram(res.facets.date, ctx));
  fill(ui.people, facetList('person', res.facets.person, ctx));
  fill(ui.about, facetList('about', res.facets.about, ctx));
  fill(ui.places, facetList('location', res.facets.location, ctx));
  fill(ui.body, res.hits.length ? results(res, ctx) : emptyNotice(res, ctx));
  fill(ui.pager, pager(res, ctx));
}

/** A failure replaces results and facets (stale counts would mislead) but keeps the active filters removable. */
export function showFailure(ui: Layout, err: SearchFailure, ctx: RenderContext): void {
  ui.wrap.classList.add('has-error');
  ui.summary.textContent = 'Search failed';
  for (const slot of [ui.didYouMean, ui.histogram, ui.people, ui.about, ui.places, ui.pager]) fill(slot, null);
  fill(ui.active, activeFilters(ctx));
  fill(ui.body, errorNotice(err, ctx));
}

/**
 * Runs a re-render and gives focus back to the control that had it (matched by `data-key`), since the
 * old node is replaced. If that control is gone (a removed filter, a disabled "Next"), focus moves to
 * the results heading so keyboard users are not dropped at the top of the page.
 */
export function keepingFocus(root: ShadowRoot, ui: Layout, render: () => void): void {
  const key = (root.activeElement as HTMLElement | null)?.dataset.key ?? null;
  render();
  if (key === null) return;
  const again = [...root.querySelectorAll<HTMLElement>('[data-key]')].find((el) => el.dataset.key === key);
  (again && !(again as HTMLButtonElement).disabled ? again : ui.resultsHeading).focus({ preventScroll: true });
}

/**
 * A corrected answer: "Showing results for lisbon. Search instead for lisbonn" (the second runs the
 * query as written). Otherwise an offer: "Did you mean lisbon?". Both buttons share a `data-key`, so
 * focus moves from one to the other.
 */
function spelling(suggestion: string, corrected: boolean, ctx: RenderContext): HTMLElement {
  const link = (text: string, onclick: () => void) => h('button', { type: 'button', class: 'link', 'data-key': 'dym', onclick }, h('em', null, text));
  return corrected
    ? h(
        'p',
        { class: 'dym', part: 'correction' },
        'Showing results for ',
        h('strong', null, suggestion),
        '. Search instead for ',
        link(ctx.state.q.trim(), () => ctx.actions.searchAsWritten()),
      )
    : h('p', { class: 'dym', part: 'did-you-mean' }, 'Did you mean ', link(suggestion, () => ctx.actions.setQuery(suggestion)), '?');
}

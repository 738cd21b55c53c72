/** The main column: summary line, result cards, pager and the empty / error / loading notices. */
import type { SearchFailure } from './api.ts';
import { hasFilters, plural, type RenderContext } from './context.ts';
import { LIMITS } from '../../core/http/limits.ts';
import { h, icon, ICONS } from './dom.ts';
import { safeHref, snippetNodes } from './sanitize.ts';
import type { FacetField, SearchHit, WidgetResponse } from './types.ts';

/** Chips shown per card before "+N more"; long entity lists would swamp the snippet. */
const MAX_CHIPS = 6;

export function summary(res: WidgetResponse, ctx: RenderContext): Node[] {
  // A corrected answer is for the corrected query, and says so: "6 results for “lisbon”".
  const q = (res.corrected && res.didYouMean) || ctx.state.q.trim();
  const noun = q ? plural(res.total, 'result', 'results') : plural(res.total, 'article', 'articles');
  const out: Node[] = [h('strong', { class: 'total', part: 'total' }, ctx.fmt.count(res.total)), document.createTextNode(` ${noun}`)];
  // Literal quotes rather than <q>: CSS-generated quotes are not part of the announced text.
  if (q) out.push(document.createTextNode(' for '), h('strong', { class: 'query' }, `“${q}”`));
  return out;
}

/** A person or place chip; `about` marks a place the story is about (it still filters by location). */
function chip(field: FacetField, value: string, ctx: RenderContext, about = false): HTMLElement {
  const on = ctx.state[field].includes(value);
  return h(
    'li',
    null,
    h(
      'button',
      {
        type: 'button',
        class: `chip ${field}${about ? ' about' : ''}`,
        part: `chip${about ? ' chip-about' : ''}${on ? ' chip-selected' : ''}`,
        'aria-pressed': String(on),
        title: `${on ? 'Remove filter' : 'Filter by'} ${field === 'person' ? 'person' : 'place'}: ${value}${about ? ' (the story is about it)' : ''}`,
        'data-key': `c:${field}:${value}`,
        onclick: () => ctx.actions.toggle(field, value),
      },
      icon(field === 'person' ? ICONS.person : ICONS.place),
      value,
    ),
  );
}

function card(hit: SearchHit, ctx: RenderContext): HTMLElement {
  const href = safeHref(hit.url, ctx.base);
  const title = hit.title.trim() || 'Untitled article';
  const host = href ? new URL(href).hostname.replace(/^www\./, '') : '';
  // Places the story is about come first, so they survive the "+N more" cut.
  const about = new Set(hit.about);
  const places = [...hit.locations.filter((v) => about.has(v)), ...hit.locations.filter((v) => !about.has(v))];
  const entities: [FacetField, string][] = [
    ...hit.people.map((v): [FacetField, string] => ['person', v]),
    ...places.map((v): [FacetField, string] => ['location', v]),
  ].filter(([, v]) => v.trim());
  const extra = entities.length - MAX_CHIPS;
  return h(
    'li',
    { class: 'card', part: 'card', 'data-id': hit.id },
    h(
      'article',
      null,
      h('h3', { class: 'title', part: 'title' }, href ? h('a', { href, part: 'link' }, title) : title),
      h('p', { class: 'meta' }, h('time', { datetime: hit.date, part: 'date' }, ctx.fmt.day(hit.date)), host && h('span', { class: 'host' }, host)),
      hit.snippet && h('p', { class: 'snippet', part: 'snippet' }, snippetNodes(hit.snippet)),
      entities.length > 0 &&
        h(
          'ul',
          { class: 'chips', 'aria-label': 'People and places' },
          entities.slice(0, MAX_CHIPS).map(([f, v]) => chip(f, v, ctx, f === 'location' && about.has(v))),
          extra > 0 && h('li', { class: 'more' }, `+${extra} more`),
        ),
    ),
  );
}

export function results(res: WidgetResponse, ctx: RenderContext): HTMLElement {
  return h('ol', { class: 'results', part: 'results', start: (res.page - 1) * res.limit + 1 }, res.hits.map((hit) => card(hit, ctx)));
}

/** Page numbers to show: first, last, and a window around the current page; 0 marks a gap. */
export function pageList(current: number, pages: number): number[] {
  const want = new Set([1, pages, current - 1, current, current + 1].filter((p) => p >= 1 && p <= pages));
  const sorted = [...want].sort((a, b) => a - b);
  const out: number[] = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    if (prev !== undefined && p - prev === 2) out.push(prev + 1);
    else if (prev !== undefined && p - prev > 2) out.push(0);
    out.push(p);
  });
  return out;
}

export function pager(res: WidgetResponse, ctx: RenderContext): HTMLElement | null {
  const pages = Math.min(Math.ceil(res.total / Math.max(1, res.limit)), LIMITS.maxPage);
  if (pages <= 1) return null;
  const cur = res.page;
  const go = (p: number) => () => ctx.actions.setPage(p);
  return h(
    'nav',
    { class: 'pager', part: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', class: 'step', 'data-key': 'p:prev', disabled: cur <= 1, onclick: go(cur - 1), 'aria-label': 'Previous page' }, icon(ICONS.prev), h('span', null, 'Previous')),
    h(
      'ul',
      null,
      pageList(cur, pages).map((p) =>
        h(
          'li',
          null,
          p === 0
            ? h('span', { class: 'gap', 'aria-hidden': 'true' }, '…')
            : h('button', { type: 'button', class: 'num', 'data-key': `p:${p}`, 'aria-label': `Page ${p}`, 'aria-current': p === cur ? 'page' : null, onclick: go(p) }, String(p)),
        ),
      ),
    ),
    h('button', { type: 'button', class: 'step', 'data-key': 'p:next', disabled: cur >= pages, onclick: go(cur + 1), 'aria-label': 'Next page' }, h('span', null, 'Next'), icon(ICONS.next)),
  );
}

export function emptyNotice(res: WidgetResponse, ctx: RenderContext): HTMLElement {
  const pastEnd = res.total > 0;
  const q = ctx.state.q.trim();
  return h(
    'div',
    { class: 'notice', part: 'empty' },
    h('p', { class: 'notice-title' }, pastEnd ? 'There are no results on this page' : q ? 'No articles match your search' : 'No articles match these filters'),
    h('p', null, pastEnd ? 'The results have moved on since this link was made.' : 'Try other words, check the spelling, or remove a filter.'),
    pastEnd
      ? h('button', { type: 'button', class: 'btn', onclick: () => ctx.actions.setPage(1) }, 'Go to the first page')
      : hasFilters(ctx.state) && h('button', { type: 'button', class: 'btn', onclick: () => ctx.actions.clearFilters() }, 'Clear all filters'),
  );
}

export function errorNotice(err: SearchFailure, ctx: RenderContext): HTMLElement {
  const badRequest = err.kind === 'config' || (err.status !== undefined && err.status < 500);
  return h(
    'div',
    { class: 'notice error', part: 'error', role: 'alert' },
    icon(ICONS.alert),
    h(
      'div',
      null,
      h('p', { class: 'notice-title' }, badRequest ? 'This search could not be run' : 'Search is unavailable'),
      h('p', { class: 'error-message' }, err.message),
      err.kind !== 'config' && h('button', { type: 'button', class: 'btn', 'data-key': 'retry', onclick: () => ctx.actions.retry() }, 'Try again'),
    ),
  );
}

export function skeleton(): HTMLElement {
  const line = (w: string) => h('span', { class: `sk sk-${w}` });
  return h('div', { class: 'skeleton', 'aria-hidden': 'true' }, [1, 2, 3].map(() => h('div', { class: 'card' }, line('t'), line('m'), line('l'), line('l'), line('s'))));
}

/** The refinement column: person, about and place facets, the date histogram, and the active-filter bar. */
import { hasFilters, plural, type RenderContext } from './context.ts';
import { h, icon, ICONS } from './dom.ts';
import { dateBuckets, monthEnd } from './format.ts';
import type { FacetField, FacetValue } from './types.ts';

const NONE: Record<FacetField, string> = {
  person: 'No people in these results.',
  location: 'No places in these results.',
  about: 'No places these results are about.',
};

/**
 * One facet's values as toggle buttons. Selected values are pinned to the top even when the server's
 * top-N list no longer includes them, so a filter can always be removed where it was added.
 */
export function facetList(field: FacetField, values: FacetValue[], ctx: RenderContext): HTMLElement {
  const selected = ctx.state[field];
  const counts = new Map(values.map((v) => [v.value, v.count]));
  const rows = [
    ...selected.map((value) => ({ value, count: counts.get(value) })),
    ...values.filter((v) => !selected.includes(v.value) && v.value.trim()),
  ];
  if (rows.length === 0) return h('p', { class: 'muted' }, NONE[field]);
  return h(
    'ul',
    { class: 'facet-list' },
    rows.map(({ value, count }) => {
      const on = selected.includes(value);
      const button = h(
        'button',
        {
          type: 'button',
          class: 'facet-value',
          part: on ? 'facet-value facet-value-selected' : 'facet-value',
          'aria-pressed': String(on),
          'data-key': `f:${field}:${value}`,
          'data-value': value,
          onclick: () => ctx.actions.toggle(field, value),
        },
        h('span', { class: 'check', 'aria-hidden': 'true' }),
        h('span', { class: 'name' }, value),
        count !== undefined && h('span', { class: 'count' }, ctx.fmt.count(count), h('span', { class: 'sr-only' }, plural(count, ' article', ' articles'))),
      );
      return h('li', null, button);
    }),
  );
}

export function histogram(months: FacetValue[], ctx: RenderContext): HTMLElement {
  const buckets = dateBuckets(months, ctx.fmt);
  if (buckets.length === 0) return h('p', { class: 'muted' }, 'No dates in these results.');
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const { from, to } = ctx.state;
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  return h(
    'div',
    { class: 'hist', part: 'histogram' },
    h(
      'div',
      { class: 'bars', role: 'group', 'aria-label': 'Articles over time' },
      buckets.map((b) => {
        const label = `${b.label}: ${ctx.fmt.count(b.count)} ${plural(b.count, 'article', 'articles')}`;
        const on = from === b.from && to === b.to;
        const bar =
          b.count > 0
            ? h('button', {
                type: 'button',
                class: 'bar',
                part: 'bar',
                title: label,
                'aria-label': label,
                'aria-pressed': String(on),
                'data-key': `h:${b.from}`,
                // Clicking the selected bar again clears the range.
                onclick: () => (on ? ctx.actions.setRange('', '') : ctx.actions.setRange(b.from, b.to)),
              })
            : h('span', { class: 'bar empty', title: label });
        bar.style.setProperty('--h', `${Math.max(b.count > 0 ? 6 : 2, Math.round((b.count / max) * 100))}%`);
        return bar;
      }),
    ),
    first && last && h('div', { class: 'axis', 'aria-hidden': 'true' }, h('span', null, first.label), first !== last && h('span', null, last.label)),
  );
}

function rangeLabel(from: string, to: string, ctx: RenderContext): string {
  const ym = from.slice(0, 7);
  if (from && to && from.endsWith('-01') && to === monthEnd(ym)) return ctx.fmt.month(ym);
  if (from && to) return `${ctx.fmt.day(from)} – ${ctx.fmt.day(to)}`;
  return from ? `From ${ctx.fmt.day(from)}` : `Until ${ctx.fmt.day(to)}`;
}

/** Removable tags for every active filter, plus "Clear all". Null when nothing is filtered. */
export function activeFilters(ctx: RenderContext): HTMLElement | null {
  const s = ctx.state;
  if (!hasFilters(s)) return null;
  const tag = (label: string, kind: string, key: string, remove: () => void) =>
    h(
      'li',
      null,
      h('button', { type: 'button', class: `tag ${kind}`, part: 'active-filter', 'data-key': key, 'aria-label': `Remove filter: ${label}`, onclick: remove }, h('span', null, label), icon(ICONS.close)),
    );
  return h(
    'div',
    { class: 'active', part: 'active-filters' },
    h(
      'ul',
      { 'aria-label': 'Active filters' },
      s.person.map((v) => tag(v, 'person', `a:person:${v}`, () => ctx.actions.toggle('person', v))),
      s.location.map((v) => tag(v, 'location', `a:location:${v}`, () => ctx.actions.toggle('location', v))),
      // Prefixed: the same place can be filtered as mentioned and as what the story is about.
      s.about.map((v) => tag(`About ${v}`, 'about', `a:about:${v}`, () => ctx.actions.toggle('about', v))),
      (s.from || s.to) && tag(rangeLabel(s.from, s.to, ctx), 'date', 'a:date', () => ctx.actions.setRange('', '')),
    ),
    h('button', { type: 'button', class: 'link', 'data-key': 'a:clear', onclick: () => ctx.actions.clearFilters() }, 'Clear all'),
  );
}

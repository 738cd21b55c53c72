/**
 * The parts of the widget that are built once: the search form, sort and date controls, and the empty
 * slots that each response fills. Keeping the inputs out of the re-rendered regions is what keeps the
 * caret and focus where the reader left them while results update around them.
 */
import { LIMITS, SORT_ORDERS, type SortOrder } from '../../core/http/limits.ts';
import { h, icon, ICONS } from './dom.ts';

/** The label of each sort order (the options follow `SORT_ORDERS`; the first is disabled without a query). */
const SORT_LABELS: Record<SortOrder, string> = { relevance: 'Best match', date: 'Newest first', date_asc: 'Oldest first' };

export interface Layout {
  wrap: HTMLElement;
  form: HTMLFormElement;
  input: HTMLInputElement;
  /** The completions popup of the input (a combobox). */
  listbox: HTMLElement;
  sort: HTMLSelectElement;
  from: HTMLInputElement;
  to: HTMLInputElement;
  summary: HTMLElement;
  didYouMean: HTMLElement;
  active: HTMLElement;
  /** Shows and hides the refinement panels on narrow layouts, where they would push results down. */
  filtersToggle: HTMLButtonElement;
  /** Number of active filters, shown on the toggle. */
  filterCount: HTMLElement;
  side: HTMLElement;
  histogram: HTMLElement;
  people: HTMLElement;
  /** Places the stories are about. */
  about: HTMLElement;
  /** Every place the stories mention. */
  places: HTMLElement;
  main: HTMLElement;
  resultsHeading: HTMLElement;
  body: HTMLElement;
  pager: HTMLElement;
}

export function buildLayout(placeholder: string): Layout {
  const input = h('input', {
    id: 'q',
    class: 'input',
    part: 'input',
    type: 'search',
    name: 'q',
    autocomplete: 'off',
    spellcheck: 'false',
    enterkeyhint: 'search',
    maxlength: LIMITS.qMaxLength,
    placeholder,
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'suggest',
  });
  const listbox = h('div', { id: 'suggest', class: 'suggest', part: 'suggestions', role: 'listbox', 'aria-label': 'Suggestions', hidden: true });
  const form = h(
    'form',
    { class: 'searchbar', part: 'form', role: 'search', 'aria-label': 'News archive' },
    h('label', { class: 'sr-only', for: 'q' }, 'Search news articles'),
    h('div', { class: 'field' }, icon(ICONS.search), input, h('button', { class: 'submit', part: 'button', type: 'submit' }, 'Search'), h('span', { class: 'progress', part: 'progress' })),
    listbox,
  );
  const sort = h('select', { id: 'sort', part: 'sort' }, ...SORT_ORDERS.map((s) => h('option', { value: s }, SORT_LABELS[s])));
  const from = h('input', { id: 'from', type: 'date', part: 'date-input' });
  const to = h('input', { id: 'to', type: 'date', part: 'date-input' });
  // role=status is polite already; aria-live is spelled out for older screen readers.
  const summary = h('p', { class: 'summary', part: 'summary', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const panel = (id: string, title: string, ...content: Node[]) =>
    h('section', { class: 'panel', part: 'facet', 'aria-labelledby': `h-${id}` }, h('h2', { id: `h-${id}` }, title), ...content);
  const histogram = h('div');
  const people = h('div');
  const about = h('div');
  const places = h('div');
  const resultsHeading = h('h2', { class: 'sr-only', id: 'h-results', tabindex: -1 }, 'Results');
  const body = h('div');
  const pager = h('div');
  const main = h('section', { class: 'main', 'aria-labelledby': 'h-results' }, resultsHeading, body, pager);
  const filterCount = h('span', { class: 'badge' });
  const filtersToggle = h(
    'button',
    { type: 'button', class: 'filters-toggle', part: 'filters-toggle', 'aria-expanded': 'false', 'aria-controls': 'panels' },
    icon(ICONS.filter),
    'Filters',
    filterCount,
  );
  const side = h(
    'aside',
    { class: 'side', part: 'facets', 'aria-label': 'Refine results' },
    filtersToggle,
    h(
      'div',
      { class: 'panels', id: 'panels' },
      panel('date', 'Date', histogram, h('div', { class: 'range' }, h('label', null, 'From', from), h('label', null, 'To', to))),
      panel('person', 'People', people),
      panel('about', 'About', about),
      panel('location', 'Places mentioned', places),
    ),
  );
  const didYouMean = h('div');
  const active = h('div');
  const wrap = h(
    'div',
    { class: 'ns', part: 'container' },
    form,
    tips(),
    h('div', { class: 'toolbar' }, summary, h('div', { class: 'sort' }, h('label', { for: 'sort' }, 'Sort by'), sort)),
    didYouMean,
    active,
    h(
      'div',
      { class: 'layout' },
      side,
      main,
    ),
  );
  return { wrap, form, input, listbox, sort, from, to, summary, didYouMean, active, filtersToggle, filterCount, side, histogram, people, about, places, main, resultsHeading, body, pager };
}

/** The query syntax, as a disclosure under the search box (a native `<details>`: keyboard and state for free). */
function tips(): HTMLElement {
  const row = (code: string, what: string) => [h('dt', null, h('code', null, code)), h('dd', null, what)];
  return h(
    'details',
    { class: 'tips', part: 'search-tips' },
    h('summary', null, 'Search tips'),
    h(
      'dl',
      { class: 'card' },
      row('"city council"', 'the exact phrase'),
      row('tram OR metro', 'either word'),
      row('strike -football', 'leave out stories with a word'),
      row('title:budget', 'a word in the headline'),
      row('elect*', 'any word beginning with it: election, electric…'),
    ),
  );
}

/**
 * `<news-search>`: owns the search state, keeps it in the URL, runs requests and hands responses to
 * the render functions. Rendering itself lives in render-*.ts; this file is the wiring.
 */
import { LIMITS } from '../../core/http/limits.ts';
import { fetchSearch, fetchSuggestions, SearchFailure } from './api.ts';
import { completions, type Completions } from './completions.ts';
import type { Actions, RenderContext } from './context.ts';
import { formatter, type Formatter } from './format.ts';
import { UrlHistory, urlOptions, type HistoryMode } from './history.ts';
import { buildLayout, type Layout } from './layout.ts';
import { stateKey, toApiQuery } from './state.ts';
import { adoptStyles } from './styles.ts';
import { EMPTY_STATE, type SearchState, type Suggestion } from './types.ts';
import { keepingFocus, showFailure, showLoading, showResponse } from './view.ts';

export class NewsSearchElement extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['endpoint', 'limit', 'facet-limit', 'recency'];
  }

  private readonly root: ShadowRoot;
  private ui: Layout | null = null;
  private completions: Completions | null = null;
  private state: SearchState = { ...EMPTY_STATE };
  private hasResults = false;
  private inflight: AbortController | null = null;
  private seq = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly history = new UrlHistory(() => urlOptions(this));
  private scrollOnRender = false;
  private fmt: { locale: string | undefined; f: Formatter } | null = null;

  private readonly actions: Actions = {
    toggle: (field, value) => {
      const list = this.state[field];
      this.update({ [field]: list.includes(value) ? list.filter((v) => v !== value) : [...list, value], page: 1 });
    },
    setRange: (from, to) => this.update({ from, to, page: 1 }),
    setPage: (page) => {
      this.scrollOnRender = true;
      this.update({ page });
    },
    setQuery: (q) => this.update({ q, page: 1 }),
    searchAsWritten: () => this.update({ correct: false, page: 1 }),
    clearFilters: () => this.update({ person: [], location: [], about: [], from: '', to: '', page: 1 }),
    retry: () => void this.search(),
  };

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    adoptStyles(this.root);
  }

  connectedCallback(): void {
    if (!this.ui) this.ui = this.build();
    window.addEventListener('popstate', this.onPopState);
    this.state = this.history.read();
    this.syncControls();
    void this.search();
  }

  disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    clearTimeout(this.typingTimer);
    this.inflight?.abort();
    this.completions?.close();
  }

  attributeChangedCallback(_name: string, old: string | null, value: string | null): void {
    if (this.isConnected && this.ui && old !== value) void this.search();
  }

  private build(): Layout {
    const ui = buildLayout(this.getAttribute('placeholder') || 'Search the archive');
    ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(this.typingTimer);
      this.completions?.close();
      this.update({ q: ui.input.value, page: 1 });
    });
    this.completions = completions({
      input: ui.input,
      listbox: ui.listbox,
      load: (q, signal) => fetchSuggestions(this.suggestUrl(), q, signal),
      pick: (s) => this.pick(s),
      // Completions are worth showing sooner than a full search.
      delay: () => Math.min(150, this.intAttr('debounce', 0, 5000) ?? 250),
      count: (n) => this.context().fmt.count(n),
      enabled: () => this.getAttribute('completions') !== 'off' && !!(this.getAttribute('suggest-endpoint') || this.getAttribute('endpoint')),
    });
    const schedule = (e: Event) => {
      if ((e as InputEvent).isComposing) return; // wait for the IME to finish the word
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => {
        if (ui.input.value.trim() !== this.state.q.trim()) this.update({ q: ui.input.value, page: 1 }, 'typing');
      }, this.intAttr('debounce', 0, 5000) ?? 250);
    };
    ui.input.addEventListener('input', schedule);
    ui.input.addEventListener('compositionend', schedule);
    ui.sort.addEventListener('change', () => this.update({ sort: ui.sort.value as SearchState['sort'], page: 1 }));
    const onDates = () => {
      let [from, to] = [ui.from.value, ui.to.value];
      if (from && to && from > to) [from, to] = [to, from];
      this.update({ from, to, page: 1 });
    };
    ui.filtersToggle.addEventListener('click', () => {
      const open = ui.side.classList.toggle('open');
      ui.filtersToggle.setAttribute('aria-expanded', String(open));
    });
    ui.from.addEventListener('change', onDates);
    ui.to.addEventListener('change', onDates);
    this.root.append(ui.wrap);
    return ui;
  }

  private readonly onPopState = (): void => {
    const next = this.history.read();
    this.history.navigated();
    if (stateKey(next) === stateKey(this.state)) return;
    this.state = next;
    this.syncControls();
    void this.search();
  };

  /** `suggest-endpoint`, or the `suggest` route next to `endpoint` (`…/search` → `…/suggest`). Throws if invalid. */
  private suggestUrl(): URL {
    const own = this.getAttribute('suggest-endpoint');
    return own ? new URL(own, document.baseURI) : new URL('suggest', new URL(this.getAttribute('endpoint') ?? '', document.baseURI));
  }

  /**
   * A picked word completes the query. A picked person or place becomes a filter, as a facet click
   * would: the reader chose that entity, not stories that merely contain its words, and the count
   * shown next to it is exactly the number of results the filter gives. The typed text was the
   * name's beginning, so it is cleared rather than left to narrow the results further.
   */
  private pick(s: Suggestion): void {
    const ui = this.ui;
    if (!ui) return;
    clearTimeout(this.typingTimer);
    if (s.kind === 'term') {
      ui.input.value = s.value;
      this.update({ q: s.value, page: 1 });
      return;
    }
    const field = s.kind === 'person' ? 'person' : 'location';
    const list = this.state[field];
    ui.input.value = '';
    this.update({ q: '', [field]: list.includes(s.value) ? list : [...list, s.value], page: 1 });
  }

  private intAttr(name: string, min: number, max: number): number | null {
    const raw = this.getAttribute(name);
    const n = raw === null || raw.trim() === '' ? NaN : Number(raw);
    return Number.isInteger(n) && n >= min && n <= max ? n : null;
  }

  /** Applies a change, records it in the URL and searches. */
  private update(patch: Partial<SearchState>, how: HistoryMode = 'push'): void {
    // A new query text gets the API's spelling correction again.
    const newText = patch.q !== undefined && patch.q.trim() !== this.state.q.trim();
    this.state = { ...this.state, ...(newText ? { correct: true } : null), ...patch };
    this.syncControls();
    this.history.write(this.state, how);
    void this.search();
  }

  /** Puts the state into the controls built once (input, sort, dates). */
  private syncControls(): void {
    const ui = this.ui;
    if (!ui) return;
    const s = this.state;
    if (ui.input.value.trim() !== s.q.trim()) ui.input.value = s.q;
    const hasQuery = s.q.trim() !== '';
    ui.sort.value = s.sort || (hasQuery ? 'relevance' : 'date');
    (ui.sort.options[0] as HTMLOptionElement).disabled = !hasQuery && s.sort !== 'relevance';
    ui.from.value = s.from;
    ui.to.value = s.to;
    ui.from.max = s.to;
    ui.to.min = s.from;
  }

  private context(): RenderContext {
    const locale = this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || undefined;
    if (!this.fmt || this.fmt.locale !== locale) this.fmt = { locale, f: formatter(locale) };
    return { state: this.state, fmt: this.fmt.f, actions: this.actions, base: document.baseURI };
  }

  private async search(): Promise<void> {
    const ui = this.ui;
    if (!ui) return;
    this.inflight?.abort();
    const ctl = new AbortController();
    this.inflight = ctl;
    const seq = ++this.seq;
    showLoading(ui, true, !this.hasResults);
    const query = toApiQuery(this.state, {
      limit: this.intAttr('limit', 1, LIMITS.maxLimit),
      facetLimit: this.intAttr('facet-limit', 0, LIMITS.maxFacetLimit),
      recency: this.intAttr('recency', 1, LIMITS.maxRecencyDays),
    });
    try {
      const answer = await fetchSearch(this.getAttribute('endpoint') ?? '', query, {
        signal: ctl.signal,
        timeoutMs: this.intAttr('timeout', 1000, 120_000) ?? 15_000,
      });
      if (seq !== this.seq) return; // a newer search has started; its answer is the one to show
      // With correct=false in the state, the API answered the query as written (`correct=false`).
      const res = answer;
      this.hasResults = true;
      keepingFocus(this.root, ui, () => showResponse(ui, res, this.context()));
      if (this.scrollOnRender && this.getBoundingClientRect().top < 0) this.scrollIntoView({ block: 'start' });
      this.emit('news-search:results', { state: this.state, response: res });
    } catch (err) {
      if (seq !== this.seq || ctl.signal.aborted) return;
      const failure = err instanceof SearchFailure ? err : new SearchFailure('network', 'Something went wrong while searching. Please try again.');
      this.hasResults = false;
      keepingFocus(this.root, ui, () => showFailure(ui, failure, this.context()));
      this.emit('news-search:error', { state: this.state, kind: failure.kind, status: failure.status, message: failure.message });
    } finally {
      if (seq === this.seq) {
        showLoading(ui, false, false);
        this.scrollOnRender = false;
        this.inflight = null;
      }
    }
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

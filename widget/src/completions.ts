/**
 * Completions under the search box, as a WAI-ARIA 1.2 combobox with a listbox popup ("list
 * autocomplete with manual selection"): the input keeps DOM focus; ArrowDown/ArrowUp move the active
 * option (`aria-activedescendant`, `aria-selected`), Enter or a click picks it, Escape closes the
 * list, Tab leaves. Options are grouped by kind (people, places, words).
 *
 * Requests wait for a pause in typing, are never sent for an empty box, and every keystroke cancels
 * the one in flight, so a slow answer for an earlier text can never replace a newer one.
 */
import { h, icon, ICONS } from './dom.ts';
import type { Suggestion } from './types.ts';

/** Kinds in display order: names first, as `/suggest` ranks them (they are rarer and more specific). */
const GROUPS: readonly [Suggestion['kind'], string, string][] = [
  ['person', 'People', ICONS.person],
  ['location', 'Places', ICONS.place],
  ['term', 'Words', ICONS.search],
];

export interface CompletionsOptions {
  input: HTMLInputElement;
  listbox: HTMLElement;
  /** Completions for `q`; rejects when `signal` aborts. */
  load(q: string, signal: AbortSignal): Promise<Suggestion[]>;
  pick(s: Suggestion): void;
  /** Milliseconds of typing pause before asking. */
  delay(): number;
  count(n: number): string;
  enabled(): boolean;
}

export interface Completions {
  /** Hides the list and forgets any request in flight. */
  close(): void;
}

export function completions(o: CompletionsOptions): Completions {
  const { input, listbox } = o;
  let items: Suggestion[] = [];
  let options: HTMLElement[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ctl: AbortController | null = null;
  /** Bumped by every keystroke and close: an answer started under another number is stale. */
  let seq = 0;

  const isOpen = () => !listbox.hidden;
  const wanted = () => !!input.value.trim() && o.enabled();

  function activate(i: number): void {
    active = i;
    options.forEach((opt, j) => opt.setAttribute('aria-selected', String(j === i)));
    const opt = options[i];
    if (opt) {
      input.setAttribute('aria-activedescendant', opt.id);
      opt.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function show(open: boolean): void {
    listbox.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    activate(-1);
  }

  function close(): void {
    clearTimeout(timer);
    ctl?.abort();
    ctl = null;
    seq++;
    show(false);
  }

  function render(found: Suggestion[]): void {
    items = [];
    const groups = GROUPS.map(([kind, label, d]) => {
      const mine = found.filter((s) => s.kind === kind);
      return (
        mine.length > 0 &&
        h(
          'ul',
          { role: 'group', 'aria-labelledby': `sg-${kind}` },
          h('li', { role: 'presentation', id: `sg-${kind}`, class: 'sg-h' }, label),
          mine.map((s) =>
            h(
              'li',
              { role: 'option', id: `sg-${items.push(s) - 1}`, class: 'opt', part: 'suggestion', 'aria-selected': 'false', 'data-kind': kind },
              icon(d),
              h('span', { class: 'name' }, s.value),
              h('span', { class: 'count' }, h('span', { class: 'sr-only' }, ', '), o.count(s.count), h('span', { class: 'sr-only' }, s.count === 1 ? ' article' : ' articles')),
            ),
          ),
        )
      );
    });
    listbox.replaceChildren(...groups.filter((g): g is HTMLUListElement => !!g));
    options = [...listbox.querySelectorAll<HTMLElement>('[role=option]')];
  }

  async function load(): Promise<void> {
    const mine = seq;
    const c = new AbortController();
    ctl = c;
    let found: Suggestion[];
    try {
      found = await o.load(input.value.trimStart(), c.signal);
    } catch {
      found = [];
    }
    if (mine !== seq || c.signal.aborted) return;
    ctl = null;
    render(found);
    show(found.length > 0 && (input.getRootNode() as ShadowRoot).activeElement === input);
  }

  function schedule(): void {
    const shown = isOpen();
    close();
    if (!wanted()) return; // no request for an empty box
    // The options for the previous text stay up (without an active one) until the new ones arrive.
    show(shown);
    timer = setTimeout(() => void load(), o.delay());
  }

  function pickAt(i: number): void {
    const s = items[i];
    if (!s) return; // a group heading
    close();
    o.pick(s);
  }

  function onKey(e: KeyboardEvent): void {
    if (e.isComposing) return;
    const n = options.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!isOpen()) {
          if (!wanted()) return;
          e.preventDefault();
          // Ask now for the text in the box; the list opens when the answer comes.
          close();
          void load();
          return;
        }
        e.preventDefault(); // the caret stays where it is
        if (!e.altKey && n > 0) activate(e.key === 'ArrowDown' ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
        return;
      case 'Enter':
        if (isOpen() && active >= 0) {
          e.preventDefault(); // picks instead of submitting the form
          pickAt(active);
        } else {
          close();
        }
        return;
      case 'Escape':
        // Closes the list, keeping the text (a search input would otherwise clear itself).
        if (isOpen()) {
          e.preventDefault();
          close();
        }
        return;
      case 'Tab':
        close();
        return;
      default:
        return;
    }
  }

  input.addEventListener('input', (e) => {
    if (!(e as InputEvent).isComposing) schedule(); // wait for the IME to finish the word
  });
  input.addEventListener('compositionend', schedule);
  input.addEventListener('keydown', onKey);
  input.addEventListener('blur', close);
  // Keep focus in the input while an option is clicked (a blur would close the list first).
  listbox.addEventListener('mousedown', (e) => e.preventDefault());
  listbox.addEventListener('click', (e) => pickAt(options.indexOf((e.target as Element).closest('[role=option]') as HTMLElement)));
  return { close };
}

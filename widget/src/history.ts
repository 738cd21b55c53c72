/**
 * The widget's side of the browser history: reads the state from the current URL and records changes,
 * so links can be shared and Back undoes one change at a time.
 */
import { readState, writeState, type UrlOptions } from './state.ts';
import type { SearchState } from './types.ts';

export type HistoryMode = 'push' | 'typing';

export function urlOptions(el: Element): UrlOptions {
  const mode = el.getAttribute('url-state');
  return {
    mode: mode === 'hash' || mode === 'off' ? mode : 'query',
    prefix: el.getAttribute('param-prefix') ?? 'ns-',
  };
}

export class UrlHistory {
  /** True when the current entry was made by typing, so further keystrokes replace it. */
  private typingEntry = false;

  constructor(private readonly options: () => UrlOptions) {}

  read(): SearchState {
    return readState(new URL(location.href), this.options());
  }

  /** Called on Back/Forward: the next keystroke must start a new entry. */
  navigated(): void {
    this.typingEntry = false;
  }

  write(state: SearchState, how: HistoryMode): void {
    const opts = this.options();
    if (opts.mode === 'off') return;
    const url = writeState(new URL(location.href), state, opts).href;
    if (url === location.href) return;
    // Keystrokes of one query share an entry; every other change gets its own.
    if (how === 'typing' && this.typingEntry) history.replaceState(history.state, '', url);
    else history.pushState(history.state, '', url);
    this.typingEntry = how === 'typing';
  }
}

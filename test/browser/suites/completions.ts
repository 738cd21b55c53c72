/**
 * Completions from /suggest (a WAI-ARIA 1.2 combobox with a listbox popup), the corrected-query
 * message with its "Search instead for" link, and the search tips disclosure.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dialogsOf, settle, shownIds, shownTotal, stateParams, type Harness } from '../harness.ts';

const KIND_ORDER = ['person', 'location', 'term'];

interface ShownOption {
  id: string;
  kind: string;
  value: string;
  selected: string | null;
}

const box = (page: Page): Locator => page.getByRole('combobox', { name: 'Search news articles' });
const listbox = (page: Page): Locator => page.getByRole('listbox', { name: 'Suggestions' });

/** The options on screen, in order. */
function shownOptions(page: Page): Promise<ShownOption[]> {
  return page.locator('news-search [role=option]').evaluateAll((els) =>
    els.map((el) => ({
      id: el.id,
      kind: el.getAttribute('data-kind') ?? '',
      value: el.querySelector('.name')?.textContent ?? '',
      selected: el.getAttribute('aria-selected'),
    })),
  );
}

/** The `q` of every /suggest request the page makes from now on. */
function recordSuggests(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/suggest') sent.push(u.searchParams.get('q') ?? '');
  });
  return sent;
}

/** Types `text` as a reader would, waits for that search, then for the completions to show. */
async function typeAndWait(page: Page, text: string): Promise<void> {
  await settle(page, () => box(page).pressSequentially(text, { delay: 25 }));
  await listbox(page).waitFor({ state: 'visible' });
}

export function completionsSuite(h: () => Harness): void {
  describe('news-search widget: completions', () => {
    it('shows completions from /suggest as you type, grouped by kind, with debounced requests and none for an empty box', async () => {
      const page = await h().open('/');
      const sent = recordSuggests(page);
      // Three keystrokes in one task (so a busy machine cannot space them out past the pause).
      await settle(page, () =>
        page.locator('news-search #q').evaluate((el) => {
          const input = el as HTMLInputElement;
          input.focus();
          for (const text of ['h', 'he', 'hel']) {
            input.value = text;
            input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text.slice(-1) }));
          }
        }),
      );
      await listbox(page).waitFor({ state: 'visible' });

      const api = await h().suggest('hel');
      expect(new Set(api.map((s) => s.kind)).size).toBeGreaterThan(1);
      // Same values and kinds as the API, grouped people, places, words (the API's order within a kind).
      const expected = KIND_ORDER.flatMap((k) => api.filter((s) => s.kind === k)).map((s) => ({ kind: s.kind, value: s.value }));
      expect((await shownOptions(page)).map(({ kind, value }) => ({ kind, value }))).toEqual(expected);
      const groups = listbox(page).getByRole('group');
      expect(await groups.count()).toBe(new Set(api.map((s) => s.kind)).size);
      expect(await page.getByRole('group', { name: 'People', exact: true }).getByRole('option').first().textContent()).toContain(expected[0]?.value);
      // One request for three keystrokes, never one per key.
      expect(sent).toEqual(['hel']);

      // Emptying the box closes the list and asks nothing.
      await box(page).press('Control+a');
      await box(page).press('Backspace');
      await expect.poll(() => listbox(page).isVisible()).toBe(false);
      expect(await box(page).getAttribute('aria-expanded')).toBe('false');
      await page.waitForTimeout(400);
      expect(sent).toEqual(['hel']);
    });

    it('follows the combobox pattern: ARIA wiring, arrow keys move the active option, Enter picks a person as a filter', async () => {
      const page = await h().open('/');
      const input = box(page);
      expect(await input.getAttribute('aria-autocomplete')).toBe('list');
      expect(await input.getAttribute('aria-expanded')).toBe('false');
      const controls = (await input.getAttribute('aria-controls')) as string;
      expect(await page.locator(`news-search #${controls}`).getAttribute('role')).toBe('listbox');
      await typeAndWait(page, 'hel');
      expect(await input.getAttribute('aria-expanded')).toBe('true');
      expect(await input.getAttribute('aria-activedescendant')).toBeNull();

      const opts = await shownOptions(page);
      expect(opts.length).toBeGreaterThan(2);
      expect(opts.every((o) => o.selected === 'false')).toBe(true);
      const expectActive = async (i: number) => {
        const now = await shownOptions(page);
        expect(await input.getAttribute('aria-activedescendant')).toBe(now[i]?.id);
        expect(now.map((o) => o.selected)).toEqual(now.map((_, j) => String(j === i)));
        // DOM focus stays in the input: the active option is only referenced.
        expect(await page.locator('news-search').evaluate((el) => el.shadowRoot?.activeElement?.id)).toBe('q');
      };
      await input.press('ArrowDown');
      await expectActive(0);
      await input.press('ArrowDown');
      await expectActive(1);
      await input.press('ArrowUp');
      await expectActive(0);
      await input.press('ArrowUp');
      await expectActive(opts.length - 1);
      await input.press('ArrowDown');
      await expectActive(0);

      const person = opts[0] as ShownOption;
      expect(person.kind).toBe('person');
      const count = (await h().suggest('hel')).find((s) => s.value === person.value)?.count;
      await settle(page, () => input.press('Enter'));
      expect(stateParams(page).getAll('ns-person')).toEqual([person.value]);
      expect(stateParams(page).get('ns-q')).toBeNull();
      expect(await input.inputValue()).toBe('');
      expect(await input.getAttribute('aria-expanded')).toBe('false');
      expect(await input.getAttribute('aria-activedescendant')).toBeNull();
      expect(await listbox(page).isVisible()).toBe(false);
      // The count next to the name is the number of results the filter gives.
      expect(await shownTotal(page)).toBe(count);
      expect(await shownIds(page)).toEqual((await h().api({ person: person.value })).hits.map((x) => x.id));
      expect(await page.getByRole('button', { name: `Remove filter: ${person.value}` }).count()).toBe(1);
    });

    it('closes with Escape keeping the text, reopens with ArrowDown, and Tab leaves', async () => {
      const page = await h().open('/');
      const input = box(page);
      await typeAndWait(page, 'lis');
      await input.press('ArrowDown');
      await input.press('Escape');
      expect(await listbox(page).isVisible()).toBe(false);
      expect(await input.getAttribute('aria-expanded')).toBe('false');
      expect(await input.getAttribute('aria-activedescendant')).toBeNull();
      expect(await input.inputValue()).toBe('lis');
      expect(stateParams(page).get('ns-q')).toBe('lis');

      await input.press('ArrowDown');
      await listbox(page).waitFor({ state: 'visible' });
      expect(await input.getAttribute('aria-expanded')).toBe('true');
      await input.press('Tab');
      expect(await listbox(page).isVisible()).toBe(false);
      expect(await input.getAttribute('aria-expanded')).toBe('false');
      expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe('Search');
      expect(await input.inputValue()).toBe('lis');
    });

    it('picks with the mouse: a word completes the query, a place becomes a filter', async () => {
      const page = await h().open('/');
      await typeAndWait(page, 'lisb');
      const word = (await shownOptions(page)).find((o) => o.kind === 'term') as ShownOption;
      expect(word.value.startsWith('lisb')).toBe(true);
      await settle(page, () => page.locator(`news-search #${word.id}`).click());
      expect(await box(page).inputValue()).toBe(word.value);
      expect(stateParams(page).get('ns-q')).toBe(word.value);
      expect(await listbox(page).isVisible()).toBe(false);
      expect(await shownIds(page)).toEqual((await h().api({ q: word.value })).hits.map((x) => x.id));
      // Focus stayed in the box, so typing goes on.
      expect(await page.locator('news-search').evaluate((el) => el.shadowRoot?.activeElement?.id)).toBe('q');

      const other = await h().open('/');
      await typeAndWait(other, 'lisb');
      const place = other.getByRole('group', { name: 'Places', exact: true }).getByRole('option').first();
      const name = (await place.locator('.name').textContent()) as string;
      await settle(other, () => place.click());
      expect(stateParams(other).getAll('ns-location')).toEqual([name]);
      expect(await box(other).inputValue()).toBe('');
      expect(await shownIds(other)).toEqual((await h().api({ location: name })).hits.map((x) => x.id));
    });

    it('ignores a slow answer for earlier text', async () => {
      const page = await h().open('/');
      await page.route('**/suggest?**', async (route) => {
        if (new URL(route.request().url()).searchParams.get('q') !== 'li') return route.continue();
        await new Promise((r) => setTimeout(r, 1200));
        // The widget has moved on (and aborted this request): fulfilling may fail, which is the point.
        await route.fulfill({ json: { suggestions: [{ value: 'stale answer', kind: 'term', count: 99 }], tookMs: 0 } }).catch(() => {});
      });
      const slow = page.waitForRequest((r) => new URL(r.url()).pathname === '/suggest' && new URL(r.url()).searchParams.get('q') === 'li');
      await box(page).pressSequentially('li', { delay: 25 });
      await slow;
      await box(page).pressSequentially('sbon', { delay: 25 });
      await listbox(page).waitFor({ state: 'visible' });
      const fresh = (await shownOptions(page)).map((o) => o.value);
      expect(fresh).toContain('Lisbon');
      await page.waitForTimeout(1500); // past the slow answer
      expect((await shownOptions(page)).map((o) => o.value)).toEqual(fresh);
      expect(fresh).not.toContain('stale answer');
    });

    it('shows completions from the API as literal text', async () => {
      const page = await h().open('/', { withoutCsp: true });
      const hostile = ['<img src=x onerror=alert(1)>', '<b onmouseover=alert(2)>bold</b>'];
      await page.route('**/suggest?**', (route) =>
        route.fulfill({ json: { suggestions: [{ value: hostile[0], kind: 'person', count: 1 }, { value: hostile[1], kind: 'term', count: 2 }, { value: 'x', kind: 'bogus', count: 1 }], tookMs: 0 } }),
      );
      await typeAndWait(page, 'zz');
      expect((await shownOptions(page)).map((o) => o.value)).toEqual(hostile);
      const markup = await page.locator('news-search #suggest').evaluate((el) => ({
        elements: [...el.querySelectorAll('img, b, script')].length,
        handlers: [...el.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on'))).length,
      }));
      expect(markup).toEqual({ elements: 0, handlers: 0 });
      await page.locator('news-search [role=option]').first().hover();
      await settle(page, () => page.locator('news-search [role=option]').first().click());
      expect(stateParams(page).getAll('ns-person')).toEqual([hostile[0]]);
      await page.waitForTimeout(200);
      expect(dialogsOf(page)).toEqual([]);
    });
  });

  describe('news-search widget: spelling correction and search tips', () => {
    it('says when the results are for a corrected query, and searches as written on request', async () => {
      const api = await h().api({ q: 'lisbonn' });
      expect(api.corrected).toBe(true);
      const fixed = (api.didYouMean as string).trim();
      expect(fixed).toBe('lisbon');

      const page = await h().open('/?ns-q=lisbonn');
      const correction = page.locator('news-search [part~=correction]');
      expect(await correction.textContent()).toBe('Showing results for lisbon. Search instead for lisbonn');
      expect(await page.getByRole('status').textContent()).toBe(`${api.total} results for “lisbon”`);
      expect(await shownIds(page)).toEqual(api.hits.map((x) => x.id));
      expect(await box(page).inputValue()).toBe('lisbonn');

      await settle(page, () => correction.getByRole('button', { name: 'lisbonn' }).click());
      const asWritten = async (p: Page) => {
        expect(stateParams(p).get('ns-q')).toBe('lisbonn');
        expect(stateParams(p).get('ns-correct')).toBe('false');
        expect(await p.getByRole('status').textContent()).toBe('0 results for “lisbonn”');
        expect(await p.locator('news-search li.card').count()).toBe(0);
        expect(await p.locator('news-search [part~=empty]').count()).toBe(1);
        expect(await p.locator('news-search [part~=correction]').count()).toBe(0);
        expect(await p.locator('news-search [part~=did-you-mean]').textContent()).toBe('Did you mean lisbon?');
      };
      await asWritten(page);
      // Focus moved to the offer that replaced the link, not to the top of the page.
      expect(await page.locator('news-search').evaluate((el) => (el.shadowRoot?.activeElement as HTMLElement | null)?.dataset['key'])).toBe('dym');
      // A link to it shows the same; Back returns to the corrected results.
      await asWritten(await h().open(new URL(page.url()).pathname + new URL(page.url()).search));
      await settle(page, () => page.goBack());
      expect(await correction.count()).toBe(1);
      expect(await shownIds(page)).toEqual(api.hits.map((x) => x.id));
      await settle(page, () => page.goForward());
      await asWritten(page);

      // Taking the offer, or typing anything else, gets corrections again.
      await settle(page, () => page.locator('news-search [part~=did-you-mean]').getByRole('button', { name: 'lisbon' }).click());
      expect(stateParams(page).get('ns-q')).toBe('lisbon');
      expect(stateParams(page).has('ns-correct')).toBe(false);
      expect(await shownIds(page)).toEqual((await h().api({ q: 'lisbon' })).hits.map((x) => x.id));
    });

    it('opens a search tips disclosure from the keyboard', async () => {
      const page = await h().open('/');
      const tips = page.locator('news-search [part~=search-tips]');
      const list = tips.locator('dl');
      expect(await list.isVisible()).toBe(false);
      await tips.locator('summary').focus();
      await page.keyboard.press('Enter');
      expect(await tips.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
      expect(await list.isVisible()).toBe(true);
      const text = (await list.textContent()) ?? '';
      for (const syntax of ['"city council"', ' OR ', '-football', 'title:', 'elect*']) expect(text).toContain(syntax);
      await page.keyboard.press('Space');
      expect(await list.isVisible()).toBe(false);
    });
  });
}

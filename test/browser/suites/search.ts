/** Searching, filtering, paging and URL state, checked against the real API's answers. */
import { describe, expect, it } from 'vitest';
import { settle, shownIds, shownTotal, stateParams, type Harness } from '../harness.ts';

export function searchSuite(h: () => Harness): void {
  describe('news-search widget: searching', () => {
    it('searches as you type and shows highlighted results matching the API', async () => {
      const page = await h().open('/');
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await settle(page, () => box.pressSequentially('lisbon', { delay: 25 }));

      const api = await h().api({ q: 'lisbon' });
      expect(api.total).toBeGreaterThan(1);
      expect(stateParams(page).get('ns-q')).toBe('lisbon');
      expect(await shownTotal(page)).toBe(api.total);
      expect(await shownIds(page)).toEqual(api.hits.map((h) => h.id));
      const marks = await page.locator('news-search .snippet mark').allTextContents();
      expect(marks.length).toBeGreaterThan(0);
      for (const m of marks) expect(m.toLowerCase()).toBe('lisbon');
      // The count is announced: it lives in a polite live region.
      const status = page.getByRole('status');
      expect(await status.getAttribute('aria-live')).toBe('polite');
      expect(await status.textContent()).toMatch(new RegExp(`^${api.total} results for .lisbon.$`));
    });

    it('runs the search on Enter without waiting for the debounce', async () => {
      const page = await h().open('/');
      await page.locator('news-search').evaluate((el) => el.setAttribute('debounce', '5000'));
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await box.fill('osaka');
      const t0 = Date.now();
      await settle(page, () => box.press('Enter'));
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(await shownTotal(page)).toBe((await h().api({ q: 'osaka' })).total);
    });

    it('filters by a person facet: the total equals the facet count, and a second click removes it', async () => {
      const page = await h().open('/');
      const before = await shownTotal(page);
      const facet = page.locator('news-search [aria-labelledby=h-person] button.facet-value').first();
      const name = (await facet.getAttribute('data-value')) as string;
      const count = Number(await facet.locator('.count').evaluate((el) => el.firstChild?.textContent));
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThan(before);

      await settle(page, () => facet.click());
      expect(await shownTotal(page)).toBe(count);
      expect(stateParams(page).getAll('ns-person')).toEqual([name]);
      const api = await h().api({ person: name });
      expect(await shownIds(page)).toEqual(api.hits.map((h) => h.id));
      const selected = page.locator(`news-search button.facet-value[aria-pressed=true]`);
      expect(await selected.getAttribute('data-value')).toBe(name);
      expect(await page.getByRole('button', { name: `Remove filter: ${name}` }).count()).toBe(1);

      await settle(page, () => selected.click());
      expect(await shownTotal(page)).toBe(before);
      expect(stateParams(page).getAll('ns-person')).toEqual([]);
    });

    it('narrows by date with the from/to inputs and with a histogram bar', async () => {
      const page = await h().open('/');
      await settle(page, () => page.locator('news-search #from').fill('2024-01-01'));
      await settle(page, () => page.locator('news-search #to').fill('2024-06-30'));
      const api = await h().api({ from: '2024-01-01', to: '2024-06-30' });
      expect(api.total).toBeGreaterThan(0);
      expect(await shownTotal(page)).toBe(api.total);
      expect(stateParams(page).get('ns-from')).toBe('2024-01-01');
      expect(stateParams(page).get('ns-to')).toBe('2024-06-30');
      const dates = await page.locator('news-search li.card time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
      for (const d of dates) expect(d >= '2024-01-01' && d <= '2024-06-30').toBe(true);

      // A bar selects its month; its label carries the count the total must match.
      const bar = page.locator('news-search button.bar').first();
      const label = (await bar.getAttribute('aria-label')) as string;
      const barCount = Number(/: (\d+) articles?$/.exec(label)?.[1]);
      await settle(page, () => bar.click());
      expect(await shownTotal(page)).toBe(barCount);
      const from = await page.locator('news-search #from').inputValue();
      const to = await page.locator('news-search #to').inputValue();
      expect(from).toMatch(/^\d{4}-\d{2}-01$/);
      expect(to.slice(0, 7)).toBe(from.slice(0, 7));
      expect((await h().api({ from, to })).total).toBe(barCount);
    });

    it('pages forward and back, with the browser Back and Forward buttons too', async () => {
      const page = await h().open('/');
      const all = await h().api({});
      expect(all.total).toBeGreaterThan(20);
      const page1 = await shownIds(page);
      expect(page1).toEqual(all.hits.map((h) => h.id));

      await settle(page, () => page.getByRole('button', { name: 'Next page' }).click());
      const page2 = (await h().api({ page: '2' })).hits.map((h) => h.id);
      expect(await shownIds(page)).toEqual(page2);
      expect(stateParams(page).get('ns-page')).toBe('2');
      expect(await page.locator('news-search [aria-current=page]').textContent()).toBe('2');

      await settle(page, () => page.getByRole('button', { name: 'Page 3' }).click());
      expect(await shownIds(page)).toEqual((await h().api({ page: '3' })).hits.map((h) => h.id));

      await settle(page, () => page.getByRole('button', { name: 'Previous page' }).click());
      expect(await shownIds(page)).toEqual(page2);

      await settle(page, () => page.goBack());
      expect(stateParams(page).get('ns-page')).toBe('3');
      await settle(page, () => page.goBack());
      await settle(page, () => page.goBack());
      expect(stateParams(page).get('ns-page')).toBeNull();
      expect(await shownIds(page)).toEqual(page1);
      await settle(page, () => page.goForward());
      expect(await shownIds(page)).toEqual(page2);
    });

    it('restores query, filters, sort and page from the URL on reload and in a fresh browser', async () => {
      const page = await h().open('/');
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await settle(page, () => box.pressSequentially('said', { delay: 25 }));
      const place = page.locator('news-search [aria-labelledby=h-location] button.facet-value').first();
      const placeName = (await place.getAttribute('data-value')) as string;
      await settle(page, () => place.click());
      await settle(page, () => page.getByLabel('Sort by').selectOption('date_asc'));
      await settle(page, () => page.getByRole('button', { name: 'Next page' }).click());
      const ids = await shownIds(page);
      const total = await shownTotal(page);
      const api = await h().api({ q: 'said', location: placeName, sort: 'date_asc', page: '2' });
      expect(total).toBe(api.total);
      expect(ids).toEqual(api.hits.map((h) => h.id));

      await settle(page, () => page.reload(), { load: true });
      expect(await box.inputValue()).toBe('said');
      expect(await page.locator('news-search [aria-current=page]').textContent()).toBe('2');
      expect(await page.getByLabel('Sort by').inputValue()).toBe('date_asc');
      expect(await page.locator('news-search button.facet-value[aria-pressed=true]').getAttribute('data-value')).toBe(placeName);
      expect(await shownIds(page)).toEqual(ids);

      // A shared link: a new context has no history or storage, only the URL.
      const shared = await h().open(new URL(page.url()).pathname + new URL(page.url()).search);
      expect(await shownTotal(shared)).toBe(total);
      expect(await shownIds(shared)).toEqual(ids);
    });

    it('sends the recency attribute with relevance order only, and shows what the API ranks', async () => {
      const page = await h().open('/');
      const sent: URLSearchParams[] = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname === '/search') sent.push(u.searchParams);
      });
      await page.locator('news-search').evaluate((el) => el.setAttribute('recency', '3650'));
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await box.fill('lisbon');
      await settle(page, () => box.press('Enter'));
      expect(sent.at(-1)?.get('recency')).toBe('3650');
      expect(await shownIds(page)).toEqual((await h().api({ q: 'lisbon', recency: '3650' })).hits.map((x) => x.id));
      // A date order has no relevance to boost: the widget leaves recency out rather than get a 400.
      await settle(page, () => page.getByLabel('Sort by').selectOption('date'));
      expect(sent.at(-1)?.get('sort')).toBe('date');
      expect(sent.at(-1)?.has('recency')).toBe(false);
      expect(await shownIds(page)).toEqual((await h().api({ q: 'lisbon', sort: 'date' })).hits.map((x) => x.id));
    });

    it('offers "Did you mean" when the API sends a suggestion, and searches for it on click', async () => {
      const page = await h().open('/');
      await page.route('**/search?**', async (route) => {
        const res = await route.fetch();
        const body = (await res.json()) as Record<string, unknown>;
        // An offer, not a correction: these results are for the query as written.
        if (new URL(route.request().url()).searchParams.get('q') === 'lisbn') {
          body['didYouMean'] = 'lisbon';
          delete body['corrected'];
        }
        await route.fulfill({ response: res, json: body });
      });
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await box.fill('lisbn');
      await settle(page, () => box.press('Enter'));
      const suggestion = page.locator('news-search [part~=did-you-mean]');
      expect(await suggestion.textContent()).toBe('Did you mean lisbon?');
      // Only an offer: the results are for what was typed.
      expect(await page.locator('news-search [part~=correction]').count()).toBe(0);
      expect(await page.getByRole('status').textContent()).toMatch(/ for “lisbn”$/);
      await settle(page, () => suggestion.getByRole('button', { name: 'lisbon' }).click());
      expect(await box.inputValue()).toBe('lisbon');
      expect(stateParams(page).get('ns-q')).toBe('lisbon');
      expect(await shownTotal(page)).toBe((await h().api({ q: 'lisbon' })).total);
      expect(await suggestion.count()).toBe(0);
    });
  });
}

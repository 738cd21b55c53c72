/** The `about` facet (places a story is about), checked against the real API's answers. */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FacetValue, SearchResponse } from '../../../core/types.ts';
import { focusedKey, settle, shownIds, shownTotal, stateParams, type Harness } from '../harness.ts';

/** The values and counts a facet panel shows, in order. */
async function panelValues(page: Page, field: string): Promise<FacetValue[]> {
  return page.locator(`news-search [aria-labelledby=h-${field}] button.facet-value`).evaluateAll((els) =>
    els.map((el) => ({ value: el.getAttribute('data-value') ?? '', count: Number(el.querySelector('.count')?.firstChild?.textContent ?? NaN) })),
  );
}

/**
 * An about value that is also a mentioned place in more articles than it is the subject of, so
 * filtering by it visibly differs from filtering by location (falls back to the top value).
 */
function distinctivePlace(res: SearchResponse): FacetValue {
  const mentioned = new Map(res.facets.location.map((f) => [f.value, f.count]));
  const top = res.facets.about[0];
  if (!top) throw new Error('the sample index has no about facet values');
  return res.facets.about.find((f) => (mentioned.get(f.value) ?? 0) > f.count) ?? top;
}

const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());

export function aboutSuite(h: () => Harness): void {
  describe('news-search widget: about facet', () => {
    it('lists the About panel with the API counts; a value filters by about, lives in the URL and Back undoes it', async () => {
      const page = await h().open('/');
      expect(await page.getByRole('region', { name: 'About', exact: true }).count()).toBe(1);
      expect(await page.getByRole('region', { name: 'Places mentioned', exact: true }).count()).toBe(1);

      const all = await h().api({});
      expect(all.facets.about.length).toBeGreaterThan(0);
      expect(await panelValues(page, 'about')).toEqual(all.facets.about);
      expect(await panelValues(page, 'location')).toEqual(all.facets.location);
      // Same for a query: the panel follows the results.
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await box.fill('osaka');
      await settle(page, () => box.press('Enter'));
      expect(await panelValues(page, 'about')).toEqual((await h().api({ q: 'osaka' })).facets.about);
      await box.fill('');
      await settle(page, () => box.press('Enter'));
      const before = await shownTotal(page);
      const beforeIds = await shownIds(page);

      const { value, count } = distinctivePlace(all);
      const facet = page.locator(`news-search [aria-labelledby=h-about] button.facet-value[data-value="${value}"]`);
      expect(await facet.getAttribute('aria-pressed')).toBe('false');
      await settle(page, () => facet.click());

      const api = await h().api({ about: value });
      expect(api.total).toBe(count);
      expect(await shownTotal(page)).toBe(count);
      expect(await shownIds(page)).toEqual(api.hits.map((x) => x.id));
      for (const hit of api.hits) expect(lower(hit.about)).toContain(value.toLowerCase());
      expect(stateParams(page).getAll('ns-about')).toEqual([value]);
      expect(stateParams(page).getAll('ns-location')).toEqual([]);
      expect(await focusedKey(page)).toBe(`f:about:${value}`);
      expect(await facet.getAttribute('aria-pressed')).toBe('true');
      // Only the About value is selected, not the same place under "Places mentioned".
      expect(await page.locator('news-search button.facet-value[aria-pressed=true]').count()).toBe(1);
      expect(await page.locator('news-search .badge').textContent()).toBe('1');
      // The selected value is pinned first, with its count (every result is about it).
      expect(await panelValues(page, 'about')).toEqual([{ value, count }, ...api.facets.about.filter((f) => f.value !== value)]);

      // Cards list the places a story is about first, marked, so they survive the "+N more" cut.
      const cards = await page.locator('news-search li.card').evaluateAll((els) =>
        els.map((el) => ({
          chips: [...el.querySelectorAll('.chip')].map((c) => c.textContent ?? ''),
          about: [...el.querySelectorAll('.chip.about')].map((c) => c.textContent ?? ''),
        })),
      );
      cards.forEach((card, i) => {
        const hit = api.hits[i]!;
        const places = [...hit.locations.filter((p) => hit.about.includes(p)), ...hit.locations.filter((p) => !hit.about.includes(p))];
        const expected = [...hit.people, ...places].filter((x) => x.trim()).slice(0, 6);
        expect(card.chips).toEqual(expected);
        expect(card.about).toEqual(expected.filter((x) => hit.locations.includes(x) && hit.about.includes(x)));
      });
      expect(cards.some((c) => c.about.some((x) => x.toLowerCase() === value.toLowerCase()))).toBe(true);

      // A shared link restores the filter.
      const shared = await h().open(new URL(page.url()).pathname + new URL(page.url()).search);
      expect(await shownIds(shared)).toEqual(api.hits.map((x) => x.id));
      expect(await shared.locator(`news-search [aria-labelledby=h-about] button[aria-pressed=true]`).getAttribute('data-value')).toBe(value);

      await settle(page, () => page.goBack());
      expect(stateParams(page).getAll('ns-about')).toEqual([]);
      expect(await shownTotal(page)).toBe(before);
      expect(await shownIds(page)).toEqual(beforeIds);
      expect(await page.locator('news-search button.facet-value[aria-pressed=true]').count()).toBe(0);
      await settle(page, () => page.goForward());
      expect(stateParams(page).getAll('ns-about')).toEqual([value]);
      expect(await shownIds(page)).toEqual(api.hits.map((x) => x.id));
    });

    it('keeps about under the param-prefix, and combines it with a location filter', async () => {
      const page = await h().open('/');
      await page.locator('news-search').evaluate((el) => el.setAttribute('param-prefix', 'news-'));
      const { value } = distinctivePlace(await h().api({}));
      await settle(page, () => page.locator(`news-search [aria-labelledby=h-about] button.facet-value[data-value="${value}"]`).click());
      expect(stateParams(page).getAll('news-about')).toEqual([value]);
      expect(stateParams(page).getAll('ns-about')).toEqual([]);
      await settle(page, () => page.locator(`news-search [aria-labelledby=h-location] button.facet-value[data-value="${value}"]`).click());
      const both = await h().api({ about: value, location: value });
      expect(await shownIds(page)).toEqual(both.hits.map((x) => x.id));
      expect(await page.locator('news-search .badge').textContent()).toBe('2');
      // Back goes through the prefixed keys too.
      await settle(page, () => page.goBack());
      expect(stateParams(page).getAll('news-location')).toEqual([]);
      expect(await shownIds(page)).toEqual((await h().api({ about: value })).hits.map((x) => x.id));
    });

    it('shows an about tag that removes only that filter, and Clear all clears it', async () => {
      const { value } = distinctivePlace(await h().api({}));
      const qs = new URLSearchParams([
        ['ns-about', value],
        ['ns-location', value],
      ]);
      const page = await h().open(`/?${qs}`);
      expect(await shownIds(page)).toEqual((await h().api({ about: value, location: value })).hits.map((x) => x.id));
      expect(await page.locator('news-search .badge').textContent()).toBe('2');
      const tags = page.getByRole('list', { name: 'Active filters' });
      expect(await tags.getByRole('button').allTextContents()).toEqual([value, `About ${value}`]);

      const aboutTag = page.getByRole('button', { name: `Remove filter: About ${value}`, exact: true });
      expect(await aboutTag.count()).toBe(1);
      await settle(page, () => aboutTag.click());
      expect(stateParams(page).getAll('ns-about')).toEqual([]);
      expect(stateParams(page).getAll('ns-location')).toEqual([value]);
      const located = await h().api({ location: value });
      expect(await shownTotal(page)).toBe(located.total);
      expect(await shownIds(page)).toEqual(located.hits.map((x) => x.id));
      expect(await aboutTag.count()).toBe(0);
      expect(await page.getByRole('button', { name: `Remove filter: ${value}`, exact: true }).count()).toBe(1);
      expect(await page.locator('news-search [aria-labelledby=h-about] button[aria-pressed=true]').count()).toBe(0);
      expect(await page.locator('news-search .badge').textContent()).toBe('1');
      // The removed tag's focus goes to the results heading, not the top of the page.
      expect(await focusedKey(page)).toBe('h-results');

      await settle(page, () => page.locator(`news-search [aria-labelledby=h-about] button.facet-value[data-value="${value}"]`).click());
      expect(stateParams(page).getAll('ns-about')).toEqual([value]);
      await settle(page, () => page.getByRole('button', { name: 'Clear all', exact: true }).click());
      expect(stateParams(page).getAll('ns-about')).toEqual([]);
      expect(stateParams(page).getAll('ns-location')).toEqual([]);
      expect(await page.locator('news-search .badge').textContent()).toBe('');
      expect(await shownTotal(page)).toBe((await h().api({})).total);
    });
  });
}

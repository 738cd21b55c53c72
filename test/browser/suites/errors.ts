/** Loading failures: every one ends in a readable message and a way to retry, never a blank box. */
import { describe, expect, it } from 'vitest';
import { startLocalServer } from '../../../local/server.ts';
import { settle, shownTotal, type Harness } from '../harness.ts';

export function errorSuite(h: () => Harness): void {
  describe('news-search widget: error states', () => {
    it('says the service cannot be reached when the endpoint is down, and recovers with Try again', async () => {
      const doomed = await startLocalServer({ indexDir: h().indexDir, port: 0 });
      const port = Number(new URL(doomed.url).port);
      const page = await h().open('/', { base: doomed.url });
      expect(await shownTotal(page)).toBeGreaterThan(0);
      await doomed.close();

      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await box.fill('lisbon');
      await settle(page, () => box.press('Enter'));
      const alert = page.getByRole('alert');
      expect(await alert.textContent()).toContain('Could not reach the search service');
      expect(await page.getByRole('status').textContent()).toBe('Search failed');
      expect(await page.locator('news-search li.card').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __ns: { errors: number } }).__ns.errors)).toBe(1);

      const revived = await startLocalServer({ indexDir: h().indexDir, port });
      try {
        await settle(page, () => page.getByRole('button', { name: 'Try again' }).click());
        expect(await page.getByRole('alert').count()).toBe(0);
        expect(await shownTotal(page)).toBe((await h().api({ q: 'lisbon' })).total);
      } finally {
        await revived.close();
      }
    });

    it("shows the API's own message for a 400 (a query longer than the API allows, from a link)", async () => {
      const page = await h().open(`/?ns-q=${'a'.repeat(501)}`);
      const text = await page.getByRole('alert').textContent();
      expect(text).toContain('This search could not be run');
      expect(text).toContain('error 400');
      expect(text).toContain('q must be at most 500 characters');
    });

    it('explains 5xx answers and non-JSON gateway pages without showing internals', async () => {
      const page = await h().open('/');
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await page.route('**/search?**', (route) =>
        route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"index_unavailable","message":"index part meta.json.gz is missing"}}' }),
      );
      await box.fill('osaka');
      await settle(page, () => box.press('Enter'));
      let text = await page.getByRole('alert').textContent();
      expect(text).toContain('Search is unavailable');
      expect(text).toContain('error 503');
      expect(text).not.toContain('meta.json.gz');

      await page.unroute('**/search?**');
      await page.route('**/search?**', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<html><h1>502 Bad Gateway</h1></html>' }));
      await settle(page, () => page.getByRole('button', { name: 'Try again' }).click());
      text = await page.getByRole('alert').textContent();
      expect(text).toContain('error 502');
      expect(await page.locator('news-search h1').count()).toBe(0);

      await page.unroute('**/search?**');
      await settle(page, () => page.getByRole('button', { name: 'Try again' }).click());
      expect(await shownTotal(page)).toBe((await h().api({ q: 'osaka' })).total);
    });

    it('shows an empty state with a way out when nothing matches', async () => {
      const page = await h().open('/');
      const facet = page.locator('news-search [aria-labelledby=h-person] button.facet-value').first();
      await settle(page, () => facet.click());
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await box.fill('qqqxqqq');
      await settle(page, () => box.press('Enter'));
      expect(await page.locator('news-search [part~=empty]').textContent()).toContain('No articles match your search');
      expect(await page.getByRole('status').textContent()).toMatch(/^0 results for/);
      await settle(page, () => page.getByRole('button', { name: 'Clear all filters' }).click());
      expect(await page.locator('news-search button.facet-value[aria-pressed=true]').count()).toBe(0);
    });
  });
}

/** The demo page: screenshots for review, theming from the host page, isolation, keyboard use. */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { focusedKey, ROOT, settle, type Harness } from '../harness.ts';

const OUT = join(ROOT, 'test-output');

export function demoSuite(h: () => Harness): void {
  describe('news-search widget: demo page', () => {
    beforeAll(() => mkdir(OUT, { recursive: true }));

    it('renders the demo page (screenshots in test-output/), themed by the host and without leaking styles', async () => {
      const page = await h().open('/?ns-q=lisbon');
      await page.screenshot({ path: join(OUT, 'demo.png'), fullPage: true });
      expect((await stat(join(OUT, 'demo.png'))).size).toBeGreaterThan(50_000);

      // The host page's --ns-accent and ::part(title) rule reach inside; nothing of ours reaches out.
      const submit = page.locator('news-search [part~=button]');
      expect(await submit.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(155, 28, 28)');
      expect(await page.locator('news-search [part~=title]').first().evaluate((el) => getComputedStyle(el).fontSize)).toBe('20px');
      expect(await page.evaluate(() => ({ styles: document.querySelectorAll('style, link[rel=stylesheet]').length, sheets: document.styleSheets.length }))).toEqual({
        styles: 1,
        sheets: 1,
      });
      expect(await page.locator('h1').evaluate((el) => getComputedStyle(el).fontSize)).toBe('40px');
    });

    it('collapses the filters behind a toggle on a phone-sized screen', async () => {
      const page = await h().open('/?ns-q=lisbon', { viewport: { width: 390, height: 844 } });
      await page.screenshot({ path: join(OUT, 'demo-mobile.png'), fullPage: true });
      const toggle = page.getByRole('button', { name: 'Filters' });
      const panels = page.locator('news-search #panels');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await panels.isVisible()).toBe(false);
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      expect(await panels.isVisible()).toBe(true);
    });

    it('works from the keyboard with labelled controls, keeping focus on a facet after it applies', async () => {
      const page = await h().open('/');
      expect(await page.getByRole('search', { name: 'News archive' }).count()).toBe(1);
      expect(await page.getByRole('combobox', { name: 'Sort by' }).count()).toBe(1);
      expect(await page.getByRole('navigation', { name: 'Pages' }).count()).toBe(1);
      expect(await page.getByRole('complementary', { name: 'Refine results' }).count()).toBe(1);

      await page.getByRole('combobox', { name: 'Search news articles' }).focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe('Search');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe('Search tips');
      await page.keyboard.press('Tab');
      expect(await focusedKey(page)).toBe('sort');
      await page.keyboard.press('Tab');
      expect(await focusedKey(page)).toMatch(/^h:\d{4}-\d{2}-01$/);

      const facet = page.locator('news-search [aria-labelledby=h-person] button.facet-value').first();
      const name = await facet.getAttribute('data-value');
      await facet.focus();
      await settle(page, () => page.keyboard.press('Space'));
      expect(await focusedKey(page)).toBe(`f:person:${name}`);
      expect(await page.locator('news-search button.facet-value[aria-pressed=true]').getAttribute('data-value')).toBe(name);
    });
  });
}

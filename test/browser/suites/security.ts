/** Untrusted article text: nothing from the API may execute or become markup other than <mark>. */
import { describe, expect, it } from 'vitest';
import { dialogsOf, settle, type Harness } from '../harness.ts';

/** Markup in the shadow root that would mean article text was parsed as HTML. */
async function hostileMarkup(page: import('playwright-core').Page) {
  return page.locator('news-search').evaluate((el) => {
    const all = [...(el.shadowRoot as ShadowRoot).querySelectorAll('*')];
    return {
      elements: all.filter((e) => /^(img|script|iframe|object|embed|b|svg:?image)$/i.test(e.tagName)).map((e) => e.tagName),
      handlers: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      links: all.filter((e) => e.tagName === 'A').map((e) => e.getAttribute('href') ?? ''),
    };
  });
}

export function securitySuite(h: () => Harness): void {
  describe('news-search widget: untrusted article text', () => {
    it('shows a hostile title, snippet, names and places as literal text, and no dialog fires', async () => {
      const page = await h().open('/?ns-q=zanzibarquux', { withoutCsp: true });
      const api = await h().api({ q: 'zanzibarquux' });
      expect(api.hits.map((h) => h.id)).toEqual(['xss-probe']);
      const hit = api.hits[0]!;

      const card = page.locator('news-search li.card[data-id="xss-probe"]');
      expect(await card.locator('[part~=title]').textContent()).toBe('<img src=x onerror=alert(1)>');
      const snippet = (await card.locator('.snippet').textContent()) ?? '';
      expect(snippet).toContain('<script>alert(2)</script>');
      expect(snippet).toContain('<b onmouseover=alert(4)>bold</b>');
      expect(await card.locator('.snippet mark').allTextContents()).toEqual(['zanzibarquux', 'zanzibarquux']);
      expect(await card.locator('.chip').allTextContents()).toEqual([...hit.people, ...hit.locations]);
      expect(await page.locator('news-search [aria-labelledby=h-location] .name').allTextContents()).toContain('<iframe src=javascript:alert(6)>');
      expect(await page.locator('news-search [aria-labelledby=h-about] .name').allTextContents()).toContain('<iframe src=javascript:alert(6)>');

      const found = await hostileMarkup(page);
      expect(found.elements).toEqual([]);
      expect(found.handlers).toEqual([]);
      expect(found.links).toEqual([]);
      // Hover and click the title, where an injected handler would sit.
      await card.locator('[part~=title]').hover();
      await card.locator('[part~=title]').click();
      await page.waitForTimeout(200);
      expect(dialogsOf(page)).toEqual([]);
    });

    it('rejects the javascript: URL record at index build time', () => {
      const rejected = h().report.rejections.filter((r) => r.file.endsWith('xss-article.json'));
      expect(rejected).toEqual([expect.objectContaining({ record: 'record 2', reason: expect.stringContaining('url') })]);
    });

    it('never turns javascript:, data: or other non-http(s) URLs into links, even if the API sends them', async () => {
      const page = await h().open('/', { withoutCsp: true });
      const urls = ['javascript:alert(3)', ' JaVaScRiPt:alert(7)', 'data:text/html,<script>alert(8)</script>', 'vbscript:msgbox(9)', 'https://example.com/ok?a=1&b=2', '/relative/article'];
      await page.route('**/search?**', async (route) => {
        const res = await route.fetch();
        const body = (await res.json()) as { hits: { url: string | null }[] };
        body.hits.forEach((h, i) => (h.url = urls[i] ?? h.url));
        await route.fulfill({ response: res, json: body });
      });
      const box = page.getByRole('combobox', { name: 'Search news articles' });
      await box.fill('said');
      await settle(page, () => box.press('Enter'));
      const titles = page.locator('news-search li.card [part~=title]');
      for (let i = 0; i < 4; i++) expect(await titles.nth(i).locator('a').count()).toBe(0);
      expect(await titles.nth(4).locator('a').getAttribute('href')).toBe('https://example.com/ok?a=1&b=2');
      expect(await titles.nth(5).locator('a').getAttribute('href')).toBe(`${h().server.url}/relative/article`);

      const before = page.url();
      await titles.nth(0).click();
      await page.waitForTimeout(200);
      expect(page.url()).toBe(before);
      expect(dialogsOf(page)).toEqual([]);
    });
  });
}

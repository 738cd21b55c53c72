/**
 * Shared set-up for the browser tests: a fresh widget build, a real index built from the sample
 * articles plus the XSS fixture, the real local server, and headless Chromium via playwright-core.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { BuildReport } from '../../indexer/build.ts';
import { buildIndex } from '../../cli/build-index.ts';
import type { SearchResponse } from '../../core/types.ts';
import type { Suggestion } from '../../core/search/suggest.ts';
import { startLocalServer, type LocalServer } from '../../local/server.ts';
import { buildWidget } from '../../widget/build.mjs';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Another server's URL (default: the shared server). */
  base?: string;
  /**
   * Serve the demo page without its Content-Security-Policy, as a host page without one would be.
   * The CSP would block an injected inline handler on its own, hiding a widget that let one through.
   */
  withoutCsp?: boolean;
}

export interface Harness {
  server: LocalServer;
  browser: Browser;
  report: BuildReport;
  indexDir: string;
  /**
   * A new page in its own context (fresh history), with the widget's events and any JavaScript
   * dialogs recorded; `base` is another server's URL (default: the shared server).
   */
  open(path?: string, opts?: OpenOptions): Promise<Page>;
  /** The API's answer for the same parameters, fetched from Node: the reference the UI is checked against. */
  api(params: Record<string, string | string[]>): Promise<SearchResponse>;
  /** The API's completions for `q` (`GET /suggest`), fetched from Node. */
  suggest(q: string): Promise<Suggestion[]>;
  /** Closes the pages opened so far (after each test, so idle tabs do not pile up). */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

const dialogs = new WeakMap<Page, string[]>();

/** Messages of every alert/confirm/prompt the page tried to open (an XSS payload firing shows up here). */
export function dialogsOf(page: Page): string[] {
  return dialogs.get(page) ?? [];
}

/** Counts the widget's result and error events, so a test can wait for "the next response". */
const RECORD_EVENTS = () => {
  const w = window as unknown as { __ns: { done: number; errors: number } };
  w.__ns = { done: 0, errors: 0 };
  document.addEventListener('news-search:results', () => w.__ns.done++);
  document.addEventListener('news-search:error', () => {
    w.__ns.done++;
    w.__ns.errors++;
  });
};

export async function startHarness(): Promise<Harness> {
  await buildWidget();
  const indexDir = await mkdtemp(join(tmpdir(), 'ns-browser-'));
  // One worker: 40 articles do not pay for starting extraction threads.
  const report = await buildIndex({
    inputs: [join(ROOT, 'examples/articles'), join(ROOT, 'test/fixtures/xss-article.json')],
    outDir: indexDir,
    workers: 1,
  });
  const server = await startLocalServer({ indexDir, port: 0 });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    report,
    indexDir,
    async open(path = '/', opts = {}) {
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, locale: 'en-GB' });
      contexts.push(context);
      await context.addInitScript(RECORD_EVENTS);
      if (opts.withoutCsp) {
        await context.route(
          (url) => url.pathname === '/',
          async (route) => {
            const res = await route.fetch();
            const headers = { ...res.headers() };
            delete headers['content-security-policy'];
            await route.fulfill({ response: res, headers });
          },
        );
      }
      const page = await context.newPage();
      const seen: string[] = [];
      dialogs.set(page, seen);
      page.on('dialog', (d) => {
        seen.push(d.message());
        void d.dismiss();
      });
      await settle(page, () => page.goto((opts.base ?? server.url) + path), { load: true });
      return page;
    },
    async api(params) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) qs.append(k, one);
      const res = await fetch(`${server.url}/search?${qs}`);
      if (!res.ok) throw new Error(`API ${res.status}: ${await res.text()}`);
      return (await res.json()) as SearchResponse;
    },
    async suggest(q) {
      const res = await fetch(`${server.url}/suggest?${new URLSearchParams({ q })}`);
      if (!res.ok) throw new Error(`API ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { suggestions: Suggestion[] }).suggestions;
    },
    async closePages() {
      await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
    },
    async close() {
      await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
      await browser.close();
      await server.close();
      await rm(indexDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `action`, then waits until the widget has finished handling at least one more response.
 * Pass `load: true` when the action loads a new document (goto, reload): its counter starts from 0.
 */
export async function settle(page: Page, action: () => Promise<unknown>, opts: { load?: boolean } = {}): Promise<void> {
  const before = opts.load ? 0 : await page.evaluate(() => (window as unknown as { __ns?: { done: number } }).__ns?.done ?? 0);
  await action();
  await page.waitForFunction(
    (n) => {
      const ns = (window as unknown as { __ns?: { done: number } }).__ns;
      const main = document.querySelector('news-search')?.shadowRoot?.querySelector('.main');
      return !!ns && ns.done > n && !!main && !main.hasAttribute('aria-busy');
    },
    before,
    { timeout: 10_000 },
  );
}

/** The total the widget shows, as a number. */
export async function shownTotal(page: Page): Promise<number> {
  const text = await page.locator('news-search [part~=total]').textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

/** Article ids of the cards on screen, in order. */
export async function shownIds(page: Page): Promise<string[]> {
  return page.locator('news-search li.card').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
}

/** The `data-key` (or id) of the focused control inside the widget. */
export async function focusedKey(page: Page): Promise<string | null> {
  return page.locator('news-search').evaluate((el) => {
    const f = el.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return f ? (f.dataset['key'] ?? f.id ?? f.tagName) : null;
  });
}

/** The widget's own keys in the page URL (prefix `ns-`). */
export function stateParams(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

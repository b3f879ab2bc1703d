/**
 * Headless Debian Chromium through playwright-core, one browser per test file, a fresh profile per
 * run and no network: every request that does not go to the test server (127.0.0.1) is aborted and
 * remembered, so a test can tell that a course tried to reach the outside world.
 */
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Something that went wrong in a page: an uncaught exception or a console error. */
export interface PageProblem {
  kind: 'exception' | 'console-error';
  /** URL of the frame (console errors) or page (exceptions) it came from. */
  url: string;
  text: string;
}

export interface Browser {
  context: BrowserContext;
  /** Opens a tab; its exceptions and console errors are collected in `problems`. */
  newPage(): Promise<Page>;
  /** Requests aborted because they left 127.0.0.1. */
  readonly blocked: string[];
  readonly problems: PageProblem[];
  /** Forgets what pages of `origin` stored in this profile (localStorage, sessionStorage, IndexedDB…). */
  clearStorage(origin: string): Promise<void>;
  close(): Promise<void>;
}

/** Tabs already handed out by `newPage` (the persistent context's first blank tab is reused once). */
const used = new WeakSet<Page>();

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'coursepack-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: false,
  });
  context.setDefaultTimeout(10_000);
  const blocked: string[] = [];
  const problems: PageProblem[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (/^https?:\/\/127\.0\.0\.1(:\d+)?\//.test(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const watch = (page: Page): void => {
    page.on('pageerror', (error) => problems.push({ kind: 'exception', url: page.url(), text: String(error.stack || error) }));
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const where = message.location();
      problems.push({ kind: 'console-error', url: where.url || page.url(), text: message.text() });
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    async newPage() {
      // The persistent context opens with one blank tab: use it first.
      const blank = context.pages().find((p) => p.url() === 'about:blank' && !used.has(p));
      const page = blank ?? (await context.newPage());
      used.add(page);
      return page;
    },
    blocked,
    problems,
    async clearStorage(origin: string) {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
      await cdp.detach();
    },
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}


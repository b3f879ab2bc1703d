/** `coursepack preview` of a copy of the sample course, open in headless Chromium, the course playing. */
import type { Frame, Page } from 'playwright-core';
import { startPreview, type Preview, type PreviewOptions } from '../../src/preview/server.ts';
import { launchBrowser, waitForPlayer, type Browser } from '../support/browser/index.ts';

export interface OpenPreview {
  preview: Preview;
  browser: Browser;
  /** The preview page. */
  page: Page;
  /** The course's frame in it. */
  sco: Frame;
  close(): Promise<void>;
}

export async function openPreview(options: Omit<PreviewOptions, 'port'>): Promise<OpenPreview> {
  const preview = await startPreview({ ...options, port: 0 });
  const browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  const page = await browser.newPage();
  await page.goto(preview.url);
  const sco = (await (await page.locator('#sco').elementHandle())!.contentFrame())!;
  await waitForPlayer(sco);
  return {
    preview, browser, page, sco,
    async close() {
      await browser.close();
      await preview.close();
    },
  };
}

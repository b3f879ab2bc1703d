/**
 * `coursepack preview --target cmi5` (and xapi): the course is launched by the preview's local LRS
 * stand-in, the panel lists each statement as it is stored, and a simulated LRS outage shows the
 * runtime's notice and ends with every statement stored once.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../src/preview/server.ts';
import { launchBrowser, waitForPlayer, type Browser } from '../support/browser/index.ts';
import { sampleCourseWith } from '../support/course.ts';
import strings from '../../themes/default/locales/en.json' with { type: 'json' };

for (const target of ['cmi5', 'xapi'] as const) {
  describe(`preview of the ${target} package`, () => {
    let preview: Preview;
    let browser: Browser;
    let page: Page;
    let sco: Frame;
    const stored = async () =>
      (await (await fetch(`${preview.url}learner.json`)).json()).statements as { id: string; verb: { id: string } }[];

    beforeAll(async () => {
      preview = await startPreview({ courseDir: await sampleCourseWith(), target, port: 0, watch: false });
      browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
      page = await browser.newPage();
      await page.goto(preview.url);
      sco = (await (await page.locator('#sco').elementHandle())!.contentFrame())!;
      await waitForPlayer(sco);
    });

    afterAll(async () => {
      await browser?.close();
      await preview?.close();
    });

    it('is clearly marked as a local stand-in, and lists each statement as it is stored', async () => {
      expect(await page.locator('#calls-title').textContent()).toContain('local LRS stand-in');
      await sco.evaluate(() => { location.hash = '#lesson-one'; });
      await sco.waitForSelector('#cp-page h1:text("Lesson 1: Blocks")');
      await sco.locator('input[name="cp-kc-aov"][value="b"]').check();
      await sco.locator('#cp-kc-aov [data-action="check"]').click();
      await expect.poll(() => page.locator('#calls').textContent()).toMatch(/answered \S+\/interactions\/kc-aov — success true/);
      expect((await stored())[0].verb.id).toBe('http://adlnet.gov/expapi/verbs/initialized');
    });

    it('an LRS outage shows the runtime’s notice; after it, every statement is stored once', async () => {
      await page.locator('#fail').click();
      await sco.locator('input[name="cp-poll-model"][value="a"]').check();
      await sco.locator('#cp-poll-model [data-action="submit-poll"]').click();
      await expect.poll(() => sco.locator('#cp-notice').textContent(), { timeout: 15_000 }).toContain(strings['runtime.lmsError']);
      await page.locator('#fail').click();
      await expect.poll(() => sco.locator('#cp-notice').isVisible(), { timeout: 20_000 }).toBe(false);
      await expect.poll(async () => (await stored()).some((s) => JSON.stringify(s).includes('interactions/poll-model')), { timeout: 20_000 }).toBe(true);
      const ids = (await stored()).map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
}

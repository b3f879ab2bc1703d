/**
 * `coursepack preview --target cmi5` (and xapi): the course is launched by the preview's local LRS
 * stand-in, the panel lists each statement as it is stored, and a simulated LRS outage shows the
 * runtime's notice and ends with every statement stored once.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCourseWith } from '../support/course.ts';
import { openPreview, type OpenPreview } from './open-preview.ts';
import strings from '../../themes/default/locales/en.json' with { type: 'json' };

for (const target of ['cmi5', 'xapi'] as const) {
  describe(`preview of the ${target} package`, () => {
    let open: OpenPreview;
    let page: Page;
    let sco: Frame;
    const stored = async () =>
      (await (await fetch(`${open.preview.url}learner.json`)).json()).statements as { id: string; verb: { id: string } }[];

    beforeAll(async () => {
      open = await openPreview({ courseDir: await sampleCourseWith(), target, watch: false });
      ({ page, sco } = open);
    });

    afterAll(async () => {
      await open?.close();
    });

    it('is clearly marked as a local stand-in, and lists each statement as it is stored', async () => {
      expect(await page.locator('#calls-title').textContent()).toContain('local LRS stand-in');
      await sco.evaluate(() => { location.hash = '#lesson-one'; });
      await sco.waitForSelector('#cp-page h1:text("Lesson 1: Blocks")');
      await sco.locator('input[name="cp-kc-aov"][value="b"]').check();
      await sco.locator('#cp-kc-aov [data-action="check"]').click();
      await expect.poll(() => page.locator('#calls').textContent()).toMatch(/answered \S+\/interactions\/kc-aov — success true/);
      // The course's first statement is "initialized"; a cmi5 LMS records "launched" before it (cmi5 §9.3.1).
      const all = await stored();
      const fromCourse = all.filter((s) => s.verb.id !== 'http://adlnet.gov/expapi/verbs/launched');
      expect(fromCourse[0].verb.id).toBe('http://adlnet.gov/expapi/verbs/initialized');
      expect(all.length - fromCourse.length).toBe(target === 'cmi5' ? 1 : 0);
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

/**
 * `coursepack preview` in headless Chromium: the course plays inside the LMS stand-in, the panel
 * shows the LMS calls, a saved edit reloads the page where the learner was, a broken edit shows
 * its diagnostics, a simulated LMS failure shows the runtime's notice and its recovery, and the
 * server serves nothing outside the build.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Preview } from '../../src/preview/server.ts';
import { waitForPlayer } from '../support/browser/index.ts';
import { sampleCourseWith } from '../support/course.ts';
import { openPreview, type OpenPreview } from './open-preview.ts';

let courseDir: string;
let open: OpenPreview;
let preview: Preview;
let page: Page;
let sco: Frame;
const LESSON = '01-basics/01-lesson.md';

beforeAll(async () => {
  courseDir = await sampleCourseWith();
  open = await openPreview({ courseDir, target: 'scorm2004', watch: true });
  ({ preview, page, sco } = open);
});

afterAll(async () => {
  await open?.close();
});

/** Saves a course file and waits for the preview to rebuild. */
async function save(path: string, text: string) {
  const rebuilt = preview.rebuilt();
  await writeFile(join(courseDir, path), text);
  return rebuilt;
}

describe('preview', () => {
  it('plays the course in the stand-in, and the panel shows each LMS call as it happens', async () => {
    await sco.evaluate(() => { location.hash = '#lesson-one'; });
    await sco.waitForSelector('#cp-page h1:text("Lesson 1: Blocks")');
    await sco.locator('input[name="cp-kc-aov"][value="b"]').check();
    await sco.locator('#cp-kc-aov [data-action="check"]').click();
    await expect.poll(() => page.locator('#calls').textContent()).toContain('SetValue("cmi.interactions.0.id", "kc-aov") → "true" [0]');
    await expect.poll(() => page.locator('#model').textContent()).toContain('cmi.interactions.0.result');
  });

  it('a saved page edit shows in place, keeping the learner’s place, answer and LMS session', async () => {
    const text = await readFile(join(courseDir, LESSON), 'utf8');
    const status = await save(LESSON, text.replace('Read more at', 'Read far more at'));
    expect(status).toMatchObject({ ok: true, changed: ['pages/lesson-one.html'] });
    await sco.waitForSelector('text=Read far more at', { timeout: 10_000 });
    expect(await sco.locator('#cp-page h1').textContent()).toBe('Lesson 1: Blocks');
    expect(await sco.locator('input[name="cp-kc-aov"][value="b"]').isChecked()).toBe(true);
    expect(await page.locator('#lms-session').textContent()).toBe('session 1');
  });

  it('a change beyond page text relaunches the course where the learner was', async () => {
    const yml = await readFile(join(courseDir, 'course.yml'), 'utf8');
    const status = await save('course.yml', yml.replace('title: Sample Course', 'title: Sample Course, revised'));
    expect(status.ok).toBe(true);
    expect(status.changed).toContain('course.js');
    await expect.poll(() => page.locator('#lms-session').textContent()).toBe('session 2');
    await waitForPlayer(sco);
    expect(await sco.locator('.cp-course-title').textContent()).toBe('Sample Course, revised');
    expect(await sco.locator('#cp-page h1').textContent()).toBe('Lesson 1: Blocks');
    expect(await sco.locator('input[name="cp-kc-aov"][value="b"]').isChecked()).toBe(true);
  });

  it('a broken edit shows the same file:line:column list as the CLI, and the fix clears it', async () => {
    const text = await readFile(join(courseDir, LESSON), 'utf8');
    const broken = await save(LESSON, `${text}\n:::quizz\nOops\n:::\n`);
    expect(broken.ok).toBe(false);
    await expect.poll(() => page.locator('#errors').isVisible()).toBe(true);
    const shown = await page.locator('#error-list').textContent();
    expect(shown).toContain(`${LESSON}:${text.split('\n').length + 1}:1: error: Unknown block \`quizz\` [unknown-directive]`);
    expect(shown).toBe(broken.diagnostics.join('\n'));
    const fixed = await save(LESSON, text);
    expect(fixed.ok).toBe(true);
    await expect.poll(() => page.locator('#errors').isVisible()).toBe(false);
  });

  it('a simulated LMS failure shows the runtime’s notice, and the runtime recovers when the LMS does', async () => {
    await waitForPlayer(sco);
    await page.locator('#fail').click();
    await sco.locator('input[name="cp-poll-model"][value="a"]').check();
    await sco.locator('#cp-poll-model [data-action="submit-poll"]').click();
    await expect.poll(() => sco.locator('#cp-notice').isVisible()).toBe(true);
    expect(await sco.locator('#cp-notice').textContent()).toMatch(/\S/);
    await expect.poll(() => page.locator('#calls').textContent()).toContain('→ "false" [101]');

    await page.locator('#fail').click();
    await expect.poll(() => sco.locator('#cp-notice').isVisible(), { timeout: 15_000 }).toBe(false);
    await expect.poll(async () => (await page.locator('#model').textContent()) ?? '', { timeout: 15_000 })
      .toMatch(/cmi\.interactions\.\d+\.idpoll-model/);
  });

  it('serves nothing outside the build and its own files', async () => {
    const origin = preview.url.replace(/\/$/, '');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/sco/..%2f..%2fpackage.json',
      '/sco/%2e%2e%2f%2e%2e%2fpackage.json', '/lms/../../package.json', '/sco/../course.yml', '/src/cli.ts',
      '/sco/%252e%252e/package.json', '/sco/....//package.json']) {
      const response = await fetch(origin + path);
      expect(response.status, path).toBe(404);
    }
    expect((await fetch(`${origin}/sco/index.html`)).status).toBe(200);
  });
});

/**
 * The player in headless Chromium, inside an LMS stand-in that hosts scorm-again's real API: a
 * learner's run through the fixture course, the LMS data it leaves, and a resume from that data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { serve, type Served } from './browser/harness.ts';
import { makeCourse, prose } from './fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const course = makeCourse();
let server: Served;
let browser: Browser;

beforeAll(async () => {
  server = await serve(course);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Call {
  method: string;
  args: string[];
  result: string;
  error: string;
}

async function open(context: BrowserContext, standard: 'scorm12' | 'scorm2004') {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${server.url}/lms-${standard}.html`);
  const sco = page.frameLocator('#sco');
  await sco.locator('h1').first().waitFor();
  return { page, sco, errors };
}

const calls = (page: Page) => page.evaluate(() => (window as any).calls as Call[]);
const lms = (page: Page) => page.evaluate(() => (window as any).lmsData());
const h1 = (sco: FrameLocator) => sco.locator('#cp-page h1');
const frame = (page: Page) => page.frames().find((f) => f.url().includes('/index.html'))!;

/** Ends the session the way an LMS does: the course frame goes away (pagehide). */
async function leave(page: Page) {
  await page.evaluate(() => ((document.getElementById('sco') as HTMLIFrameElement).src = 'about:blank'));
  await page.waitForFunction(() => (window as any).calls.some((c: Call) => /Finish|Terminate/.test(c.method)));
}

/** Starts the next session with what the LMS kept, as a relaunch would. */
async function relaunch(page: Page, standard: 'scorm12' | 'scorm2004', sco: FrameLocator) {
  await page.evaluate((std) => {
    const d = (window as any).lmsData();
    const keep =
      std === 'scorm12'
        ? { cmi: { suspend_data: d.suspend_data, core: { lesson_location: d.core.lesson_location, lesson_status: d.core.lesson_status, entry: 'resume', student_id: 'u1', student_name: 'Doe, Jane' } } }
        : { cmi: { suspend_data: d.suspend_data, location: d.location, completion_status: d.completion_status, success_status: d.success_status, entry: 'resume', learner_id: 'u1', learner_name: 'Doe, Jane' } };
    sessionStorage.setItem('lms-data', JSON.stringify(keep));
  }, standard);
  await page.reload();
  await sco.locator('h1').first().waitFor();
}

describe.skipIf(!existsSync(CHROMIUM))('player in Chromium with scorm-again (SCORM 1.2)', () => {
  it('plays, records, scores, completes and resumes', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const { page, sco, errors } = await open(context, 'scorm12');

    // Shell state on the first page.
    await expect.poll(() => h1(sco).textContent()).toBe('Title of overview');
    expect(await frame(page).title()).toBe('Title of overview – Test course');
    expect(await sco.locator('a[data-page="overview"]').getAttribute('aria-current')).toBe('page');
    expect(await sco.locator('#cp-prev').isDisabled()).toBe(true);
    expect(await sco.locator('#cp-progress-label').textContent()).toBe('Course progress: 17%'); // 1 of 5 pages + 1 response

    // Next page: focus moves to its heading, the hash follows.
    await sco.locator('#cp-next').click();
    await expect.poll(() => h1(sco).textContent()).toBe('Title of lesson-1');
    expect(await frame(page).evaluate(() => [document.activeElement?.tagName, location.hash])).toEqual(['H1', '#lesson-1']);
    expect(await sco.locator('a[data-page="overview"]').getAttribute('data-visited')).toBe('');

    // Knowledge check: nothing chosen, then a wrong answer.
    const kc = sco.locator('#cp-kc-single');
    await kc.locator('[data-action="check"]').click();
    expect(await kc.locator('.cp-verdict').textContent()).toBe('Choose or type an answer first.');
    await kc.locator('input[value="a"]').check();
    await kc.locator('[data-action="check"]').click();
    expect(await kc.locator('.cp-verdict').textContent()).toBe('Not quite.');
    expect(await kc.locator('.cp-explanation').isVisible()).toBe(true);
    expect(await kc.getAttribute('class')).toContain('cp-incorrect');

    // Poll.
    const poll = sco.locator('#cp-poll-model');
    await poll.locator('input[value="b"]').check();
    await poll.locator('[data-action="submit-poll"]').click();
    expect(await poll.locator('.cp-verdict').textContent()).toBe('Thank you, your answer has been recorded.');

    // Copy prompt.
    await sco.locator('[data-action="copy-prompt"]').click();
    await expect.poll(() => sco.locator('.cp-copy-status').textContent()).toBe('Copied');
    expect(await frame(page).evaluate(() => navigator.clipboard.readText())).toBe('Which AI tools fit my store?');

    // The browser's Back and Forward buttons move between pages.
    await frame(page).evaluate(() => history.back());
    await expect.poll(() => h1(sco).textContent()).toBe('Title of overview');
    await frame(page).evaluate(() => history.forward());
    await expect.poll(() => h1(sco).textContent()).toBe('Title of lesson-1');
    expect(await kc.locator('.cp-verdict').textContent()).toBe('Not quite.'); // restored on return

    // Workbook: text saved as typed, recorded on change, exported escaped.
    await sco.locator('a[data-page="workbook-1"]').click();
    await expect.poll(() => h1(sco).textContent()).toBe('Title of workbook-1');
    const area = sco.locator('#cp-wb-niche-input');
    await area.fill('<b>Eco home</b> & "garden"\n- second line');
    await expect.poll(() => sco.locator('#cp-wb-niche-status').textContent()).toBe('Saved');
    await area.press('Tab');
    const [md] = await Promise.all([page.waitForEvent('download'), sco.locator('[data-action="export-markdown"]').click()]);
    expect(md.suggestedFilename()).toBe('workbook-1.md');
    const mdText = readFileSync((await md.path())!, 'utf8');
    expect(mdText).toContain('\\<b\\>Eco home\\</b\\> \\& "garden"\n\\- second line');
    const [html] = await Promise.all([page.waitForEvent('download'), sco.locator('[data-action="export-html"]').click()]);
    const htmlText = readFileSync((await html.path())!, 'utf8');
    expect(htmlText).toContain('&#60;b&#62;Eco home&#60;/b&#62; &#38; &#34;garden&#34;');
    expect(htmlText).toContain("Content-Security-Policy");
    expect(htmlText).not.toMatch(/<script/i);

    // Quiz: refuses a partial submission, fails the first attempt, passes the second.
    await sco.locator('a[data-page="final-exam"]').click();
    await expect.poll(() => h1(sco).textContent()).toBe('Title of final-exam');
    expect(await sco.locator('.cp-question:not([hidden])').count()).toBe(4);
    const order1 = await sco.locator('.cp-question').evaluateAll((s) => s.map((x) => (x as HTMLElement).dataset.interaction));
    await sco.locator('[data-action="submit-quiz"]').click();
    expect(await sco.locator('.cp-quiz-result').textContent()).toBe('Answer every question before you submit (4 unanswered).');
    const answer = async (multi: string[], tf: string, fill: string) => {
      await sco.locator('#cp-ex-single input[value="b"]').check();
      for (const v of ['a', 'b', 'c', 'd']) await sco.locator(`#cp-ex-multi input[value="${v}"]`).setChecked(multi.includes(v));
      await sco.locator(`#cp-ex-tf input[value="${tf}"]`).check();
      await sco.locator('#cp-ex-fill input').fill(fill);
      await sco.locator('#cp-ex-fill input').press('Tab');
    };
    await answer(['a'], 'a', ' strive ');
    await sco.locator('[data-action="submit-quiz"]').click();
    expect(await sco.locator('.cp-quiz-result').textContent()).toBe(
      'You scored 75%. The pass mark is 80%: not passed yet. Attempts left: 2.',
    );
    expect(await sco.locator('#cp-ex-multi').getAttribute('class')).toContain('cp-incorrect');
    expect(await sco.locator('#cp-ex-single input').first().isDisabled()).toBe(true);
    expect(await sco.locator('[data-action="retry-quiz"]').isVisible()).toBe(true);
    expect((await lms(page)).core.score.raw).toBe('75');
    expect((await lms(page)).core.lesson_status).toBe('incomplete'); // the course itself is not complete yet

    await sco.locator('[data-action="retry-quiz"]').click();
    expect(await sco.locator('#cp-ex-single input[value="b"]').isChecked()).toBe(false);
    await answer(['a', 'c'], 'a', 'STRIVE');
    await sco.locator('[data-action="submit-quiz"]').click();
    expect(await sco.locator('.cp-quiz-result').textContent()).toBe('You scored 100%. The pass mark is 80%: you passed. Attempts left: 1.');
    expect(await sco.locator('[data-action="retry-quiz"]').isVisible()).toBe(false);
    const order2 = await sco.locator('.cp-question:not([hidden])').evaluateAll((s) => s.map((x) => (x as HTMLElement).dataset.interaction));

    // Capstone: the required response completes the course → passed (exam already passed).
    await sco.locator('a[data-page="capstone"]').click();
    await expect.poll(() => h1(sco).textContent()).toBe('Title of capstone');
    await sco.locator('#cp-cap-summary-input').fill('My plan');
    await expect.poll(() => sco.locator('#cp-cap-summary-status').textContent()).toBe('Saved');
    expect(await sco.locator('#cp-progress-label').textContent()).toBe('Course progress: 100%');
    await expect.poll(async () => (await lms(page)).core.lesson_status).toBe('passed');
    const data = await lms(page);
    expect(data.core.score.raw).toBe('100');
    expect(data.core.lesson_location).toBe('capstone');
    expect(data.suspend_data).toMatch(/^cp1:/);
    expect(data.suspend_data.length).toBeLessThanOrEqual(4096);
    const journal = Object.values(data.interactions) as any[];
    expect(journal.map((i) => i.id)).toEqual(
      expect.arrayContaining(['kc-single', 'poll-model', 'wb-niche', 'ex-single', 'ex-multi', 'ex-tf', 'ex-fill']),
    );
    expect(journal.filter((i) => i.id === 'ex-fill').map((i) => i.result)).toEqual(['correct', 'correct']);
    expect(journal.find((i) => i.id === 'wb-niche').student_response).toBe('<b>Eco home</b> & "garden" / - second line');

    // Leaving: finish once, exit "" (the course is finished), nothing after it, no LMS error anywhere.
    await leave(page);
    const log = await calls(page);
    expect(log.filter((c) => c.error !== '0')).toEqual([]);
    expect(log.filter((c) => c.method === 'LMSInitialize')).toHaveLength(1);
    expect(log[log.length - 1].method).toBe('LMSFinish');
    // Suspend, even once passed: a normal exit would let the LMS start a fresh attempt next time.
    expect(log.filter((c) => c.method === 'LMSSetValue' && c.args[0] === 'cmi.core.exit').map((c) => c.args[1])).toEqual(['suspend']);
    // Commits stay few: at most one per page change or answer — 7 page shows, a check, a poll, a
    // text change, 2 quiz submissions — and one to end. Typing, exports and retries do not commit.
    expect(log.filter((c) => c.method === 'LMSCommit').length).toBeLessThanOrEqual(13);

    // Resume: back at the bookmark with everything restored.
    await relaunch(page, 'scorm12', sco);
    await expect.poll(() => h1(sco).textContent()).toBe('Title of capstone');
    expect(await sco.locator('#cp-cap-summary-input').inputValue()).toBe('My plan');
    expect(await sco.locator('a[data-page="workbook-1"]').getAttribute('data-visited')).toBe('');
    await sco.locator('a[data-page="final-exam"]').click();
    await expect.poll(() => h1(sco).textContent()).toBe('Title of final-exam');
    expect(await sco.locator('.cp-quiz-result').textContent()).toContain('You scored 100%');
    expect(await sco.locator('.cp-question:not([hidden])').evaluateAll((s) => s.map((x) => (x as HTMLElement).dataset.interaction))).toEqual(order2);
    expect(order1).toHaveLength(4);
    await sco.locator('a[data-page="lesson-1"]').click();
    await expect.poll(() => h1(sco).textContent()).toBe('Title of lesson-1');
    expect(await sco.locator('#cp-kc-single input[value="a"]').isChecked()).toBe(true);
    expect(await sco.locator('#cp-poll-model .cp-verdict').textContent()).toBe('Thank you, your answer has been recorded.');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('keeps workbook text over the 4,096 limit on the device, says so, and offers the download', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const { page, sco } = await open(context, 'scorm12');
    await sco.locator('a[data-page="workbook-1"]').click();
    await expect.poll(() => h1(sco).textContent()).toBe('Title of workbook-1');
    const long = [prose(700, 1), prose(700, 2)];
    await sco.locator('#cp-wb-niche-input').fill(long[0]);
    await sco.locator('#cp-wb-goal-input').fill(long[1]);
    await sco.locator('#cp-wb-goal-input').press('Tab');
    const notice = sco.locator('#cp-notice');
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain('cannot hold all of your workbook text');
    const sent = (await lms(page)).suspend_data as string;
    expect(sent.length).toBeLessThanOrEqual(4096);
    const [file] = await Promise.all([page.waitForEvent('download'), notice.locator('button').click()]);
    const text = readFileSync((await file.path())!, 'utf8');
    expect(text).toContain(long[0]); // the whole answers, not cut
    expect(text).toContain(long[1]);

    // Next session on this device: the texts come back whole.
    await leave(page);
    expect((await calls(page)).filter((c) => c.error !== '0')).toEqual([]);
    await relaunch(page, 'scorm12', sco);
    await expect.poll(() => h1(sco).textContent()).toBe('Title of workbook-1');
    expect(await sco.locator('#cp-wb-niche-input').inputValue()).toBe(long[0]);
    expect(await sco.locator('#cp-wb-goal-input').inputValue()).toBe(long[1]);
    await context.close();
  }, 60_000);
});

describe.skipIf(!existsSync(CHROMIUM))('player in Chromium (SCORM 2004, web)', () => {
  it('reports completion and success separately and suspends with suspendAll', async () => {
    const context = await browser.newContext();
    const { page, sco, errors } = await open(context, 'scorm2004');
    await sco.locator('a[data-page="final-exam"]').click();
    await expect.poll(() => h1(sco).textContent()).toBe('Title of final-exam');
    await sco.locator('#cp-ex-single input[value="b"]').check();
    await sco.locator('#cp-ex-multi input[value="a"]').check();
    await sco.locator('#cp-ex-multi input[value="c"]').check();
    await sco.locator('#cp-ex-tf input[value="a"]').check();
    await sco.locator('#cp-ex-fill input').fill('strive');
    await sco.locator('[data-action="submit-quiz"]').click();
    await expect.poll(() => sco.locator('.cp-quiz-result').textContent()).toContain('you passed');
    const d = await lms(page);
    expect(d).toMatchObject({ success_status: 'passed', completion_status: 'incomplete' });
    expect(d.score).toMatchObject({ scaled: '1', raw: '100' });
    expect(Number(d.progress_measure)).toBeCloseTo(2 / 6);
    await leave(page);
    const log = await calls(page);
    const bad = log.filter((c) => c.error !== '0' && !(c.method === 'GetValue' && c.error === '403'));
    expect(bad).toEqual([]);
    const navs = log.filter((c) => c.method === 'SetValue' && c.args[0] === 'adl.nav.request').map((c) => c.args[1]);
    expect(navs).toEqual(['suspendAll']);
    expect(log[log.length - 1].method).toBe('Terminate');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('plays without an LMS, saving in this browser and saying so', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/web/index.html`);
    await page.locator('h1').waitFor();
    expect(await page.locator('#cp-notice').textContent()).toBe('Your progress is saved in this browser only.');
    await page.locator('a[data-page="workbook-1"]').click();
    await page.locator('#cp-wb-goal-input').fill('Grow 10%');
    await expect.poll(() => page.locator('#cp-wb-goal-status').textContent()).toBe('Saved');
    await page.reload();
    await page.locator('h1').waitFor();
    await expect.poll(() => page.locator('#cp-page h1').textContent()).toBe('Title of workbook-1');
    expect(await page.locator('#cp-wb-goal-input').inputValue()).toBe('Grow 10%');
    // The TOC toggle works from the keyboard and closes with Escape.
    await page.locator('#cp-toc-toggle').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#cp-toc-toggle').getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#cp-toc').getAttribute('class')).toContain('cp-open');
    await page.keyboard.press('Escape');
    expect(await page.locator('#cp-toc-toggle').getAttribute('aria-expanded')).toBe('false');
    await context.close();
  }, 60_000);
});

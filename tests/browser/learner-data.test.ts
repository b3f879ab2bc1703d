/**
 * Learner data across LMSs and devices, with the real course in headless Chromium and scorm-again
 * as the LMS: a half run with long texts (workbooks 1 and 2, twelve texts of 300+ words in
 * paragraphs), then a relaunch in a fresh browser profile holding only what the LMS stored.
 *
 * - SCORM 1.2, lenient LMS (64,000, Moodle's default): the whole state is stored, every text
 *   comes back on the new profile;
 * - SCORM 1.2, strict LMS (4,096, Moodle with `scormstandard` on): one refused trial per session,
 *   the core in the LMS, every text back on the first device, the core and a notice on the new one;
 * - SCORM 2004: every text back exactly on the new profile, from the interaction records, which
 *   decode to the text; suspend_data then holds references, not the texts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'playwright-core';
import {
  buildCourse,
  chromiumAvailable,
  decodeResponseText,
  interactionsIn,
  interactionsOf,
  isResponse,
  launchBrowser,
  limitSuspendData,
  openLms,
  pageById,
  refusedStateWrites,
  sessionProblems,
  shownAnswer,
  startStaticServer,
  typeResponse,
  waitForPlayer,
  type Browser,
  type BuiltCourse,
  type LmsCall,
  type LmsHost,
  type StaticServer,
  type Standard,
} from '../support/browser/index.ts';
import { learnerTexts, REAL_COURSE } from './real-course-run.ts';

const WORKBOOKS = ['workbook-1', 'workbook-2'];


describe.skipIf(!chromiumAvailable())('learner data: long texts across LMS limits and devices (real course)', () => {
  let built: BuiltCourse;
  let server: StaticServer;
  let texts: Record<string, string>;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    built = await buildCourse(REAL_COURSE, ['scorm12', 'scorm2004']);
    server = await startStaticServer();
    const ids = WORKBOOKS.flatMap((p) => interactionsOf(built.compiled, pageById(built.compiled, p)).filter(isResponse).map((r) => r.id));
    texts = learnerTexts(built.compiled, ids);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await server?.close();
    await built?.remove();
  });

  async function goTo(frame: Frame, id: string): Promise<void> {
    await frame.locator(`#cp-toc a[data-page="${id}"]`).click();
    await frame.waitForFunction(
      (want) =>
        (document.querySelector('#cp-toc a[aria-current="page"]') as HTMLElement | null)?.dataset.page === want &&
        document.querySelector('#cp-page')?.getAttribute('aria-busy') === 'false',
      id,
      { timeout: 10_000 },
    );
  }

  /** A fresh browser profile with the LMS host; `stored` is what the LMS kept from earlier sessions. */
  async function open(standard: Standard, limit: number | null, stored?: Record<string, string>): Promise<{ lms: LmsHost; frame: Frame }> {
    const browser = await launchBrowser();
    browsers.push(browser);
    const lms = await openLms(browser, server, { standard, packageDir: built.dirs[standard]! });
    if (limit) await limitSuspendData(lms, limit);
    if (stored) await lms.page.evaluate((data) => void ((window as any).lms.stored = data), stored);
    await lms.launch();
    const frame = await lms.sco();
    await waitForPlayer(frame);
    return { lms, frame };
  }

  async function writeTexts(frame: Frame): Promise<void> {
    for (const page of WORKBOOKS) {
      await goTo(frame, page);
      for (const id of Object.keys(texts).filter((id) => built.compiled.interactions.get(id)?.pageId === page)) await typeResponse(frame, id, texts[id]);
    }
  }

  /** Every text as shown in its field, per id ('' when empty). */
  async function shownTexts(frame: Frame): Promise<Record<string, string>> {
    const shown: Record<string, string> = {};
    for (const page of WORKBOOKS) {
      await goTo(frame, page);
      for (const id of Object.keys(texts).filter((id) => built.compiled.interactions.get(id)?.pageId === page)) shown[id] = (await shownAnswer(frame, id))[0] ?? '';
    }
    return shown;
  }

  const notice = (frame: Frame) => frame.locator('#cp-notice').evaluate((n) => ((n as HTMLElement).hidden ? '' : (n.textContent || '').trim()));

  /** Session problems apart from the refused trials of a long state, which are counted per session. */
  async function problems(lms: LmsHost, standard: Standard): Promise<{ other: string[]; trials: number[] }> {
    const calls: LmsCall[] = await lms.calls();
    const refused = refusedStateWrites(calls);
    const sessions = (await lms.sessions()).length;
    const other = sessionProblems(standard, calls.filter((c) => !refused.includes(c)), sessions, await lms.events());
    return { other, trials: Array.from({ length: sessions }, (_, s) => refused.filter((c) => c.session === s).length) };
  }

  it('SCORM 1.2, lenient LMS (64,000): the whole state is stored and every text comes back in a fresh profile', async () => {
    const first = await open('scorm12', 64000);
    await writeTexts(first.frame);
    expect(await notice(first.frame), 'no notice: the LMS keeps every text').toBe('');
    await first.lms.end();
    const stored = await first.lms.stored();
    const state = stored['cmi.suspend_data'] ?? '';
    expect(state.length, 'the whole state, over 4,096 characters').toBeGreaterThan(4096);
    expect(state.length).toBeLessThanOrEqual(64000);
    expect(await problems(first.lms, 'scorm12')).toEqual({ other: [], trials: [0] });

    const second = await open('scorm12', 64000, stored);
    expect(await shownTexts(second.frame), 'texts shown in a fresh browser profile').toEqual(texts);
    expect(await notice(second.frame)).toBe('');
    await second.lms.end();
    expect(await problems(second.lms, 'scorm12')).toEqual({ other: [], trials: [0] });
  });

  it('SCORM 1.2, strict LMS (4,096): one refused trial, the core resumes, the notice shows, nothing lost on the first device', async () => {
    const first = await open('scorm12', 4096);
    await writeTexts(first.frame);
    expect(await notice(first.frame), 'the notice says texts stay in this browser').toMatch(/this browser/);
    // The same browser (first device) relaunched: every text, from the LMS core plus this device.
    await first.lms.relaunch();
    const frame = await first.lms.sco();
    await waitForPlayer(frame);
    expect(await shownTexts(frame), 'texts shown on the first device').toEqual(texts);
    await first.lms.end();
    const stored = await first.lms.stored();
    expect((stored['cmi.suspend_data'] ?? '').length).toBeLessThanOrEqual(4096);
    const onFirst = await problems(first.lms, 'scorm12');
    expect(onFirst.other).toEqual([]);
    expect(onFirst.trials[0], 'refused writes in the first session: the one trial').toBe(1);
    expect(Math.max(...onFirst.trials)).toBeLessThanOrEqual(1);

    // A fresh profile: the core (bookmark, visited pages), and the learner told where the texts are.
    const second = await open('scorm12', 4096, stored);
    expect(await second.frame.locator('#cp-toc a[aria-current="page"]').getAttribute('data-page')).toBe('workbook-2');
    expect(await notice(second.frame)).toMatch(/another device/);
    await second.lms.end();
    const onSecond = await problems(second.lms, 'scorm12');
    expect(onSecond.other).toEqual([]);
    expect(Math.max(...onSecond.trials)).toBeLessThanOrEqual(1);
  });

  it('SCORM 2004: every text back exactly in a fresh profile; the records decode to the texts; suspend_data keeps references', async () => {
    const first = await open('scorm2004', null);
    await writeTexts(first.frame);
    await first.lms.end();
    const stored = await first.lms.stored();
    const records = interactionsIn('scorm2004', stored);
    for (const [id, text] of Object.entries(texts)) {
      const parts = records.filter((r) => r.id === id || r.id.startsWith(id + '.'));
      expect(parts.length, `records of ${id}`).toBeGreaterThan(0);
      for (const p of parts) expect(p.response, `${id}: one line, within 4,000`).toMatch(/^[^\r\n\u2028\u2029]{1,4000}$/);
      expect(parts.map((p) => decodeResponseText(p.response)).join(''), `${id}: the record decodes to the text`).toBe(text);
    }
    expect(await problems(first.lms, 'scorm2004')).toEqual({ other: [], trials: [0] });

    const second = await open('scorm2004', null, stored);
    expect(await shownTexts(second.frame), 'texts shown in a fresh browser profile, line breaks included').toEqual(texts);
    expect(await notice(second.frame)).toBe('');
    await second.frame.locator('[data-interaction] textarea').first().press('End'); // no change: nothing new to record
    await second.lms.end();
    const after = await second.lms.stored();
    const slim = after['cmi.suspend_data'] ?? '';
    expect(slim.length, 'suspend_data after the LMS returned every record').toBeLessThan((stored['cmi.suspend_data'] ?? '').length / 3);
    console.log(`SCORM 2004 suspend_data: ${stored['cmi.suspend_data']?.length} characters with the texts, ${slim.length} with references`);
    expect(await problems(second.lms, 'scorm2004')).toEqual({ other: [], trials: [0] });
  });

  it('no page errors, console errors or requests beyond 127.0.0.1 in any profile', () => {
    expect(browsers.length).toBeGreaterThanOrEqual(5);
    for (const b of browsers) {
      expect(b.problems.map((p) => `${p.kind} in ${p.url}: ${p.text}`)).toEqual([]);
      expect(b.blocked).toEqual([]);
    }
  });
});

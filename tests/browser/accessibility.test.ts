/**
 * axe-core on every page of the built sample course (its SCORM 1.2 package, axe injected into the
 * SCO frame of the LMS host; and its web build on a narrow screen) and of the real course in
 * course/ (web build, served over HTTP), in headless Chromium: no violation of impact serious or
 * critical.
 * Every violation found, of any impact, is printed as `impact rule @ course:page: targets — help`
 * so a failure says where to look.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import type { CompiledCourse } from '../../src/model.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import {
  answer, answerQuiz, buildCourse, chromiumAvailable, correctAnswer, formatFindings, interactionsOf, isPoll, isQuestion, launchBrowser,
  openLms, press, REPO_ROOT, runAxe, SEVERE, startStaticServer, submitQuiz, typeResponse, waitForPlayer, walkPages, wrongAnswer,
  type AxeFinding, type Browser, type BuiltCourse, type StaticServer
} from '../support/browser/index.ts';

const REAL_COURSE = join(REPO_ROOT, 'course');

describe.skipIf(!chromiumAvailable())('accessibility (axe-core): no serious or critical violation', () => {
  let server: StaticServer;
  let browser: Browser;
  const built: Record<string, BuiltCourse> = {};

  beforeAll(async () => {
    [built.sample, built.course] = await Promise.all([
      buildCourse(SAMPLE_COURSE, ['scorm12', 'web']),
      buildCourse(REAL_COURSE, ['web']),
    ]);
    server = await startStaticServer({ '/web/sample/': built.sample.dirs.web!, '/web/course/': built.course.dirs.web! });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await Promise.all(Object.values(built).map((b) => b.remove()));
  });

  /** Opens a course in a new tab, as a learner who never saw it: the web build, or the SCORM 1.2 package in the LMS host. */
  let launches = 0;
  async function open(name: 'sample' | 'course', how: 'web' | 'lms' = 'web'): Promise<{ tab: Page; frame: Frame; compiled: CompiledCourse }> {
    await browser.clearStorage(server.origin);
    if (how === 'lms') {
      const lms = await openLms(browser, server, {
        standard: 'scorm12',
        packageDir: built[name].dirs.scorm12!,
        mountAt: `/sco/a11y-${++launches}/`,
      });
      await lms.launch();
      const frame = await lms.sco();
      await waitForPlayer(frame);
      return { tab: lms.page, frame, compiled: built[name].compiled };
    }
    const tab = await browser.newPage();
    await tab.goto(`${server.origin}/web/${name}/index.html`);
    const frame = tab.mainFrame();
    await waitForPlayer(frame);
    return { tab, frame, compiled: built[name].compiled };
  }

  /** Runs axe on every page, walking with Next; returns every finding. */
  async function everyPage(name: 'sample' | 'course', how: 'web' | 'lms'): Promise<AxeFinding[]> {
    const { tab, frame, compiled } = await open(name, how);
    const findings: AxeFinding[] = [];
    const checked: string[] = [];
    const steps = await walkPages(frame, compiled.course.pages, async (page) => {
      findings.push(...(await runAxe(frame, server.origin, `${name}:${page.id}`)));
      checked.push(page.id);
    });
    await tab.close();
    const pages = compiled.course.pages.map((p) => p.id);
    expect(steps.map((s) => s.shown.id), 'pages reached with Next').toEqual(pages);
    expect(checked, 'pages checked by axe').toEqual(pages);
    return findings;
  }

  function expectNoSevere(findings: AxeFinding[]): void {
    if (findings.length) console.log(`axe violations (${findings.length}):\n${formatFindings(findings)}`);
    const severe = findings.filter((f) => f.impact && SEVERE.includes(f.impact));
    expect(severe, `serious or critical axe violations:\n${formatFindings(severe)}`).toEqual([]);
  }

  it('the sample course (SCORM 1.2 in the LMS host): every page as it first appears', async () => {
    expectNoSevere(await everyPage('sample', 'lms'));
  });

  it('the sample course (SCORM 1.2 in the LMS host): pages with checked answers, submitted polls, typed responses, a quiz result', async () => {
    const { tab, frame, compiled } = await open('sample', 'lms');
    const findings: AxeFinding[] = [];
    const checked: string[] = [];
    const steps = await walkPages(frame, compiled.course.pages, async (page) => {
      const blocks = interactionsOf(compiled, page);
      if (!blocks.length) return;
      if (page.type === 'quiz') {
        // A failed attempt shows every verdict, the feedback, the result and "Try again".
        await answerQuiz(frame, compiled, wrongAnswer);
        await submitQuiz(frame);
      } else {
        for (const it of blocks) {
          if (isQuestion(it)) {
            await answer(frame, it, correctAnswer(it));
            await press(frame, it.id, 'check');
          } else if (isPoll(it)) {
            await answer(frame, it, [it.choices[0].id]);
            await press(frame, it.id, 'submit-poll');
          } else {
            await typeResponse(frame, it.id, 'An answer typed by the learner.');
          }
        }
      }
      findings.push(...(await runAxe(frame, server.origin, `sample:${page.id} (answered)`)));
      checked.push(page.id);
    });
    await tab.close();
    expect(steps.map((s) => s.shown.id), 'pages reached with Next').toEqual(compiled.course.pages.map((p) => p.id));
    expect(checked, 'pages checked with their blocks answered').toEqual(
      compiled.course.pages.filter((p) => p.interactionIds.length).map((p) => p.id),
    );
    expectNoSevere(findings);
  });

  it('the sample course (web build) on a narrow screen, with the contents open', async () => {
    const { tab, frame } = await open('sample', 'web');
    await tab.setViewportSize({ width: 375, height: 740 });
    const toggle = frame.locator('#cp-toc-toggle');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded'), 'the contents toggle says it is open').toBe('true');
    const findings = await runAxe(frame, server.origin, 'sample:narrow (contents open)');
    await tab.close();
    expectNoSevere(findings);
  });

  it('the course in course/ (web build): every page', { timeout: 180_000 }, async () => {
    expect(built.course.compiled.course.pages.length).toBeGreaterThan(1);
    expectNoSevere(await everyPage('course', 'web'));
  });
});

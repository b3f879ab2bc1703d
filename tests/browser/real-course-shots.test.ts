/**
 * Screenshots of the real course for a visual review (not assertions on pixels): its SCORM 1.2
 * package in the LMS host, in headless Chromium at 390 px (a phone) and 1280 px wide — a lesson
 * with a table, a knowledge check after "Check answer", the exam after a submitted attempt, a
 * workbook and the capstone with the learner's text. Each subject is saved as the viewport scrolled
 * to it and as the SCO's whole page.
 *
 * Opt-in, as it writes files outside the repository:
 *   COURSEPACK_SHOTS=/tmp/coursepack-shots npx vitest run --config tests/vitest.config.ts tests/browser/real-course-shots.test.ts
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page as Tab } from 'playwright-core';
import {
  answer, answerQuiz, buildCourse, chromiumAvailable, correctAnswer, interactionsOf, isQuestion, isResponse, launchBrowser, openLms,
  pageById, press, startStaticServer, submitQuiz, typeResponse, waitForPlayer, wrongAnswer, type Browser, type BuiltCourse,
  type StaticServer
} from '../support/browser/index.ts';
import { EXAM, FIRST_ATTEMPT_RIGHT, learnerTexts, REAL_COURSE, workbookResponses } from './real-course-run.ts';

const OUT = process.env.COURSEPACK_SHOTS ?? '';
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
];

describe.skipIf(!chromiumAvailable() || !OUT)('screenshots of the real course (SCORM 1.2 in the LMS host)', () => {
  let built: BuiltCourse;
  let server: StaticServer;
  let texts: Record<string, string>;

  beforeAll(async () => {
    built = await buildCourse(REAL_COURSE, ['scorm12']);
    server = await startStaticServer();
    texts = learnerTexts(built.compiled, workbookResponses(built.compiled));
    await mkdir(OUT, { recursive: true });
  });

  afterAll(async () => {
    await server?.close();
    await built?.remove();
  });

  for (const size of WIDTHS) {
    it(`${size.width} px wide`, { timeout: 120_000 }, async () => {
      const browser: Browser = await launchBrowser({ viewport: size });
      try {
        const lms = await openLms(browser, server, { standard: 'scorm12', packageDir: built.dirs.scorm12!, mountAt: `/sco/shots-${size.width}/` });
        const host: Tab = lms.page;
        await lms.launch();
        const frame: Frame = await lms.sco();
        await waitForPlayer(frame);
        const saved: string[] = [];
        const compiled = built.compiled;

        const show = async (id: string): Promise<void> => {
          await frame.evaluate((want) => (location.hash = want), id);
          await frame.waitForFunction(
            (want) =>
              (document.querySelector('#cp-toc a[aria-current="page"]') as HTMLElement | null)?.dataset.page === want &&
              document.querySelector('#cp-page')?.getAttribute('aria-busy') === 'false',
            id,
          );
        };
        /** The SCO's viewport, scrolled so that `selector` is just below the sticky header. */
        const view = async (name: string, selector: string): Promise<void> => {
          await frame.locator(selector).first().evaluate((el) => {
            el.scrollIntoView({ block: 'start' });
            const header = document.querySelector('.cp-header')?.getBoundingClientRect().bottom ?? 0;
            scrollBy(0, el.getBoundingClientRect().top - header - 12);
          });
          const path = join(OUT, `${name}-${size.width}.png`);
          await host.locator('#sco').screenshot({ path });
          saved.push(path);
        };
        /**
         * The SCO's whole page: the frame is made as tall as its document, then put back. Also saved
         * in slices of 1,400 px under parts/, to look at closely (and past Chromium's 16,384 px).
         */
        const full = async (name: string): Promise<void> => {
          await frame.evaluate(() => scrollTo(0, 0));
          const height = await frame.evaluate(() => document.documentElement.scrollHeight);
          await host.evaluate((h) => {
            document.documentElement.style.height = document.body.style.height = 'auto';
            const f = document.getElementById('sco') as HTMLIFrameElement;
            f.style.flex = 'none';
            f.style.height = `${h}px`;
          }, height);
          const box = (await host.locator('#sco').boundingBox())!;
          const path = join(OUT, `${name}-${size.width}-full.png`);
          await host.screenshot({ path, fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(height, 16000) } });
          saved.push(path);
          await mkdir(join(OUT, 'parts'), { recursive: true });
          for (let y = 0, i = 1; y < height; y += 1400, i++) {
            const part = join(OUT, 'parts', `${name}-${size.width}-${String(i).padStart(2, '0')}.png`);
            await host.screenshot({ path: part, fullPage: true, clip: { x: box.x, y: box.y + y, width: box.width, height: Math.min(1400, height - y) } });
          }
          await host.evaluate(() => {
            document.documentElement.style.height = document.body.style.height = '';
            const f = document.getElementById('sco') as HTMLIFrameElement;
            f.style.flex = f.style.height = '';
          });
        };

        // A lesson with a table.
        await show('lesson-6-2');
        await view('table-lesson-6-2', '#cp-page table');
        await full('table-lesson-6-2');

        // A knowledge check after "Check answer": the first answered wrong, the second right.
        await show('module-1-check');
        const [wrongQ, rightQ] = interactionsOf(compiled, pageById(compiled, 'module-1-check')).filter(isQuestion);
        await answer(frame, wrongQ, wrongAnswer(wrongQ));
        await press(frame, wrongQ.id, 'check');
        await answer(frame, rightQ, correctAnswer(rightQ));
        await press(frame, rightQ.id, 'check');
        await view('check-wrong-module-1-check', `[data-interaction="${wrongQ.id}"]`);
        await view('check-right-module-1-check', `[data-interaction="${rightQ.id}"]`);
        await full('check-module-1-check');

        // A workbook with the learner's text (in 1.2 the texts soon outgrow suspend_data: the notice shows).
        await show('workbook-1');
        for (const r of interactionsOf(compiled, pageById(compiled, 'workbook-1')).filter(isResponse)) await typeResponse(frame, r.id, texts[r.id]);
        await view('workbook-1', '#cp-page h1');
        await view('workbook-1-response', '#cp-page .cp-response');
        await full('workbook-1');

        // The capstone with the learner's text.
        await show('lesson-7-1');
        for (const r of interactionsOf(compiled, pageById(compiled, 'lesson-7-1')).filter(isResponse)) await typeResponse(frame, r.id, texts[r.id]);
        await view('capstone-lesson-7-1', '#cp-page .cp-response');
        await full('capstone-lesson-7-1');

        // The exam after a submitted (failed) attempt: verdicts, feedback, result, "Try again".
        await show(EXAM);
        let n = 0;
        await answerQuiz(frame, compiled, (q) => (n++ < FIRST_ATTEMPT_RIGHT ? correctAnswer(q) : wrongAnswer(q)));
        expect(await submitQuiz(frame)).not.toBe('');
        await view('exam-question', '#cp-page .cp-question:not([hidden])');
        await view('exam-wrong-question', '#cp-page .cp-question.cp-incorrect:not([hidden])');
        await view('exam-result', '#cp-page .cp-quiz');
        await full('exam');

        console.log(`screenshots (${size.width} px):\n${saved.join('\n')}`);
        expect(saved.length).toBeGreaterThan(0);
      } finally {
        await browser.close();
      }
    });
  }
});

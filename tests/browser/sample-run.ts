/**
 * The learner's run through the sample course in an LMS, shared by the SCORM 1.2 and 2004 tests:
 * every page with Next, the knowledge check and polls, the workbook, a relaunch mid-course, the
 * quiz failed once and then passed, the feedback page, the end of the session.
 *
 * `describeSampleCourseRun` declares these steps as tests (in order, sharing one browser and one
 * LMS) and records what the learner did, so each standard's file can then check the LMS's data
 * against it in its own terms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'playwright-core';
import type { Interaction, Page } from '../../src/model.ts';
import { closeLmsRun, startLmsRun, type LmsRun } from './lms-run.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import {
  chromiumAvailable, correctAnswer, interactionsOf, isPoll, isQuestion, next, pageById, previous,
  quizButton, sessionProblems, shownAnswer, shownQuestions, textOf, verdict, waitForPlayer, 
  type LmsCall, type Standard, allAnswers as allGiven, Learner, LESSON, QUIZ, WORKBOOK,
  type Given
} from '../support/browser/index.ts';

export interface SampleRun extends LmsRun {
  /** The learner, whose `given`, `texts` and `leftWith` these are. */
  learner: Learner;
  given: Given[];
  /** The text each response holds at the end. */
  texts: Record<string, string>;
  /** Texts a response held each time the learner left its field (what an LMS report may show). */
  leftWith: Record<string, string[]>;
  /** The quiz's question order in each attempt. */
  quizOrders: string[][];
  /** The LMS's live data and the calls so far, right after the failed and the passed attempt. */
  afterFail?: { live: Record<string, string>; calls: LmsCall[] };
  afterPass?: { live: Record<string, string>; calls: LmsCall[] };
  /** Number of the session that was ended mid-course (before the relaunch). */
  midCourseSession?: number;
  /** Number of the session in which the course was finished (quiz passed, last page seen). */
  finishingSession?: number;
}

export const QUIZ_PAGE = QUIZ;

export function describeSampleCourseRun(
  standard: Standard,
  title: string,
  more: (run: () => SampleRun) => void,
): void {
  describe.skipIf(!chromiumAvailable())(title, () => {
    let run: SampleRun;
    const get = (): SampleRun => run;
    let frame: Frame;

    beforeAll(async () => {
      const base = await startLmsRun(SAMPLE_COURSE, standard);
      const learner = new Learner(base.compiled);
      run = {
        ...base, learner,
        given: learner.given, texts: learner.texts, leftWith: learner.leftWith, quizOrders: [],
      };
    });

    afterAll(() => closeLmsRun(run));

    const pages = (): Page[] => run.compiled.course.pages;
    const its = (page: Page): Interaction[] => interactionsOf(run.compiled, page);
    /** Next, then: the expected page is shown, its h1 is the model's title and has focus. */
    async function nextTo(id: string): Promise<void> {
      const page = pageById(run.compiled, id);
      const shown = await next(frame);
      expect(shown.id, `page shown after Next (expected ${id})`).toBe(id);
      // Soft: the walk goes on, so one missing focus does not hide what comes after.
      expect.soft(shown.title, `h1 of ${id}`).toBe(page.title);
      expect.soft(shown.focused, `focus after Next to ${id} is on ${shown.focus}, not the page's h1`).toBe(true);
    }

    it('launches: one session starts and the first page of the course is shown', async () => {
      await run.lms.launch();
      frame = await run.lms.sco();
      const shown = await waitForPlayer(frame);
      expect(shown.id).toBe(pages()[0].id);
      expect(shown.title).toBe(pages()[0].title);
      const sessions = await run.lms.sessions();
      expect(sessions).toHaveLength(1);
      expect(sessions[0].initialized, 'the SCO initialised its LMS session').toBe(true);
    });

    it('walks with Next to the lesson: every page shows its title in an h1 that takes focus', async () => {
      const to = pages().findIndex((p) => p.id === LESSON);
      expect(to).toBeGreaterThan(0);
      for (const page of pages().slice(1, to + 1)) await nextTo(page.id);
    });

    it('lesson: the knowledge check gives its verdict and feedback; the polls are submitted', async () => {
      const lesson = pageById(run.compiled, LESSON);
      const checks = its(lesson).filter(isQuestion);
      const polls = its(lesson).filter(isPoll);
      expect(checks.length).toBeGreaterThan(0);
      expect(polls.length).toBeGreaterThan(0);
      await run.learner.lesson(frame);
    });

    it('workbook: the learner types both responses', async () => {
      await nextTo(WORKBOOK);
      const [, risks] = its(pageById(run.compiled, WORKBOOK));
      // Both typed, then more text, and the course is closed while the cursor is still in the field.
      await run.learner.workbook(frame);
      expect(await shownAnswer(frame, risks.id)).toEqual([run.texts[risks.id]]);
    });

    it('relaunch mid-course: the bookmarked page comes back with the text typed in it', async () => {
      run.midCourseSession = (await run.lms.sessions()).length - 1;
      // A new device: what comes back can only come from the LMS.
      const { finished } = await run.lms.relaunch({ newDevice: true });
      expect(finished, 'the SCO finished its LMS session when the course was closed (pagehide)').toBe(true);
      frame = await run.lms.sco();
      const shown = await waitForPlayer(frame);
      expect(shown.id, 'page shown after the relaunch').toBe(WORKBOOK);
      expect(shown.title).toBe(pageById(run.compiled, WORKBOOK).title);
      for (const [id, text] of Object.entries(run.texts)) {
        expect.soft(await shownAnswer(frame, id), `text of ${id} after the relaunch`).toEqual([text]);
      }
    });

    it('relaunch mid-course: the contents mark the visited pages and the progress bar counts them', async () => {
      const visited = pages().slice(0, pages().findIndex((p) => p.id === WORKBOOK) + 1).map((p) => p.id);
      const marks = await frame.locator('#cp-toc a[data-page]').evaluateAll((as) =>
        as.filter((a) => a.hasAttribute('data-visited')).map((a) => (a as HTMLElement).dataset.page));
      expect(marks.sort(), 'contents entries marked data-visited').toEqual([...visited].sort());
      // docs/runtime.md: the progress bar counts the counted pages visited and the required
      // responses written, the same measure the LMS gets.
      const { completion } = run.compiled.course;
      const counted = pages().filter((p) => completion.pages === 'all' || p.required);
      const done = counted.filter((p) => visited.includes(p.id)).length + completion.responses.length;
      const share = (100 * done) / (counted.length + completion.responses.length);
      const progress = await frame.locator('#cp-progress').evaluate((p) => (p as HTMLProgressElement).value);
      expect(Math.abs(progress - share), `#cp-progress is ${progress}; ${share}% of the counted pages are visited`).toBeLessThan(1);
    });

    it('relaunch mid-course: the earlier answers and verdicts are back on the lesson page', async () => {
      const back = await previous(frame);
      expect(back.id).toBe(LESSON);
      expect.soft(back.focused, `focus after Previous is on ${back.focus}`).toBe(true);
      for (const g of run.given) {
        expect.soft((await shownAnswer(frame, g.id)).sort(), `answer of ${g.id} after the relaunch`).toEqual([...g.values].sort());
        expect.soft(await verdict(frame, g.id, 3_000), `verdict of ${g.id} shown again after the relaunch`).not.toBe('');
      }
      await nextTo(WORKBOOK);
    });

    it('quiz: a wrong attempt fails, and the result and "Try again" are shown', async () => {
      await nextTo(QUIZ_PAGE);
      const quiz = pageById(run.compiled, QUIZ_PAGE);
      expect(quiz.quiz, 'the quiz page has quiz settings in the model').toBeTruthy();
      const pool = its(quiz).filter(isQuestion).map((q) => q.id);
      const order = await shownQuestions(frame);
      expect([...order].sort(), 'questions shown in the first attempt').toEqual([...pool].sort());
      run.quizOrders.push(order);
      const result = await run.learner.failQuiz(frame);
      expect(result, 'the result states the score (0%)').toMatch(/(^|\D)0\s?%/);
      expect(await quizButton(frame, 'retry-quiz').isVisible(), '"Try again" is offered (1 of 2 attempts used)').toBe(true);
      run.afterFail = { live: await run.lms.live(), calls: await run.lms.calls() };
    });

    it('quiz: "Try again", everything right: the attempt passes', async () => {
      expect(await quizButton(frame, 'retry-quiz').isVisible()).toBe(true);
      await run.learner.retryQuiz(frame);
      const quiz = pageById(run.compiled, QUIZ_PAGE);
      const order = await shownQuestions(frame);
      expect([...order].sort(), 'questions shown in the second attempt').toEqual(its(quiz).filter(isQuestion).map((q) => q.id).sort());
      run.quizOrders.push(order);
      const result = await run.learner.quiz(frame, 'quiz-2', (q) => correctAnswer(q));
      expect(result, 'the result states the score (100%)').toMatch(/(^|\D)100\s?%/);
      expect(await quizButton(frame, 'retry-quiz').isVisible(), 'no "Try again" after passing').toBe(false);
      run.afterPass = { live: await run.lms.live(), calls: await run.lms.calls() };
    });

    it('the last page: poll and comment; closing the course ends the session', async () => {
      const from = pages().findIndex((p) => p.id === QUIZ_PAGE);
      for (const page of pages().slice(from + 1)) await nextTo(page.id);
      await run.learner.feedback(frame);
      run.finishingSession = (await run.lms.sessions()).length - 1;
      const { finished } = await run.lms.end();
      expect(finished, 'the SCO finished its LMS session when the course was closed (pagehide)').toBe(true);
    });

    it('relaunch after finishing: the last page, its answers and the quiz result are still there', async () => {
      // The learner comes back to look at their work (authoring guide: text is "restored on their next visit").
      const { finished } = await run.lms.relaunch({ newDevice: true });
      expect(finished).toBe(true);
      frame = await run.lms.sco();
      const last = pages()[pages().length - 1];
      const shown = await waitForPlayer(frame);
      expect(shown.id, 'page shown when coming back').toBe(last.id);
      for (const it of its(last)) {
        if (it.kind === 'response') expect.soft(await shownAnswer(frame, it.id), `text of ${it.id}`).toEqual([run.texts[it.id]]);
        else {
          const g = run.given.filter((x) => x.id === it.id).at(-1);
          expect.soft((await shownAnswer(frame, it.id)).sort(), `answer of ${it.id}`).toEqual([...(g?.values ?? [])].sort());
        }
      }
      const quiz = pages().findIndex((p) => p.id === QUIZ_PAGE);
      for (let i = pages().length - 2; i >= quiz; i--) {
        const back = await previous(frame);
        expect(back.id).toBe(pages()[i].id);
      }
      const result = await textOf(frame.locator('#cp-page .cp-quiz-result'), 3_000);
      expect.soft(result, 'the quiz result is shown again (100%)').toMatch(/(^|\D)100\s?%/);
      expect.soft(await quizButton(frame, 'retry-quiz').isVisible(), 'no "Try again" after passing').toBe(false);
      expect.soft(await quizButton(frame, 'submit-quiz').isVisible(), 'no new attempt to submit after passing').toBe(false);
      const { finished: again } = await run.lms.end();
      expect(again, 'the SCO finished this session too').toBe(true);
    });

    it('the SCO loads every file it asks for, reaches for no network and throws no errors', () => {
      expect(run.server.notFound, 'requests answered 404').toEqual([]);
      expect(run.browser.blocked, 'requests that left 127.0.0.1').toEqual([]);
      const problems = run.browser.problems.filter((p) => p.kind === 'exception' || /Refused to|Content Security Policy/i.test(p.text));
      expect(problems.map((p) => `${p.kind} in ${p.url}: ${p.text}`), 'uncaught exceptions and CSP violations').toEqual([]);
    });

    it('scorm-again reports no API error; each session initialises once, finishes once and sends nothing after', async () => {
      const calls = await run.lms.calls();
      const sessions = await run.lms.sessions();
      expect(sessions.length, 'sessions: the first, the relaunch mid-course, the visit after finishing').toBe(3);
      const events = await run.lms.events();
      expect(events.length, 'scorm-again events seen by the host').toBeGreaterThan(0);
      const problems = [...(await run.lms.problems()), ...sessionProblems(standard, calls, sessions.length, events)];
      expect(problems, problems.join('\n')).toEqual([]);
    });

    more(get);
  });
}

/** Every answer of the run, free-text responses included (with their final text). */
export const allAnswers = (run: SampleRun): Given[] => allGiven(run);

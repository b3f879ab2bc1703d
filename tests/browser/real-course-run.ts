/**
 * The real course in course/ ("AI for E-commerce Marketing"), played in an LMS (scorm-again) by a
 * diligent learner, shared by the SCORM 1.2 and 2004 runs of real-course.test.ts: every page with
 * Next, the Lesson 1.1 polls, every knowledge check (the first of each page answered wrong, then
 * right), every workbook and capstone response with 300+ words of real prose, a relaunch
 * mid-course, the final exam failed once and then passed, the optional pages, the end of the
 * session and a last visit to look at the work.
 *
 * `describeRealCourseRun` declares these steps as tests (in order, sharing one browser and one
 * LMS) and records what the learner did, so the test file checks the LMS's data in each
 * standard's own terms. Answers come from the compiled model, never from the page.
 *
 * Where the runtime keeps the learner's texts differs by standard: SCORM 1.2 holds 4,096
 * characters of suspend_data, so the runtime keeps what does not fit in this browser and says so
 * in #cp-notice; the relaunch is on the same browser. SCORM 2004 holds 64,000, so everything must
 * come back from the LMS alone: the relaunch is on a "new device" (browser storage cleared).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'playwright-core';
import LZString from 'lz-string';
import type { Interaction, Page, Question } from '../../src/model.ts';
import {
  answerQuiz, chromiumAvailable, correctAnswer, explanationShown, interactionsOf, isPoll, isQuestion, isResponse,
  pageById, quizButton, REPO_ROOT, section, sessionProblems, shownPage, shownQuestions, submitQuiz, textOf,
  verdict, waitForPlayer, wrongAnswer, type LmsCall, type Standard,
  DiligentLearner, MIN_WORDS, wordCount, workbookResponses, type Given, limitSuspendData, refusedStateWrites,
} from '../support/browser/index.ts';
import { closeLmsRun, expectSuspended, startLmsRun, type LmsRun } from './lms-run.ts';

export const REAL_COURSE = join(REPO_ROOT, 'course');
/** The scoring quiz of course.yml. */
export const EXAM = 'final-exam';
/** The course is closed mid-course on this page (after two workbooks) and launched again. */
export const MID_COURSE = 'workbook-2';
export { MIN_WORDS, learnerTexts, sentencesOf, surveyComment, wordCount, workbookResponses } from '../support/browser/index.ts';
/** SCORM 1.2 CMIString4096: the longest cmi.suspend_data. */
export const SCORM12_STATE_LIMIT = 4096;
/** SCORM 2004 cmi.suspend_data: characterstring SPM 64,000. */
export const SCORM2004_STATE_LIMIT = 64000;
/** Questions of the first exam attempt answered right (of 30: 60 %, below the pass mark). */
export const FIRST_ATTEMPT_RIGHT = 18;

/** What #cp-notice showed right after a response was typed. */
export interface NoticeSeen {
  after: string;
  shown: boolean;
  text: string;
  /** The notice offers a button (the download of the learner's answers). */
  button: string;
  /** lz-string Base64 of the typed texts alone: a lower bound of the encoded state. */
  textsEncoded: number;
}

export interface RealRun extends LmsRun {
  /** The learner, whose `given` and `texts` these are. */
  learner: DiligentLearner;
  given: Given[];
  /** The text each response holds, in the order typed. */
  texts: Record<string, string>;
  notices: NoticeSeen[];
  /** The exam's question order in each attempt. */
  examOrders: string[][];
  /** The score each attempt should get (percent). */
  examScores: number[];
  afterFail?: { live: Record<string, string>; calls: LmsCall[] };
  afterPass?: { live: Record<string, string>; calls: LmsCall[] };
  /** What the LMS held, and every call, right after the session that finished the course ended. */
  afterEnd?: { stored: Record<string, string>; calls: LmsCall[] };
  midCourseSession?: number;
  finishingSession?: number;
}

/** lz-string Base64 of the texts alone (the runtime's codec): a lower bound of the encoded state's length. */
export const encodedTexts = (texts: Record<string, string>): number =>
  LZString.compressToBase64(JSON.stringify({ t: texts })).length;

/**
 * For the report: the encoded state as the runtime documents it (src/runtime/state.ts: `cp1:` +
 * lz-string Base64 of JSON with `t` texts, `o` texts kept elsewhere). null when it does not decode.
 */
export function decodeSuspendData(value: string | undefined): { texts: number; elsewhere: number } | null {
  if (!value?.startsWith('cp1:')) return null;
  try {
    const w = JSON.parse(LZString.decompressFromBase64(value.slice(4)) || 'null');
    return { texts: Object.keys(w?.t ?? {}).length, elsewhere: (w?.o ?? []).length };
  } catch {
    return null;
  }
}

export function describeRealCourseRun(standard: Standard, title: string, more: (run: () => RealRun) => void): void {
  describe.skipIf(!chromiumAvailable())(title, () => {
    let run: RealRun;
    let frame!: Frame;
    let learner: DiligentLearner;
    /** What the learner will type, per response id. */
    let plan: Record<string, string>;
    /** The course's frame after a launch: the learner acts in it. */
    const launched = async () => {
      frame = await run.lms.sco();
      learner.frame = frame;
    };

    beforeAll(async () => {
      const base = await startLmsRun(REAL_COURSE, standard);
      // SCORM 1.2 as the strictest LMS keeps it (Moodle with `scormstandard` on): 4,096 characters.
      if (standard === 'scorm12') await limitSuspendData(base.lms, SCORM12_STATE_LIMIT);
      learner = new DiligentLearner(base.compiled, noticeAfter);
      plan = learner.plan;
      run = {
        ...base, learner,
        given: learner.given, texts: learner.texts, notices: [], examOrders: [], examScores: [],
      };
    });

    afterAll(() => closeLmsRun(run));

    const pages = (): Page[] => run.compiled.course.pages;
    const its = (page: Page): Interaction[] => interactionsOf(run.compiled, page);
    const indexOf = (id: string): number => pages().findIndex((p) => p.id === id);
    const hasExplanation = async (id: string): Promise<boolean> => (await section(frame, id).locator('.cp-explanation').count()) > 0;

    const nextTo = (id: string) => learner.nextTo(id);
    const goTo = (id: string) => learner.goTo(id);
    const walkThrough = (last: string) => learner.walkThrough(last);
    const expectWorkShown = (when: string) => learner.expectWorkShown(when);

    async function notice(): Promise<{ shown: boolean; text: string; button: string }> {
      return frame.locator('#cp-notice').evaluate((n) => ({
        shown: !(n as HTMLElement).hidden && (n as HTMLElement).checkVisibility(),
        text: (n.textContent || '').replace(/\s+/g, ' ').trim(),
        button: (n.querySelector('button')?.textContent || '').trim(),
      }));
    }

    /** Once a text is typed: SCORM 1.2 shows a notice when the texts outgrow suspend_data, 2004 never. */
    async function noticeAfter(id: string): Promise<void> {
      const textsEncoded = encodedTexts(run.texts);
      const over = standard === 'scorm12' && textsEncoded > SCORM12_STATE_LIMIT;
      if (over) {
        // The runtime shows the notice while saving; give it a moment.
        await frame.waitForFunction(() => !(document.querySelector('#cp-notice') as HTMLElement).hidden, undefined, { timeout: 3_000 }).catch(() => {});
      }
      const seen = await notice();
      run.notices.push({ after: id, textsEncoded, ...seen });
      if (over) {
        expect.soft(seen.shown, `#cp-notice after ${id}: the texts (${textsEncoded} characters encoded) exceed cmi.suspend_data's ${SCORM12_STATE_LIMIT}`).toBe(true);
        expect.soft(seen.button, `#cp-notice after ${id} offers the download of the answers`).not.toBe('');
      }
      if (standard === 'scorm2004') {
        expect.soft(seen.shown, `#cp-notice after ${id} (${textsEncoded} characters of texts encoded): ${seen.text}`).toBe(false);
      }
    }

    it('launches: one session starts, the overview is shown and there is no notice', async () => {
      await run.lms.launch();
      await launched();
      const shown = await waitForPlayer(frame);
      expect(shown.id).toBe(pages()[0].id);
      expect(shown.title).toBe(pages()[0].title);
      expect(pages(), 'the course has 45 pages').toHaveLength(45);
      expect(run.compiled.course.scoring?.quiz, 'the scoring quiz of course.yml').toBe(EXAM);
      const sessions = await run.lms.sessions();
      expect(sessions).toHaveLength(1);
      expect(sessions[0].initialized).toBe(true);
      expect((await notice()).shown, '#cp-notice at launch').toBe(false);
      const words = Object.entries(plan).filter(([id]) => workbookResponses(run.compiled).includes(id)).map(([id, t]) => [id, wordCount(t)] as const);
      expect(words.length, 'workbook and capstone responses to write').toBeGreaterThanOrEqual(38);
      expect(words.filter(([, n]) => n < MIN_WORDS), `responses under ${MIN_WORDS} words`).toEqual([]);
      const capstone = words.map(([id]) => id).filter((id) => id.startsWith('capstone-'));
      expect(capstone.filter((id) => !/reflection/.test(id)), 'the six capstone-* responses').toHaveLength(6);
    });

    it('module 1: every page with Next; the Lesson 1.1 polls submitted; the knowledge check answered, wrong then right', async () => {
      const lesson11 = its(pageById(run.compiled, 'lesson-1-1'));
      expect(lesson11.filter(isPoll).length, 'polls of Lesson 1.1').toBeGreaterThan(0);
      await walkThrough('module-1-check');
      expect(run.given.filter((g) => g.how === 'poll').map((g) => g.id)).toEqual(lesson11.filter(isPoll).map((p) => p.id));
    });

    it('module 2: workbook 1, six texts of 300+ words, each saved', async () => {
      await walkThrough('module-2-check');
      for (const r of its(pageById(run.compiled, 'workbook-1')).filter(isResponse)) expect(run.texts[r.id], r.id).toBeDefined();
      if (standard === 'scorm12') {
        const over = run.notices.find((n) => n.textsEncoded > SCORM12_STATE_LIMIT);
        expect(over, 'the workbook texts exceed 4,096 encoded characters').toBeDefined();
        expect(over!.shown, `#cp-notice once the texts exceeded the limit (after ${over!.after})`).toBe(true);
      }
    });

    it(`module 3 up to ${MID_COURSE}: six more texts`, async () => {
      await walkThrough(MID_COURSE);
    });

    it(`relaunch mid-course (${standard === 'scorm12' ? 'same browser' : 'new device: browser storage cleared'}): the bookmark, every answer and every text come back`, async () => {
      run.midCourseSession = (await run.lms.sessions()).length - 1;
      const { finished } = await run.lms.relaunch({ newDevice: standard === 'scorm2004' });
      expect(finished, 'the SCO finished its LMS session when the course was closed (pagehide)').toBe(true);
      await launched();
      const shown = await waitForPlayer(frame);
      expect(shown.id, 'page shown after the relaunch (the bookmark)').toBe(MID_COURSE);
      // The contents mark the pages visited before.
      const visited = pages().slice(0, indexOf(MID_COURSE) + 1).map((p) => p.id);
      const marks = await frame.locator('#cp-toc a[data-page]').evaluateAll((as) =>
        as.filter((a) => a.hasAttribute('data-visited')).map((a) => (a as HTMLElement).dataset.page));
      expect.soft(marks.sort(), 'contents entries marked data-visited').toEqual([...visited].sort());
      if (standard === 'scorm2004') {
        const n = await notice();
        expect.soft(n.shown, `#cp-notice after the relaunch: ${n.text}`).toBe(false);
      }
      expect(Object.keys(run.texts).length, 'texts typed before the relaunch').toBe(12);
      await expectWorkShown('after the relaunch');
      await goTo(MID_COURSE);
    });

    it('modules 3 to 6: the knowledge checks and workbooks 3 and 4', async () => {
      await walkThrough('module-6-check');
    });

    it('capstone (Lesson 7.1): the six capstone-* responses and the five reflections, 300+ words each', async () => {
      await walkThrough('lesson-7-1');
      const capstone = its(pageById(run.compiled, 'lesson-7-1')).filter(isResponse).map((r) => r.id);
      expect(capstone.filter((id) => !(id in run.texts)), 'capstone responses left empty').toEqual([]);
      for (const id of run.compiled.course.completion.responses) expect(run.texts[id], `required response ${id}`).toBeDefined();
    });

    it('final exam: 30 shuffled questions; a first attempt with too many wrong answers fails and offers "Try again"', async () => {
      // The pages between the capstone and the exam (the submission step, the optional peer feedback).
      const beforeExam = pages()[indexOf(EXAM) - 1].id;
      if ((await shownPage(frame)).id !== beforeExam) await walkThrough(beforeExam);
      await nextTo(EXAM);
      const exam = pageById(run.compiled, EXAM);
      expect(exam.quiz, 'the exam settings in the model').toEqual({ passMark: 80, attempts: 3, shuffle: true, draw: null });
      const pool = its(exam).filter(isQuestion).map((q) => q.id);
      expect(pool).toHaveLength(30);
      const order = await shownQuestions(frame);
      expect([...order].sort(), 'questions shown in the first attempt').toEqual([...pool].sort());
      run.examOrders.push(order);
      let n = 0;
      const given = await answerQuiz(frame, run.compiled, (q) => (n++ < FIRST_ATTEMPT_RIGHT ? correctAnswer(q) : wrongAnswer(q)));
      const score = Math.round((FIRST_ATTEMPT_RIGHT / pool.length) * 10000) / 100;
      expect(score).toBeLessThan(exam.quiz!.passMark);
      run.examScores.push(score);
      const result = await submitQuiz(frame);
      for (const [id, values] of given) run.given.push({ id, values, how: 'exam-1' });
      expect(result, `the result states the score (${score}%)`).toMatch(new RegExp(`(^|\\D)${score}\\s?%`));
      expect(await quizButton(frame, 'retry-quiz').isVisible(), '"Try again" is offered (1 of 3 attempts used)').toBe(true);
      // Every question shows its verdict and, where written, its feedback.
      for (const id of order) {
        expect.soft(await verdict(frame, id, 3_000), `verdict of ${id} after the attempt`).not.toBe('');
        if (await hasExplanation(id)) expect.soft(await explanationShown(frame, id), `feedback of ${id} after the attempt`).toBe(true);
      }
      run.afterFail = { live: await run.lms.live(), calls: await run.lms.calls() };
    });

    it('final exam: "Try again", every answer right: 100 %, passed, no more attempts offered', async () => {
      await quizButton(frame, 'retry-quiz').click();
      await quizButton(frame, 'submit-quiz').waitFor({ state: 'visible' });
      const pool = pageById(run.compiled, EXAM).interactionIds;
      const order = await shownQuestions(frame);
      expect([...order].sort(), 'questions shown in the second attempt').toEqual([...pool].sort());
      run.examOrders.push(order);
      const authored = pool.join();
      expect(run.examOrders.some((o) => o.join() !== authored), 'the questions are shuffled').toBe(true);
      const given = await answerQuiz(frame, run.compiled, (q: Question) => correctAnswer(q));
      const result = await submitQuiz(frame);
      run.examScores.push(100);
      for (const [id, values] of given) run.given.push({ id, values, how: 'exam-2' });
      expect(result, 'the result states the score (100%)').toMatch(/(^|\D)100\s?%/);
      expect(await quizButton(frame, 'retry-quiz').isVisible(), 'no "Try again" after passing').toBe(false);
      run.afterPass = { live: await run.lms.live(), calls: await run.lms.calls() };
    });

    it('the rest of the course: wrap-up, peer feedback (ratings and 300+ words each), course feedback; closing ends the session', async () => {
      await walkThrough(pages()[pages().length - 1].id);
      const progress = await frame.locator('#cp-progress').evaluate((p) => (p as HTMLProgressElement).value);
      expect(progress, '#cp-progress at the end').toBe(100);
      run.finishingSession = (await run.lms.sessions()).length - 1;
      const { finished } = await run.lms.end();
      expect(finished, 'the SCO finished its LMS session when the course was closed (pagehide)').toBe(true);
      run.afterEnd = { stored: await run.lms.stored(), calls: await run.lms.calls() };
    });

    it(`relaunch after finishing (${standard === 'scorm12' ? 'same browser' : 'new device'}): every text and answer is still there`, async () => {
      const { finished } = await run.lms.relaunch({ newDevice: standard === 'scorm2004' });
      expect(finished).toBe(true);
      await launched();
      const shown = await waitForPlayer(frame);
      expect(shown.id, 'page shown when coming back').toBe(pages()[pages().length - 1].id);
      if (standard === 'scorm2004') {
        const n = await notice();
        expect.soft(n.shown, `#cp-notice when coming back on a new device: ${n.text}`).toBe(false);
      }
      await expectWorkShown('coming back');
      await goTo(EXAM);
      expect.soft(await textOf(frame.locator('#cp-page .cp-quiz-result'), 3_000), 'the exam result is shown again (100%)').toMatch(/(^|\D)100\s?%/);
      // The learner ends with a last look at their capstone plan, and closes the course there.
      await goTo('lesson-7-1');
      const { finished: again } = await run.lms.end();
      expect(again, 'the SCO finished this session too').toBe(true);
    });

    it('the visit after finishing changed nothing, so it recorded no new interaction (no text journaled twice)', async () => {
      const calls = await run.lms.calls();
      const last = (await run.lms.sessions()).length - 1;
      const set = standard === 'scorm12' ? 'LMSSetValue' : 'SetValue';
      const added = calls
        .filter((c) => c.session === last && c.fn === set && /^cmi\.interactions\.\d+\.id$/.test(c.args[0]))
        .map((c) => `${c.args[0]} = ${c.args[1]}`);
      expect(added, `session ${last}: interaction records written while the learner only looked and closed the course on lesson-7-1`).toEqual([]);
    });

    it('the SCO loads every file it asks for, reaches for no network and has no page errors', () => {
      expect(run.server.notFound, 'requests answered 404').toEqual([]);
      expect(run.browser.blocked, 'requests that left 127.0.0.1').toEqual([]);
      expect(run.browser.problems.map((p) => `${p.kind} in ${p.url}: ${p.text}`), 'exceptions and console errors').toEqual([]);
    });

    it('scorm-again reports no API error over the whole run (but the one refused trial of a long 1.2 state per session); each session initialises once and finishes once', async () => {
      const calls = await run.lms.calls();
      const sessions = await run.lms.sessions();
      expect(sessions.length, 'sessions: the first, after the relaunch mid-course, the visit after finishing').toBe(3);
      const events = await run.lms.events();
      // SCORM 1.2: a state over 4,096 is tried once per session; this strict LMS refuses it (405).
      const trials = refusedStateWrites(calls);
      for (let s = 0; s < sessions.length; s++) expect(trials.filter((c) => c.session === s).length, `refused trials in session ${s}`).toBeLessThanOrEqual(1);
      const problems = [...(await run.lms.problems()), ...sessionProblems(standard, calls.filter((c) => !trials.includes(c)), sessions.length, events)];
      expect(problems, problems.slice(0, 30).join('\n')).toEqual([]);
    });

    it('LMS: the session closed mid-course ended suspended, bookmarked at workbook 2, incomplete', async () => {
      await expectSuspended(run, run.midCourseSession!, MID_COURSE);
    });

    more(() => run);
  });
}

/** Every answer of the run, the texts included (the final text of each response). */
export function allAnswers(run: RealRun): { id: string; values: string[]; how: string }[] {
  return [...run.given, ...Object.entries(run.texts).map(([id, text]) => ({ id, values: [text], how: 'response' }))];
}

/** Text compared as reports hold it: on one line (line breaks become separators), whitespace collapsed. */
export const oneLine = (s: string): string => s.replace(/[\s/]+/g, ' ').trim();

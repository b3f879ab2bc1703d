/**
 * The real course in course/ ("AI for E-commerce Marketing": 45 pages, 24 knowledge checks, polls,
 * 44 free-text responses, a 30-question shuffled final exam with an 80 % pass mark) built as an
 * xAPI (Tin Can) and as a cmi5 package, launched by the LMS stand-in with Learning Locker's
 * statement service behind it, and played in headless Chromium by a diligent learner:
 *
 * - session 1: every page with Next from the overview to workbook 2; the Lesson 1.1 polls; every
 *   knowledge check (the first of each check page answered wrong, then right); both workbooks,
 *   300+ words of the course's own prose per response (real-course-run.ts's generator); the tab
 *   closed mid-course;
 * - session 2, a new launch of the same registration on a cleared browser: the bookmark and every
 *   answer and text come back from the State resource alone; the rest of the course with Next
 *   (workbooks 3 and 4, the capstone, the peer feedback and the course feedback), the final exam
 *   failed once (18 of 30 right: 60 %) and passed (all right); the tab closed on the last page.
 *
 * Then what the LRS holds, worked out from the course model and the learner's record: valid
 * statements, sessions opened and closed, one `experienced` per page shown, one `answered` per
 * answer with the expected success, `completed` once, the verdicts (xapi: failed 0.6 then passed
 * 1; cmi5: §9 rules kept, moveOn CompletedAndPassed met, masteryScore on passed), and the number
 * of statements per verb, printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Frame } from 'playwright-core';
import LZString from 'lz-string';
import type { Interaction, Page } from '../../src/model.ts';
import { targets } from '../../src/targets/index.ts';
import {
  answerQuiz, chromiumAvailable, correctAnswer, expectedResult, interactionsOf, isQuestion, isResponse, pageById, quizButton, shownAnswer,
  shownPage, shownQuestions, submitQuiz, verdict, waitForPlayer, wrongAnswer, DiligentLearner
} from '../support/browser/index.ts';
import {
  CMI5, VERBS, checkCmi5, errors, formatInvalid, moveOnSatisfied, validateStatements, warnings, type Cmi5Launch, type Launch,
  type Statement
} from '../support/lrs/index.ts';
import { EXAM, FIRST_ATTEMPT_RIGHT, MID_COURSE, MIN_WORDS, REAL_COURSE, wordCount, workbookResponses } from '../browser/real-course-run.ts';
import {
  ACTOR, VERB, answeredProblems, closeEnv, envelopeProblems, experiencedProblems, generatedIds, leave, listing, matchAnswered, open,
  outOfOrder, quiet, settle, startEnv, verbName, type Env, type Kind, type Session
} from './run.ts';
import { expectFailedThenPassed } from './holdings.ts';

/** The State document the runtime keeps (docs/runtime.md, "State"). */
const STATE_ID = 'coursepack-state';
/** A whole target's run: build, two sessions, the checks. */
const STEP_TIMEOUT = 120_000;

const sessionOf = (s: Statement) => s.context?.extensions?.[CMI5.sessionId] as string | undefined;

/** Statements per verb, in order of first appearance. */
function perVerb(list: Statement[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of list) out[verbName(s)] = (out[verbName(s)] ?? 0) + 1;
  return out;
}

/**
 * The encoded learner state as the runtime documents it (src/runtime/state.ts: `cp1:` + lz-string
 * Base64 of compact JSON: `b` bookmark, `t` texts, `a` answers, `q` quizzes). null when it does not decode.
 */
function decodeLearnerState(encoded: unknown): { bookmark: string; texts: Record<string, string>; answers: Record<string, string[]> } | null {
  if (typeof encoded !== 'string' || !encoded.startsWith('cp1:')) return null;
  try {
    const w = JSON.parse(LZString.decompressFromBase64(encoded.slice(4)) || 'null');
    return w && typeof w === 'object' ? { bookmark: w.b ?? '', texts: w.t ?? {}, answers: w.a ?? {} } : null;
  } catch {
    return null;
  }
}

function describeRealCourse(kind: Kind, title: string): void {
  describe.skipIf(!chromiumAvailable() || !targets[kind])(title, { timeout: STEP_TIMEOUT }, () => {
    let env: Env;
    let learner: DiligentLearner;
    let session: Session;
    let frame: Frame;
    /** What the learner will type, per response id. */
    let plan: Record<string, string>;
    const registration = randomUUID();
    const launches: Launch[] = [];
    /** Statements stored when each session had ended (stored-order boundaries). */
    const ends: number[] = [];
    /** Percent each exam attempt should score. */
    const examScores: number[] = [];
    let startedAt = 0;

    const pages = (): Page[] => env.compiled.course.pages;
    const its = (page: Page): Interaction[] => interactionsOf(env.compiled, page);
    const indexOf = (id: string): number => pages().findIndex((p) => p.id === id);
    const cmi5Launches = (): Cmi5Launch[] => launches.filter((l): l is Cmi5Launch => l.kind === 'cmi5');
    /** The course object of course-level statements: the course IRI (xapi), the LMS's AU activity id (cmi5). */
    const root = (): string => (kind === 'cmi5' ? cmi5Launches()[0].activityId : env.compiled.course.id);
    const inCourse = (id: string): boolean =>
      id !== root() && (id.startsWith(env.compiled.course.id + '/') || id.startsWith(root() + '/'));
    const isEnd = (s: Statement): boolean => s.verb.id === VERBS.terminated;

    beforeAll(async () => {
      startedAt = Date.now();
      env = await startEnv(kind, REAL_COURSE);
      learner = new DiligentLearner(env.compiled);
      plan = learner.plan;
    }, STEP_TIMEOUT);

    afterAll(async () => {
      await closeEnv(env);
      if (startedAt) console.log(`${kind}: real course run ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    });

    // ---- the learner -----------------------------------------------------------------------------

    async function launch(): Promise<Session> {
      const l =
        kind === 'cmi5'
          ? await env.lms.cmi5Launch(env.base, { actor: ACTOR, registration })
          : await env.lms.tinCanLaunch(env.base, { actor: ACTOR, registration });
      launches.push(l);
      session = await open(env, l);
      frame = session.frame;
      learner.frame = frame;
      const first = (await waitForPlayer(frame)).id;
      if (first) learner.shown.push(first);
      return session;
    }

    /** Closes the tab and waits until the session's terminated is stored and nothing more arrives. */
    async function leaveAndSettle(): Promise<Statement[]> {
      const before = ends.at(-1) ?? 0;
      await leave(session);
      const mine = (l: Statement[]) => l.slice(before).filter((s) => kind === 'xapi' || sessionOf(s) === (launches.at(-1) as Cmi5Launch).sessionId);
      const list = await settle(env, registration, (l) => mine(l).some(isEnd), 45_000);
      const all = await quiet(env, registration);
      ends.push(all.length);
      expect(mine(list).some(isEnd), `terminated after the tab of session ${launches.length} was closed:\n${listing(all.slice(before))}`).toBe(true);
      return all;
    }

    const nextTo = (id: string) => learner.nextTo(id);
    const goTo = (id: string) => learner.goTo(id);
    const walkThrough = (last: string) => learner.walkThrough(last);
    const lastAnswers = () => learner.lastAnswers();

    // ---- the run -----------------------------------------------------------------------------------

    it('launch: the overview is shown; the course has 45 pages, 44 responses to write (300+ words in the workbooks), a 30-question exam', async () => {
      await launch();
      expect((await shownPage(frame)).id).toBe(pages()[0].id);
      expect(pages()).toHaveLength(45);
      expect(env.compiled.course.scoring?.quiz).toBe(EXAM);
      const responses = pages().flatMap((p) => its(p).filter(isResponse).map((r) => r.id));
      expect(responses).toHaveLength(44);
      expect(Object.keys(plan).sort()).toEqual([...responses].sort());
      const short = workbookResponses(env.compiled).filter((id) => wordCount(plan[id]) < MIN_WORDS);
      expect(short, `workbook responses under ${MIN_WORDS} words`).toEqual([]);
      expect(its(pageById(env.compiled, EXAM)).filter(isQuestion)).toHaveLength(30);
    });

    it(`session 1: every page with Next up to ${MID_COURSE}; polls, knowledge checks (wrong, then right) and both workbooks`, async () => {
      await walkThrough(MID_COURSE);
      expect(Object.keys(learner.texts), 'texts typed before the relaunch').toHaveLength(12);
    });

    it('closing the tab mid-course ends session 1; the State resource holds the bookmark and every text', async () => {
      await leaveAndSettle();
      const doc = env.lms.state({ activityId: root(), agent: ACTOR, stateId: STATE_ID, registration });
      expect(doc, `State document ${STATE_ID} of ${root()}`).not.toBeNull();
      const json = doc!.json as { location?: string; state?: string };
      expect(json?.location, 'bookmark in the State document').toBe(MID_COURSE);
      const state = decodeLearnerState(json?.state);
      expect(state, 'the encoded learner state decodes').not.toBeNull();
      expect(state!.texts, 'texts in the State document').toEqual(learner.texts);
    });

    it('session 2, a new launch of the same registration on a cleared browser: the bookmark, every answer and every text come back from the LRS', async () => {
      await env.browser.clearStorage(env.server.origin);
      const l = (await launch()).launch;
      expect((await shownPage(frame)).id, 'page shown after the relaunch (the bookmark)').toBe(MID_COURSE);
      const read = env.lms.requests.filter((r) => r.launch === l.id && r.path === 'activities/state' && r.method === 'GET' && r.query.stateId === STATE_ID);
      expect(read.map((r) => r.status), `GET ${STATE_ID} by the new launch`).toContain(200);
      // Every page with work on it: texts, answers and verdicts as left.
      const answers = lastAnswers();
      for (const page of pages().slice(0, indexOf(MID_COURSE) + 1)) {
        const mine = page.interactionIds.filter((id) => id in learner.texts || answers.has(id));
        if (!mine.length) continue;
        await goTo(page.id);
        for (const id of mine) {
          if (id in learner.texts) {
            expect.soft(await shownAnswer(frame, id), `text of ${id} after the relaunch`).toEqual([learner.texts[id]]);
          } else {
            expect.soft((await shownAnswer(frame, id)).sort(), `answer of ${id} after the relaunch`).toEqual([...answers.get(id)!].sort());
            expect.soft(await verdict(frame, id, 3_000), `verdict of ${id} shown again`).not.toBe('');
          }
        }
      }
      await goTo(MID_COURSE);
    });

    it('session 2: every page with Next up to the capstone; workbooks 3 and 4, the knowledge checks, the capstone responses', async () => {
      await walkThrough(pages()[indexOf(EXAM) - 1].id);
      for (const id of env.compiled.course.completion.responses) expect(learner.texts[id], `required response ${id}`).toBeDefined();
    });

    it(`final exam: a first attempt with ${FIRST_ATTEMPT_RIGHT} of 30 right fails (60 %); "Try again" with every answer right passes (100 %)`, async () => {
      await nextTo(EXAM);
      const exam = pageById(env.compiled, EXAM);
      expect(exam.quiz?.passMark).toBe(80);
      const pool = exam.interactionIds;
      expect([...(await shownQuestions(frame))].sort(), 'questions of the first attempt').toEqual([...pool].sort());
      let n = 0;
      const first = await answerQuiz(frame, env.compiled, (q) => (n++ < FIRST_ATTEMPT_RIGHT ? correctAnswer(q) : wrongAnswer(q)));
      const score = Math.round((FIRST_ATTEMPT_RIGHT / pool.length) * 10000) / 100;
      expect(score).toBeLessThan(exam.quiz!.passMark);
      examScores.push(score);
      const failed = await submitQuiz(frame);
      for (const [id, values] of first) learner.given.push({ id, values, how: 'quiz-1' });
      expect(failed, `the result states ${score} %`).toMatch(new RegExp(`(^|\\D)${score}\\s?%`));
      expect(await quizButton(frame, 'retry-quiz').isVisible(), '"Try again" is offered').toBe(true);

      await quizButton(frame, 'retry-quiz').click();
      await quizButton(frame, 'submit-quiz').waitFor({ state: 'visible' });
      expect([...(await shownQuestions(frame))].sort(), 'questions of the second attempt').toEqual([...pool].sort());
      const second = await answerQuiz(frame, env.compiled, (q) => correctAnswer(q));
      const passed = await submitQuiz(frame);
      examScores.push(100);
      for (const [id, values] of second) learner.given.push({ id, values, how: 'quiz-2' });
      expect(passed, 'the result states 100 %').toMatch(/(^|\D)100\s?%/);
      expect(await quizButton(frame, 'retry-quiz').isVisible(), 'no "Try again" after passing').toBe(false);
    });

    it('session 2: the rest of the course (peer feedback, course feedback) with Next; closing the tab on the last page ends the session', async () => {
      await walkThrough(pages()[pages().length - 1].id);
      const progress = await frame.locator('#cp-progress').evaluate((p) => (p as HTMLProgressElement).value);
      expect.soft(progress, '#cp-progress at the end').toBe(100);
      expect(Object.keys(learner.texts), 'every response written').toHaveLength(44);
      await leaveAndSettle();
    });

    // ---- what the LRS holds ------------------------------------------------------------------------

    describe('what the LRS holds', () => {
      let all: Statement[];
      /** Without the stand-in's own "launched" statements (cmi5). */
      let au: Statement[];
      /** The AU's statements of each session, in stored order. */
      let sessions: Statement[][];

      beforeAll(async () => {
        all = await env.lrs.statements({ registration });
        const lmsIds = new Set(cmi5Launches().map((l) => l.launchedStatementId));
        au = all.filter((s) => !lmsIds.has(s.id));
        if (kind === 'cmi5') {
          sessions = cmi5Launches().map((l) => au.filter((s) => sessionOf(s) === l.sessionId));
        } else {
          sessions = ends.map((end, i) => all.slice(ends[i - 1] ?? 0, end));
        }
        if (process.env.XAPI_LISTING) console.log(listing(all));
        const counts = perVerb(all);
        console.log(
          `${kind}: ${all.length} statements in the LRS for the registration (${sessions.map((s) => s.length).join(' + ')} by the course` +
            `${kind === 'cmi5' ? ` + ${all.length - au.length} launched by the LMS` : ''}):\n` +
            Object.entries(counts).map(([v, n]) => `  ${v.padEnd(12)} ${n}`).join('\n'),
        );
      });

      it('every statement is valid xAPI (xapi-validation: zero invalid); the LMS saw no protocol problem; nothing the page sent is missing', () => {
        expect(all.length).toBeGreaterThan(0);
        expect(formatInvalid(validateStatements(all))).toBe('');
        expect(env.lms.problems).toEqual([]);
        expect(envelopeProblems(all, ACTOR, registration, kind)).toEqual([]);
        expect(outOfOrder(au), listing(au)).toEqual([]);
        const stored = new Set(all.map((s) => s.id));
        expect(generatedIds(env, registration).filter((id) => !stored.has(id)), 'statements the page sent that the LRS does not hold').toEqual([]);
      });

      it('two sessions: each has initialized first and terminated last, once each (xapi: the returning one says resumed; suspended before terminated)', () => {
        expect(sessions).toHaveLength(2);
        expect(sessions.flat().length, 'every statement of the course belongs to a session').toBe(au.length);
        for (const [n, slice] of sessions.entries()) {
          const verbs = slice.map(verbName);
          const w = `session ${n + 1}:\n${listing(slice)}`;
          expect.soft(verbs[0], `${w}\nfirst statement`).toBe('initialized');
          expect.soft(verbs.filter((v) => v === 'initialized').length, `${w}\ninitialized once`).toBe(1);
          expect.soft(verbs.at(-1), `${w}\nlast statement`).toBe('terminated');
          expect.soft(verbs.filter((v) => v === 'terminated').length, `${w}\nterminated once`).toBe(1);
          if (kind === 'xapi') {
            expect.soft(verbs.indexOf('resumed'), `${w}\nresumed`).toBe(n === 0 ? -1 : 1);
            expect.soft(verbs.indexOf('suspended'), `${w}\nsuspended right before terminated`).toBe(verbs.length - 2);
          }
        }
        if (kind === 'xapi') expect(all.length, 'nothing after the last session ended').toBe(ends.at(-1));
      });

      it('one experienced statement per page shown, in order, naming the page; every page of the course among them', () => {
        expect(experiencedProblems(env.compiled, au, learner.shown, kind, inCourse)).toEqual([]);
        const experienced = au.filter((s) => s.verb.id === VERB('experienced'));
        expect(experienced.length).toBe(learner.shown.length);
        expect(new Set(learner.shown).size, 'pages shown').toBe(pages().length);
      });

      it('one answered statement per answer and per text, with the interaction definition, the response and success as the model says', () => {
        expect(answeredProblems(env.compiled, au, learner, kind, inCourse)).toEqual([]);
        const answered = au.filter((s) => s.verb.id === VERB('answered'));
        const texts = Object.keys(learner.texts).length;
        expect(answered.length, 'answered statements: answers given + texts').toBe(learner.given.length + texts);
        // Success as expected, per kind of answer.
        const { byInteraction } = matchAnswered(env.compiled, au, [...learner.given.map((g) => g.id), ...Object.keys(learner.texts)]);
        const used = new Map<string, number>();
        const tally: Record<string, { want: string; got: string }> = {};
        for (const g of learner.given) {
          const i = used.get(g.id) ?? 0;
          used.set(g.id, i + 1);
          const s = byInteraction.get(g.id)?.[i];
          const want = expectedResult(env.compiled.interactions.get(g.id)!, g.values);
          const t = (tally[g.how] ??= { want: '', got: '' });
          t.want += want === 'neutral' ? 'n' : want === 'correct' ? 'T' : 'F';
          t.got += s?.result?.success === undefined ? 'n' : s.result.success ? 'T' : 'F';
        }
        for (const [how, t] of Object.entries(tally)) expect.soft(t.got, `result.success of the ${how} answers (T/F/n = true/false/none)`).toBe(t.want);
        const count = (how: string, c: string) => (tally[how]?.want.split('').filter((x) => x === c).length ?? 0);
        expect(count('check', 'F'), 'knowledge checks answered wrong (the first of each check page)').toBe(6);
        expect(count('check', 'T'), 'knowledge checks answered right').toBe(24);
        expect(count('quiz-1', 'T') + count('quiz-1', 'F'), 'answers of the failed attempt').toBe(30);
        expect(count('quiz-1', 'F'), 'wrong answers of the failed attempt').toBe(30 - FIRST_ATTEMPT_RIGHT);
        expect(count('quiz-2', 'T'), 'right answers of the passing attempt').toBe(30);
        for (const id of Object.keys(learner.texts)) expect.soft(byInteraction.get(id)?.length, `answered statements of the text ${id}`).toBe(1);
      });

      it('completed exactly once, about the course, as soon as the completion rule was met (every counted page shown, the required responses written)', () => {
        const completed = au.filter((s) => s.verb.id === VERBS.completed);
        expect(completed.length, listing(au)).toBe(1);
        expect(completed[0].object.id).toBe(root());
        expect(completed[0].result?.completion).toBe(true);
        // course.yml: `pages: required` (pages with `required: false` do not count) and the capstone responses.
        const rule = env.compiled.course.completion;
        const counted = pages().filter((p) => rule.pages === 'all' || p.required).map((p) => p.id);
        expect(counted.length, 'pages counted for completion').toBeLessThan(pages().length);
        const firstExperienced = (id: string) => au.findIndex((s) => s.verb.id === VERB('experienced') && s.object?.id?.endsWith(`/pages/${id}`));
        const { byInteraction } = matchAnswered(env.compiled, au, Object.keys(learner.texts));
        const prerequisites = [
          ...counted.map(firstExperienced),
          ...rule.responses.map((id) => au.indexOf(byInteraction.get(id)?.[0] as Statement)),
        ].sort((a, b) => a - b);
        expect(prerequisites[0], 'every counted page experienced, every required response answered').toBeGreaterThanOrEqual(0);
        // The rule is met by the page change (or answer) stored last; `completed` belongs to that same
        // step. (The player reports the outcome before it saves the page, so `completed` may be
        // stored just before the `experienced` of the page that met the rule.)
        const met = prerequisites.at(-1)!;
        const before = prerequisites.at(-2) ?? -1;
        const at = au.indexOf(completed[0]);
        const w = `the rule was met by #${met} ${verbName(au[met])} ${au[met]?.object?.id}; completed is #${at}`;
        expect.soft(at, `${w}: completed after every other prerequisite (#${before})`).toBeGreaterThan(before);
        const between = au.slice(Math.min(at, met) + 1, Math.max(at, met)).map((s) => `${verbName(s)} ${s.object?.id}`);
        expect.soft(between, `${w}: nothing between the step that met the rule and completed`).toEqual([]);
        expect.soft(sessions[1].includes(completed[0]), 'completed in session 2').toBe(true);
      });

      if (kind === 'xapi') {
        it('xapi: failed (score.scaled 0.6) after the first attempt, then passed (score.scaled 1), about the course, each after its answers', () => {
          expectFailedThenPassed(env, all, EXAM, examScores[0], env.compiled.course.id);
        });
      } else {
        it('cmi5: checkCmi5 finds no violation over both sessions; moveOn (CompletedAndPassed) is met; passed carries the masteryScore', () => {
          const launchesOf = cmi5Launches();
          expect(launchesOf).toHaveLength(2);
          const v = checkCmi5(all, launchesOf, { claimedSatisfied: true });
          expect(errors(v), listing(all)).toEqual([]);
          expect(warnings(v)).toEqual([]);
          expect(launchesOf[0].launchData.moveOn).toBe('CompletedAndPassed');
          expect(moveOnSatisfied(au, 'CompletedAndPassed', root()), 'completed and passed (cmi5 defined, about the AU)').toBe(true);
          for (const l of launchesOf) expect.soft(l.fetches, `launch ${l.id}: POSTs to the fetch URL`).toBe(1);
          const mastery = env.compiled.course.scoring!.mastery;
          expect(launchesOf[0].launchData.masteryScore, 'LMS.LaunchData masteryScore (from cmi5.xml)').toBe(mastery);
          const passed = au.filter((s) => s.verb.id === VERBS.passed);
          expect(passed.length, listing(au)).toBe(1);
          expect.soft(passed[0].object.id).toBe(root());
          expect.soft(passed[0].result?.success).toBe(true);
          expect.soft(passed[0].result?.score?.scaled).toBe(1);
          expect.soft(passed[0].context?.extensions?.[CMI5.masteryScore], 'masteryScore extension on passed').toBe(mastery);
          expect.soft(passed[0].context?.contextActivities?.category?.map((c: { id: string }) => c.id), 'categories of passed').toEqual(
            expect.arrayContaining([CMI5.categoryCmi5, CMI5.categoryMoveOn]),
          );
          // docs/runtime.md: "failed only if not passed by the session's end": the failed attempt
          // and the pass are in the same session, so the failure is replaced by the pass (§9.3).
          expect(au.filter((s) => s.verb.id === VERBS.failed).map((s) => s.id), 'failed statements').toEqual([]);
        });
      }

      it('the course loads every file it asks for, reaches for no network and throws no errors', () => {
        expect(env.server.notFound, 'requests answered 404').toEqual([]);
        expect(env.browser.blocked, 'requests that left 127.0.0.1').toEqual([]);
        const problems = env.browser.problems.filter((p) => p.kind === 'exception' || /Refused to|Content Security Policy/i.test(p.text));
        expect(problems.map((p) => `${p.kind} in ${p.url}: ${p.text}`)).toEqual([]);
      });
    });
  });
}

describeRealCourse('xapi', 'xAPI package of the real course, launched Tin Can style, played through by a diligent learner, statements in a real LRS');
describeRealCourse('cmi5', 'cmi5 package of the real course, launched by a cmi5 LMS stand-in, played through by a diligent learner, statements in a real LRS');

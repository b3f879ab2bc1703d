/**
 * The xAPI (Tin Can) package of the sample course in headless Chromium, launched by the LMS
 * stand-in with the Tin Can launch parameters; its statements stored by Learning Locker's
 * statement service, its state in the stand-in's State resource. The learner walks every page,
 * answers everything (the quiz failed once, then passed), types the workbook, closes the tab
 * mid-course and comes back on another device, and leaves. Then: what the LRS holds. Then faults:
 * the LMS down mid-course, answering 503, the tab closed right after an answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { targets } from '../../src/targets/index.ts';
import { chromiumAvailable, correctAnswer, pageById, shownAnswer, waitForPlayer } from '../support/browser/index.ts';
import { readTinCanXml, type Statement, type TinCanLaunch } from '../support/lrs/index.ts';
import {
  ACTOR, LESSON, Learner, QUIZ, VERB, WORKBOOK, answeredProblems, closeEnv, generatedIds, leave, listing, matchAnswered, open, quiet,
  settle, startEnv, verbName, type Env, type Session
} from './run.ts';
import { atLesson, sharedFaults, startedAtLesson, withLatency } from './faults.ts';
import { STANDARDS } from './standards.ts';
import { expectFailedThenPassed, sharedHoldings } from './holdings.ts';

const isEnd = (s: Statement) => verbName(s) === 'terminated';

// Skipped only while the target does not exist yet (or without Chromium).
describe.skipIf(!chromiumAvailable() || !targets.xapi)('xAPI package of the sample course, launched Tin Can style, statements in a real LRS', () => {
  let env: Env;
  let learner: Learner;
  let session: Session;
  const registration = randomUUID();
  const launches: TinCanLaunch[] = [];
  /** Statements stored when each session had ended (stored-order boundaries). */
  const ends: number[] = [];
  const pages = () => env.compiled.course.pages;

  beforeAll(async () => {
    env = await startEnv('xapi');
    learner = new Learner(env.compiled);
  });
  afterAll(async () => {
    await closeEnv(env);
  });

  /** Leaves and waits until the session's closing statement is stored. */
  async function leaveAndSettle(): Promise<Statement[]> {
    const before = ends.at(-1) ?? 0;
    await leave(session);
    const list = await settle(env, registration, (l) => l.slice(before).some(isEnd));
    const all = await quiet(env, registration);
    ends.push(all.length);
    expect(list.slice(before).some(isEnd), `a terminated statement after the tab was closed:\n${listing(all.slice(before))}`).toBe(true);
    return all;
  }

  async function launch(): Promise<Session> {
    const l = await env.lms.tinCanLaunch(env.base, { actor: ACTOR, registration });
    launches.push(l);
    session = await open(env, l);
    const first = (await waitForPlayer(session.frame)).id;
    if (first) learner.shown.push(first);
    return session;
  }

  it('the package: tincan.xml names the course activity (the course IRI) and its launch page; no LRS or credentials built in', async () => {
    const xml = await readFile(join(env.built.dirs.xapi!, 'tincan.xml'), 'utf8');
    const activities = readTinCanXml(xml);
    expect(activities.map((a) => a.activityId)).toContain(env.compiled.course.id);
    const course = activities.find((a) => a.activityId === env.compiled.course.id)!;
    expect(course.type).toBe('http://adlnet.gov/expapi/activities/course');
    expect(env.built.files.xapi).toContain(course.launch);
    for (const file of env.built.files.xapi!) {
      if (!/\.(js|html|json|xml)$/.test(file)) continue;
      const text = await readFile(join(env.built.dirs.xapi!, file), 'utf8');
      expect.soft(text, `${file} carries no Basic credentials`).not.toMatch(/Basic [A-Za-z0-9+/]{16,}={0,2}/);
    }
  });

  it('launches: the first page is shown, and the course asks the State resource for its state', async () => {
    const { frame, launch: l } = await launch();
    const shown = await waitForPlayer(frame);
    expect(shown.id).toBe(pages()[0].id);
    const stateReads = env.lms.requests.filter((r) => r.path === 'activities/state' && r.method === 'GET' && r.launch === l.id);
    expect(stateReads.length, 'GET activities/state with the launch credentials').toBeGreaterThan(0);
    for (const r of stateReads) {
      expect.soft(r.query.activityId, 'State activityId').toBe((l as TinCanLaunch).activityId);
      expect.soft(JSON.parse(r.query.agent ?? 'null'), 'State agent').toEqual(ACTOR);
      expect.soft(r.query.registration, 'State registration').toBe(registration);
    }
  });

  it('walks to the lesson; the knowledge check and the polls are answered', async () => {
    await learner.lessonPage(session.frame);
  });

  it('workbook: both responses typed', async () => {
    await learner.workbookPage(session.frame);
  });

  it('closing the tab mid-course: the session is closed in the LRS', async () => {
    await leaveAndSettle();
  });

  it('relaunch on another device: the bookmarked workbook comes back with the texts, from the State resource', async () => {
    await env.browser.clearStorage(env.server.origin);
    const { frame } = await launch();
    const shown = await waitForPlayer(frame);
    expect(shown.id, 'page shown after the relaunch').toBe(WORKBOOK);
    for (const [id, text] of Object.entries(learner.texts)) {
      expect.soft(await shownAnswer(frame, id), `text of ${id} after the relaunch`).toEqual([text]);
    }
  });

  it('quiz: a wrong attempt fails, the second attempt passes', async () => {
    await learner.nextTo(session.frame, QUIZ);
    expect(await learner.failQuiz(session.frame)).toMatch(/(^|\D)0\s?%/);
    expect(await learner.passQuiz(session.frame)).toMatch(/(^|\D)100\s?%/);
  });

  it('the last page: poll and comment; leaving closes the session', async () => {
    const last = pages()[pages().length - 1];
    await learner.nextTo(session.frame, last.id);
    await learner.feedback(session.frame);
    await leaveAndSettle();
  });

  describe('what the LRS holds', () => {
    let all: Statement[];
    beforeAll(async () => {
      all = await env.lrs.statements({ registration });
      // XAPI_LISTING=1 prints what the LRS holds.
      if (process.env.XAPI_LISTING) console.log(listing(all));
    });
    sharedHoldings('xapi', () => ({ env, registration, learner, all, au: all, inCourse: STANDARDS.xapi.inCourse(env, launches) }));

    it('completed once, about the course, as soon as the completion rule was met (before the quiz answers)', () => {
      const completed = all.filter((s) => s.verb.id === VERB('completed'));
      expect(completed.length, listing(all)).toBe(1);
      expect(completed[0].object.id).toBe(env.compiled.course.id);
      expect(completed[0].result?.completion).toBe(true);
      const { byInteraction } = matchAnswered(env.compiled, all);
      const quizAnswers = pageById(env.compiled, QUIZ).interactionIds.flatMap((id) => byInteraction.get(id) ?? []).map((s) => all.indexOf(s));
      expect(quizAnswers.length).toBeGreaterThan(0);
      expect(all.indexOf(completed[0]), listing(all)).toBeLessThan(Math.min(...quizAnswers));
    });

    it('failed with score 0 after the wrong attempt, passed with score 100 after the right one, about the course', () => {
      expectFailedThenPassed(env, all, QUIZ, 0, env.compiled.course.id);
    });

    it('two sessions: each begins with initialized (a returning one then says resumed) and ends with terminated, nothing after', () => {
      expect(ends).toHaveLength(2);
      let from = 0;
      for (const [n, end] of ends.entries()) {
        const slice = all.slice(from, end);
        from = end;
        const verbs = slice.map(verbName);
        const w = `session ${n + 1}:\n${listing(slice)}`;
        expect.soft(verbs[0], `${w}\nfirst statement`).toBe('initialized');
        expect.soft(verbs.filter((v) => v === 'initialized').length, `${w}\ninitialized once`).toBe(1);
        // A learner coming back (session 2 found its state) is resumed, right after initialized.
        expect.soft(verbs.indexOf('resumed'), `${w}\nresumed`).toBe(n === 0 ? -1 : 1);
        expect.soft(verbs.at(-1), `${w}\nlast statement`).toBe('terminated');
        expect.soft(verbs.filter((v) => v === 'terminated').length, `${w}\nterminated once`).toBe(1);
        // Left unfinished or not, the player suspends (so the next launch resumes): suspended, then terminated.
        expect.soft(verbs.indexOf('suspended'), `${w}\nsuspended right before terminated`).toBe(verbs.length - 2);
      }
      expect(all.length, 'nothing after the last session ended').toBe(ends.at(-1));
    });

  });

  describe('faults', { timeout: 120_000 }, () => {
    sharedFaults(STANDARDS.xapi, () => env);

    it('the tab is closed while the answer is on its way (slow LMS): after the relaunch it is stored once', async () => {
      const { reg, s, f, check } = await startedAtLesson(env, STANDARDS.xapi);
      await withLatency(env, 2000, async () => {
        await f.checkRight(s.frame, check);
        await leave(s);
      });
      const problems = env.lms.problems.length;
      const again = await open(env, await env.lms.tinCanLaunch(env.base, { actor: ACTOR, registration: reg }));
      expect((await waitForPlayer(again.frame)).id).toBe(LESSON);
      expect(await shownAnswer(again.frame, check.id)).toEqual(correctAnswer(check));
      await leave(again);
      const all = await quiet(env, reg, 2500);
      expect(all.filter((x) => x.verb.id === VERB('answered')).length, listing(all)).toBe(1);
      const id = all.find((x) => x.verb.id === VERB('answered'))!.id;
      expect(env.lms.requests.filter((r) => r.statements?.some((x) => x.id === id)).length, 'the answer was sent again after the tab closed (else this test proved nothing)').toBeGreaterThan(1);
      expect(env.lms.problems.slice(problems), 'no refused statement (a resend must be the same statement)').toEqual([]);
    });

    it('the LRS answers 500 to the first statements (ADL’s first-write race): nothing is lost', async () => {
      const reg = randomUUID();
      env.lms.unavailable({ status: 500, requests: 2, only: /^statements$/ });
      const s = await atLesson(env, STANDARDS.xapi, reg);
      const f = new Learner(env.compiled);
      await f.lesson(s.frame);
      await settle(env, reg, (l) => l.filter((x) => x.verb.id === VERB('answered')).length >= f.given.length, 30_000);
      await leave(s);
      const all = await quiet(env, reg);
      expect(env.lms.requests.some((r) => r.status === 500), 'the 500s were served').toBe(true);
      expect(all[0] && verbName(all[0]), listing(all)).toBe('initialized');
      expect(answeredProblems(env.compiled, all, f, 'xapi, 500', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
      const stored = new Set(all.map((x) => x.id));
      expect(generatedIds(env, reg).filter((id) => !stored.has(id))).toEqual([]);
    });
  });
});

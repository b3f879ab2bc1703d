/**
 * The cmi5 package of the sample course in headless Chromium, launched by the LMS stand-in as a
 * cmi5 LMS does (LMS.LaunchData, "launched", a one-time fetch URL); statements stored by Learning
 * Locker's statement service and held to cmi5 §9 by tests/support/lrs/cmi5-rules.ts.
 *
 * Sessions of the main registration: 1) lesson and workbook, tab closed; 2) on another device:
 * bookmark and texts back, the quiz failed, tab closed; 3) the quiz passed, the feedback page,
 * tab closed; 4) a Review launch of the satisfied registration. Then faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { targets } from '../../src/targets/index.ts';
import {
  answer, chromiumAvailable, correctAnswer, isQuestion, press, quizButton, shownAnswer, waitForPlayer, wrongAnswer
} from '../support/browser/index.ts';
import {
  CMI5, VERBS, checkCmi5, errors, readCmi5Xml, warnings, type Cmi5Launch, type Launch, type Statement
} from '../support/lrs/index.ts';
import {
  ACTOR, LESSON, Learner, QUIZ, WORKBOOK, closeEnv, leave, listing, open, quiet, settle, startEnv, verbName, type Env, type Session
} from './run.ts';
import { atLesson, sharedFaults } from './faults.ts';
import { STANDARDS, sessionOf } from './standards.ts';
import { sharedHoldings } from './holdings.ts';

/** The LMS page the learner returns to (served by the test server, so nothing leaves 127.0.0.1). */
const RETURN_PATH = '/lms-return/';

// Skipped only while the target does not exist yet (or without Chromium).
describe.skipIf(!chromiumAvailable() || !targets.cmi5)('cmi5 package of the sample course, launched by a cmi5 LMS stand-in, statements in a real LRS', () => {
  const registration = randomUUID();
  const launches: Cmi5Launch[] = [];
  let env: Env;
  let learner: Learner;
  let session: Session;
  const pages = () => env.compiled.course.pages;
  const inCourse = (id: string) => STANDARDS.cmi5.inCourse(env, launches)(id);

  let returnDir: string;
  const returnUrl = () => `${env.server.origin}${RETURN_PATH}index.html`;

  beforeAll(async () => {
    env = await startEnv('cmi5');
    learner = new Learner(env.compiled);
    returnDir = await mkdtemp(join(tmpdir(), 'coursepack-cmi5-return-'));
    await writeFile(join(returnDir, 'index.html'), '<!doctype html><title>LMS</title><p>Back in the LMS.</p>');
    env.server.mount(RETURN_PATH, returnDir);
  });
  afterAll(async () => {
    await closeEnv(env);
    if (returnDir) await rm(returnDir, { recursive: true, force: true });
  });

  async function launch(options: { launchMode?: 'Normal' | 'Browse' | 'Review' } = {}): Promise<Session> {
    const l = await env.lms.cmi5Launch(env.base, { actor: ACTOR, registration, returnURL: returnUrl(), ...options });
    launches.push(l);
    session = await open(env, l);
    const first = (await waitForPlayer(session.frame)).id;
    // Only Normal sessions record what is seen.
    if (first && (options.launchMode ?? 'Normal') === 'Normal') learner.shown.push(first);
    return session;
  }

  /** Closes the tab (or uses the Exit button) and waits until the session's terminated statement is stored. */
  async function leaveAndSettle(how: 'close' | 'exit' = 'close'): Promise<Statement[]> {
    const sid = launches.at(-1)!.sessionId;
    if (how === 'exit') {
      // §10.2.6: the AU redirects to returnURL when it is terminated.
      const exit = session.frame.locator('.cp-exit');
      expect(await exit.count(), 'an Exit control (the launch gave a returnURL)').toBe(1);
      await exit.click();
      await session.page.waitForURL(returnUrl(), { timeout: 15_000 });
      const stored = await env.lrs.statements({ registration });
      expect(stored.some((s) => sessionOf(s) === sid && s.verb.id === VERBS.terminated), 'terminated is stored before the learner is sent to returnURL').toBe(true);
    }
    await leave(session);
    const list = await settle(env, registration, (l) => l.some((s) => sessionOf(s) === sid && s.verb.id === VERBS.terminated));
    expect(list.some((s) => sessionOf(s) === sid && s.verb.id === VERBS.terminated), `terminated of session ${launches.length}:\n${listing(list)}`).toBe(true);
    return quiet(env, registration);
  }

  it('the package: cmi5.xml has the course, one AU with its URL, masteryScore = the course mastery, moveOn CompletedAndPassed', async () => {
    const xml = await readFile(join(env.built.dirs.cmi5!, 'cmi5.xml'), 'utf8');
    const structure = readCmi5Xml(xml);
    expect(structure.courseId).toBe(env.compiled.course.id);
    expect(structure.aus).toHaveLength(1);
    const [au] = structure.aus;
    expect(au.id).not.toBe(structure.courseId);
    expect(au.masteryScore).toBe(env.compiled.course.scoring!.mastery);
    expect(au.moveOn).toBe('CompletedAndPassed');
    expect(env.built.files.cmi5).toContain(au.url.replace(/[?#].*$/, ''));
  });

  it('launch: one fetch, LaunchData and learner preferences read before the first statement, which is initialized', async () => {
    const { frame, launch: l } = await launch();
    expect((await waitForPlayer(frame)).id).toBe(pages()[0].id);
    const list = await settle(env, registration, (x) => x.some((s) => s.verb.id === VERBS.initialized));
    const c5 = l as Cmi5Launch;
    expect(c5.fetches, 'POSTs to the fetch URL').toBe(1);
    const mine = env.lms.requests.filter((r) => r.launch === c5.id);
    const firstStatement = mine.find((r) => r.path === 'statements' && (r.method === 'POST' || r.method === 'PUT'));
    expect(firstStatement, 'the AU sent statements').toBeDefined();
    const launchData = mine.find((r) => r.path === 'activities/state' && r.method === 'GET' && r.query.stateId === 'LMS.LaunchData');
    expect(launchData, 'GET LMS.LaunchData').toBeDefined();
    expect(launchData!.seq).toBeLessThan(firstStatement!.seq);
    expect(launchData!.query.activityId).toBe(c5.activityId);
    expect(launchData!.query.registration).toBe(registration);
    const prefs = mine.find((r) => r.path === 'agents/profile' && r.method === 'GET' && r.query.profileId === CMI5.learnerPreferences);
    expect(prefs, 'GET the cmi5LearnerPreferences agent profile (§11: on startup)').toBeDefined();
    expect(prefs!.seq, 'learner preferences read before the first statement (CATAPULT refuses statements before)').toBeLessThan(firstStatement!.seq);
    const au = list.filter((s) => s.id !== c5.launchedStatementId);
    expect(au[0] && verbName(au[0]), listing(list)).toBe('initialized');
  });

  it('walks to the lesson; the knowledge check and the polls are answered', async () => {
    await learner.lessonPage(session.frame);
  });

  it('workbook: both responses typed; closing the tab terminates session 1', async () => {
    await learner.workbookPage(session.frame);
    await leaveAndSettle();
  });

  it('session 2 on another device: the workbook and its texts come back; the quiz is failed; the tab closed', async () => {
    await env.browser.clearStorage(env.server.origin);
    const { frame } = await launch();
    expect((await waitForPlayer(frame)).id, 'bookmark').toBe(WORKBOOK);
    for (const [id, text] of Object.entries(learner.texts)) {
      expect.soft(await shownAnswer(frame, id), `text of ${id} after the relaunch`).toEqual([text]);
    }
    await learner.nextTo(frame, QUIZ);
    expect(await learner.failQuiz(frame)).toMatch(/(^|\D)0\s?%/);
    await leaveAndSettle();
  });

  it('session 3: the quiz offers its second attempt, which passes; the feedback page; Exit leads to the returnURL', async () => {
    const { frame } = await launch();
    expect((await waitForPlayer(frame)).id, 'bookmark').toBe(QUIZ);
    expect(await quizButton(frame, 'retry-quiz').isVisible(), '"Try again" after the failed attempt').toBe(true);
    expect(await learner.passQuiz(frame)).toMatch(/(^|\D)100\s?%/);
    const last = pages()[pages().length - 1];
    await learner.nextTo(frame, last.id);
    await learner.feedback(frame);
    await leaveAndSettle('exit');
  });

  it('session 4 in Review mode: the answers are shown, nothing is judged again', async () => {
    const before = (await env.lrs.statements({ registration })).length;
    const { frame } = await launch({ launchMode: 'Review' });
    const shown = await waitForPlayer(frame);
    expect(shown.id, 'the bookmark (the last page) in Review mode too').toBe(pages()[pages().length - 1].id);
    for (const [id, text] of Object.entries(learner.texts)) {
      if (learner.its(shown.id!).some((it) => it.id === id)) expect.soft(await shownAnswer(frame, id), `text of ${id} in Review mode`).toEqual([text]);
    }
    const notice = await frame.locator('#cp-notice').textContent();
    expect.soft((notice || '').trim(), 'the learner is told this is a review').not.toBe('');
    const all = await leaveAndSettle();
    const review = all.slice(before).filter((s) => sessionOf(s) === launches.at(-1)!.sessionId && s.id !== launches.at(-1)!.launchedStatementId);
    expect(review.map(verbName).filter((v) => ['completed', 'passed', 'failed'].includes(v)), listing(review)).toEqual([]);
  });

  describe('what the LRS holds', () => {
    let all: Statement[];
    let au: Statement[];
    beforeAll(async () => {
      all = await env.lrs.statements({ registration });
      // XAPI_LISTING=1 prints what the LRS holds.
      if (process.env.XAPI_LISTING) console.log(listing(all));
      const lms = new Set(launches.map((l) => l.launchedStatementId));
      au = all.filter((s) => !lms.has(s.id));
    });
    sharedHoldings('cmi5', () => ({ env, registration, learner, all, au, inCourse }), ' in the Normal sessions');

    it('cmi5 §9: no rule broken over the four sessions, and moveOn (completed and passed) met', () => {
      const v = checkCmi5(all, launches, { claimedSatisfied: true });
      expect(errors(v), listing(all)).toEqual([]);
      expect(warnings(v)).toEqual([]);
    });

    it('one fetch per launch, and no statement before the launch’s learner preferences were read', () => {
      for (const l of launches) {
        expect.soft(l.fetches, `launch ${l.id}: POSTs to the fetch URL`).toBe(1);
        const mine = env.lms.requests.filter((r) => r.launch === l.id);
        const first = mine.find((r) => r.path === 'statements' && r.method !== 'GET');
        const prefs = mine.find((r) => r.path === 'agents/profile' && r.query.profileId === CMI5.learnerPreferences);
        expect.soft(prefs && first && prefs.seq < first.seq, `launch ${l.id}: preferences read (#${prefs?.seq}) before the first statement (#${first?.seq})`).toBe(true);
      }
    });

    it('the judged statements: completed and failed in session 2, passed in session 3, with the masteryScore', () => {
      const judged = au.filter((s) => [VERBS.completed, VERBS.passed, VERBS.failed].includes(s.verb.id as any));
      const session = (s: Statement) => launches.findIndex((l) => l.sessionId === sessionOf(s)) + 1;
      expect(judged.map((s) => `${verbName(s)}@${session(s)}`), listing(au)).toEqual(['completed@2', 'failed@2', 'passed@3']);
      const [, failed, passed] = judged;
      const mastery = env.compiled.course.scoring!.mastery;
      expect.soft(failed.result?.score?.scaled).toBe(0);
      expect.soft(passed.result?.score?.scaled).toBe(1);
      for (const s of [failed, passed]) expect.soft(s.context?.extensions?.[CMI5.masteryScore], `${verbName(s)} masteryScore`).toBe(mastery);
      for (const s of judged) expect.soft(s.object.id, `${verbName(s)} object`).toBe(launches[0].activityId);
    });

  });

  describe('faults', { timeout: 120_000 }, () => {
    sharedFaults(STANDARDS.cmi5, () => env);

    it('a reload in the same tab: no second POST to the fetch URL, nothing recorded after terminated, and the learner is told', async () => {
      const reg = randomUUID();
      const mine: Launch[] = [];
      const s = await atLesson(env, STANDARDS.cmi5, reg, mine);
      await settle(env, reg, (l) => l.some((x) => x.verb.id === VERBS.initialized), 10_000);
      await s.page.reload();
      await waitForPlayer(s.frame);
      const f = new Learner(env.compiled);
      const check = f.its(LESSON).find(isQuestion)!;
      await answer(s.frame, check, correctAnswer(check));
      await press(s.frame, check.id, 'check');
      await leave(s);
      const all = await quiet(env, reg, 2500);
      expect((mine[0] as Cmi5Launch).fetches, 'POSTs to the one-time fetch URL').toBe(1);
      expect(errors(checkCmi5(all, mine as Cmi5Launch[])), listing(all)).toEqual([]);
      expect(all.filter((x) => x.verb.id === VERBS.initialized).length, listing(all)).toBe(1);
    });

    it('the LMS’s masteryScore wins over the course’s (§10.2.4): with 0.5, a 60% attempt is passed', async () => {
      const reg = randomUUID();
      const l = await env.lms.cmi5Launch(env.base, { actor: ACTOR, registration: reg, masteryScore: 0.5 });
      const s = await open(env, l);
      const f = new Learner(env.compiled);
      await f.nextTo(s.frame, QUIZ);
      const pool = f.its(QUIZ).filter(isQuestion).length;
      const right = Math.ceil(pool * 0.6);
      let n = 0;
      await f.quiz(s.frame, 'quiz-1', (q) => (n++ < right ? correctAnswer(q) : wrongAnswer(q)));
      const scaled = Math.round((right / pool) * 10000) / 10000;
      expect(scaled).toBeGreaterThanOrEqual(0.5);
      expect(scaled).toBeLessThan(env.compiled.course.scoring!.mastery);
      await settle(env, reg, (x) => x.some((y) => y.verb.id === VERBS.passed || y.verb.id === VERBS.failed), 15_000);
      await leave(s);
      const all = await settle(env, reg, (x) => x.some((y) => y.verb.id === VERBS.terminated), 30_000);
      const judged = all.filter((x) => x.verb.id === VERBS.passed || x.verb.id === VERBS.failed);
      expect(judged.map(verbName), listing(all)).toEqual(['passed']);
      expect(judged[0].result?.score?.scaled).toBe(scaled);
      expect(judged[0].context?.extensions?.[CMI5.masteryScore]).toBe(0.5);
      expect(errors(checkCmi5(all, [l])), listing(all)).toEqual([]);
    });
  });
});

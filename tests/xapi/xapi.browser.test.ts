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
import {
  chromiumAvailable,
  correctAnswer,
  isQuestion,
  next,
  pageById,
  shownAnswer,
  verdict,
  waitForPlayer,
} from '../support/browser/index.ts';
import { formatInvalid, readTinCanXml, validateStatements, type Statement, type TinCanLaunch } from '../support/lrs/index.ts';
import {
  ACTOR,
  LESSON,
  Learner,
  QUIZ,
  VERB,
  WORKBOOK,
  answeredProblems,
  envelopeProblems,
  experiencedProblems,
  closeEnv,
  generatedIds,
  leave,
  listing,
  matchAnswered,
  open,
  outOfOrder,
  quiet,
  settle,
  startEnv,
  verbName,
  type Env,
  type Session,
} from './run.ts';

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
    await learner.nextTo(session.frame, LESSON);
    await learner.lesson(session.frame);
  });

  it('workbook: both responses typed', async () => {
    await learner.nextTo(session.frame, WORKBOOK);
    await learner.workbook(session.frame);
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

    it('every statement is valid xAPI (xapi-validation); the LMS saw no protocol problem', () => {
      expect(formatInvalid(validateStatements(all))).toBe('');
      expect(env.lms.problems).toEqual([]);
      expect(env.attempts.filter((a) => !a.compact).map((a) => `#${a.seq} ${a.method}`), 'statement bodies sent as compact JSON').toEqual([]);
    });

    it('actor and registration of the launch, unique ids, UTC timestamps; stored in the order made; nothing sent is missing', () => {
      expect(envelopeProblems(all, ACTOR, registration, 'xapi')).toEqual([]);
      expect(outOfOrder(all), listing(all)).toEqual([]);
      const stored = new Set(all.map((s) => s.id));
      const missing = generatedIds(env, registration).filter((id) => !stored.has(id));
      expect(missing, 'statements the page sent that the LRS does not hold').toEqual([]);
    });

    it('one answered statement per answer, with the interaction definition, the response and the result', () => {
      expect(answeredProblems(env.compiled, all, learner, 'xapi', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
    });

    it('one experienced statement per page shown, in order, naming the page', () => {
      expect(experiencedProblems(env.compiled, all, learner.shown, 'xapi', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
    });

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
      const judged = all.filter((s) => s.verb.id === VERB('passed') || s.verb.id === VERB('failed'));
      expect(judged.map(verbName), listing(all)).toEqual(['failed', 'passed']);
      const [failed, passed] = judged;
      for (const s of judged) expect.soft(s.object.id, `${verbName(s)} object`).toBe(env.compiled.course.id);
      expect.soft(failed.result?.success).toBe(false);
      expect.soft(failed.result?.score).toMatchObject({ scaled: 0, raw: 0, min: 0, max: 100 });
      expect.soft(passed.result?.success).toBe(true);
      expect.soft(passed.result?.score).toMatchObject({ scaled: 1, raw: 100, min: 0, max: 100 });
      // Each attempt's answers come before its verdict.
      const { byInteraction } = matchAnswered(env.compiled, all);
      const pool = pageById(env.compiled, QUIZ).interactionIds;
      const first = pool.map((id) => all.indexOf(byInteraction.get(id)?.[0] as Statement));
      const second = pool.map((id) => all.indexOf(byInteraction.get(id)?.[1] as Statement));
      expect.soft(Math.max(...first), 'answers of the failed attempt stored before failed').toBeLessThan(all.indexOf(failed));
      expect.soft(Math.min(...second), 'answers of the passing attempt stored after failed').toBeGreaterThan(all.indexOf(failed));
      expect.soft(Math.max(...second), 'answers of the passing attempt stored before passed').toBeLessThan(all.indexOf(passed));
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

    it('the course loads every file it asks for, reaches for no network and throws no errors', () => {
      expect(env.server.notFound, 'requests answered 404').toEqual([]);
      expect(env.browser.blocked, 'requests that left 127.0.0.1').toEqual([]);
      const problems = env.browser.problems.filter((p) => p.kind === 'exception' || /Refused to|Content Security Policy/i.test(p.text));
      expect(problems.map((p) => `${p.kind} in ${p.url}: ${p.text}`)).toEqual([]);
    });
  });

  describe('faults', { timeout: 120_000 }, () => {
    /** A fresh registration, launched at the lesson page. */
    async function atLesson(registration: string): Promise<Session> {
      const l = await env.lms.tinCanLaunch(env.base, { actor: ACTOR, registration });
      const s = await open(env, l);
      const f = new Learner(env.compiled);
      await f.nextTo(s.frame, LESSON);
      return s;
    }
    /** The text of the player's notice once `want` holds for it (or after `timeout`). */
    const noticeText = async (s: Session, want: (text: string) => boolean, timeout = 15_000): Promise<string> => {
      const read = () => s.frame.locator('#cp-notice').evaluate((n) => ((n as HTMLElement).hidden ? '' : (n.textContent || '').trim()));
      const until = Date.now() + timeout;
      for (;;) {
        const text = await read();
        if (want(text) || Date.now() > until) return text;
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    it('the LMS stops mid-course and comes back: every statement is stored exactly once, in order, none missing', async () => {
      const reg = randomUUID();
      const f = new Learner(env.compiled);
      const s = await atLesson(reg);
      const [check, ...polls] = f.its(LESSON);
      // One answer while the LMS is up…
      await f.checkRight(s.frame, check);
      await settle(env, reg, (l) => l.some((x) => x.verb.id === VERB('answered')), 15_000);
      // …then it goes away: answers, a page change and text while it is down…
      await env.lms.stop();
      for (const p of polls) {
        await f.submitPoll(s.frame, p);
      }
      await f.nextTo(s.frame, WORKBOOK);
      await f.workbook(s.frame);
      await next(s.frame);
      expect.soft(await noticeText(s, (t) => t !== ''), 'the learner is told the LMS cannot be reached').not.toBe('');
      // …and comes back: the quiz, passed.
      await env.lms.restart();
      await f.passQuiz(s.frame);
      const expected = f.given.length;
      const list = await settle(env, reg, (l) => l.filter((x) => x.verb.id === VERB('answered')).length >= expected + 2, 60_000);
      expect.soft(await noticeText(s, (t) => t === ''), 'the notice goes away once the LMS answers again').toBe('');
      await leave(s);
      const all = await quiet(env, reg);
      expect(all.length, listing(list)).toBeGreaterThan(0);
      const ids = all.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      const generated = generatedIds(env, reg);
      const stored = new Set(ids);
      expect(generated.filter((id) => !stored.has(id)), 'sent by the page, missing in the LRS').toEqual([]);
      expect(outOfOrder(all), listing(all)).toEqual([]);
      // Stored in the order the page made them.
      expect(ids.filter((id) => generated.includes(id)), 'stored order = order of the first attempts').toEqual(generated.filter((id) => stored.has(id)));
      expect(answeredProblems(env.compiled, all, f, 'xapi, LMS down', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
      expect(formatInvalid(validateStatements(all))).toBe('');
      const failedAttempts = env.attempts.filter((a) => a.outcome === 'failed' && a.statements.some((x) => x.context?.registration === reg));
      expect(failedAttempts.length, 'the page did try while the LMS was down').toBeGreaterThan(0);
    });

    it('the LMS answers 503 for a while: the statements of that time arrive afterwards, once each', async () => {
      const reg = randomUUID();
      const f = new Learner(env.compiled);
      const s = await atLesson(reg);
      env.lms.unavailable({ ms: 4000, retryAfter: 1 });
      await f.lesson(s.frame);
      const list = await settle(env, reg, (l) => l.filter((x) => x.verb.id === VERB('answered')).length >= f.given.length, 30_000);
      env.lms.available();
      await leave(s);
      const all = await quiet(env, reg);
      const got503 = env.lms.requests.filter((r) => r.status === 503 && r.path === 'statements');
      expect(got503.length, 'statements answered 503').toBeGreaterThan(0);
      expect(answeredProblems(env.compiled, all, f, 'xapi, 503', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
      expect(outOfOrder(all), listing(list)).toEqual([]);
      const stored = new Set(all.map((x) => x.id));
      expect(generatedIds(env, reg).filter((id) => !stored.has(id))).toEqual([]);
    });

    it('the tab is closed right after an answer while the LMS is down: on relaunch the answer and the bookmark are back, and its statement arrives once', async () => {
      const reg = randomUUID();
      const s = await atLesson(reg);
      const f = new Learner(env.compiled);
      const check = f.its(LESSON).find(isQuestion)!;
      await settle(env, reg, (l) => l.length > 0, 10_000);
      await env.lms.stop();
      await f.checkRight(s.frame, check);
      await leave(s);
      await env.lms.restart();
      const again = await open(env, await env.lms.tinCanLaunch(env.base, { actor: ACTOR, registration: reg }));
      const shown = await waitForPlayer(again.frame);
      expect(shown.id, 'bookmark after the relaunch').toBe(LESSON);
      expect(await shownAnswer(again.frame, check.id)).toEqual(correctAnswer(check));
      expect(await verdict(again.frame, check.id, 3_000), 'the verdict is shown again').not.toBe('');
      const list = await settle(env, reg, (l) => l.some((x) => x.verb.id === VERB('answered')), 30_000);
      await leave(again);
      const all = await quiet(env, reg);
      expect(all.filter((x) => x.verb.id === VERB('answered')).length, listing(list)).toBe(1);
      expect(answeredProblems(env.compiled, all, f, 'xapi, tab closed', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
    });

    it('the tab is closed while the answer is on its way (slow LMS): after the relaunch it is stored once', async () => {
      const reg = randomUUID();
      const s = await atLesson(reg);
      const f = new Learner(env.compiled);
      const check = f.its(LESSON).find(isQuestion)!;
      await settle(env, reg, (l) => l.length > 0, 10_000);
      env.lms.latency(2000);
      try {
        await f.checkRight(s.frame, check);
        await leave(s);
      } finally {
        env.lms.latency(0);
      }
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

    it('an ADL-style LRS (409 to a resent id): the answer in flight when the tab closed is kept once, and what follows still arrives', async () => {
      const reg = randomUUID();
      const s = await atLesson(reg);
      const f = new Learner(env.compiled);
      const [check, poll] = [f.its(LESSON).find(isQuestion)!, f.its(LESSON).find((it) => it.kind === 'poll')!];
      await settle(env, reg, (l) => l.length > 0, 10_000);
      env.lms.conflictOnResend(true);
      try {
        env.lms.latency(2000);
        try {
          await f.checkRight(s.frame, check);
          await leave(s);
        } finally {
          env.lms.latency(0);
        }
        const again = await open(env, await env.lms.tinCanLaunch(env.base, { actor: ACTOR, registration: reg }));
        expect((await waitForPlayer(again.frame)).id).toBe(LESSON);
        await f.submitPoll(again.frame, poll);
        await settle(env, reg, (l) => l.filter((x) => x.verb.id === VERB('answered')).length >= 2, 30_000);
        await leave(again);
      } finally {
        env.lms.conflictOnResend(false);
      }
      const all = await quiet(env, reg, 2500);
      const conflicts = env.lms.requests.filter((r) => r.status === 409 && r.statements?.some((x) => x.context?.registration === reg));
      expect(conflicts.length, 'the resend met an ADL-style 409 (else this test proved nothing)').toBeGreaterThan(0);
      expect(answeredProblems(env.compiled, all, f, 'xapi, ADL 409', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
      expect(all.filter((x) => verbName(x) === 'terminated').length, `both sessions terminated:\n${listing(all)}`).toBe(2);
      const stored = new Set(all.map((x) => x.id));
      expect(generatedIds(env, reg).filter((id) => !stored.has(id)), 'sent by the page, missing in the LRS').toEqual([]);
      expect(outOfOrder(all), listing(all)).toEqual([]);
    });

    it('the LRS answers 500 to the first statements (ADL’s first-write race): nothing is lost', async () => {
      const reg = randomUUID();
      env.lms.unavailable({ status: 500, requests: 2, only: /^statements$/ });
      const s = await atLesson(reg);
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

    it('an endpoint without its trailing slash (field reports) works the same', async () => {
      const reg = randomUUID();
      const problems = env.lms.problems.length;
      const l = await env.lms.tinCanLaunch(env.base, { actor: ACTOR, registration: reg, endpointWithoutSlash: true });
      expect(new URL(l.url).searchParams.get('endpoint')).not.toMatch(/\/$/);
      const s = await open(env, l);
      const f = new Learner(env.compiled);
      await f.nextTo(s.frame, LESSON);
      await f.lesson(s.frame);
      await leave(s);
      const all = await settle(env, reg, (x) => x.some((y) => verbName(y) === 'terminated'), 30_000);
      expect(answeredProblems(env.compiled, all, f, 'xapi, no slash', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
      expect(env.lms.requests.filter((r) => r.launch === l.id && r.path === 'activities/state' && r.method === 'PUT' && r.status === 204).length, 'state saved').toBeGreaterThan(0);
      expect(env.lms.problems.slice(problems)).toEqual([]);
    });

    it('leaving while an answer is still on its way to a slow LRS: everything stored in order, terminated last', async () => {
      const reg = randomUUID();
      const s = await atLesson(reg);
      await settle(env, reg, (l) => l.some((x) => verbName(x) === 'experienced'), 10_000);
      await quiet(env, reg, 1000);
      const f = new Learner(env.compiled);
      const check = f.its(LESSON).find(isQuestion)!;
      // Every request carrying the answer is slow (the first one and any resend); others are not.
      const slow = env.lms.holdStatements((list) => list.some((x) => verbName(x) === 'answered'));
      await f.checkRight(s.frame, check);
      const held = await Promise.race([slow.held, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
      expect(held?.statements?.map(verbName), 'the answer is held on its way (else this test proved nothing)').toContain('answered');
      await leave(s);
      await new Promise((r) => setTimeout(r, 1000));
      slow.release();
      const all = await quiet(env, reg, 2500);
      if (process.env.XAPI_LISTING) console.log(listing(all), env.lms.requests.filter((r) => r.statements?.some((x) => x.context?.registration === reg)).map((r) => `#${r.seq} ${r.status} ${r.note ?? ''} ${r.statements!.map(verbName)}`));
      expect(answeredProblems(env.compiled, all, f, 'xapi, slow LRS at exit', (id) => id.startsWith(env.compiled.course.id + '/'))).toEqual([]);
      expect(outOfOrder(all), listing(all)).toEqual([]);
      expect(all.at(-1) && verbName(all.at(-1)!), listing(all)).toBe('terminated');
    });
  });
});

/**
 * The faults both xAPI standards meet the same way, as one set of tests run for Tin Can and for
 * cmi5: the LMS down mid-course, 503s for a while, the tab closed while the LMS is down, an
 * ADL-style LRS answering 409 to a resend, an endpoint without its slash, a slow LRS at exit.
 * Each ends with what the LRS must hold; cmi5 runs add the cmi5 §9 rules.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { correctAnswer, isQuestion, next, shownAnswer, verdict, waitForPlayer } from '../support/browser/index.ts';
import { formatInvalid, validateStatements, type Launch } from '../support/lrs/index.ts';
import { LESSON, Learner, VERB, WORKBOOK, answeredProblems, generatedIds, leave, listing, open, outOfOrder, quiet, sentAll, settle, verbName, type Env, type Session } from './run.ts';
import type { XapiStandard } from './standards.ts';

/** A fresh launch of `registration` (added to `mine`), at the lesson page. */
export async function atLesson(env: Env, std: XapiStandard, registration: string, mine: Launch[] = []): Promise<Session> {
  const l = await std.launch(env, registration);
  mine.push(l);
  const s = await open(env, l);
  await new Learner(env.compiled).nextTo(s.frame, LESSON);
  return s;
}

/** The text of the player's notice once `want` holds for it (or after `timeout`). */
export async function noticeText(s: Session, want: (text: string) => boolean, timeout = 15_000): Promise<string> {
  const read = () => s.frame.locator('#cp-notice').evaluate((n) => ((n as HTMLElement).hidden ? '' : (n.textContent || '').trim()));
  const until = Date.now() + timeout;
  for (;;) {
    const text = await read();
    if (want(text) || Date.now() > until) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Answers `ms` late while `act` runs (the LRS has each request handled, the page does not know yet). */
export async function withLatency(env: Env, ms: number, act: () => Promise<void>): Promise<void> {
  env.lms.latency(ms);
  try {
    await act();
  } finally {
    env.lms.latency(0);
  }
}

/** A fresh registration's learner at the lesson, once its first statement is stored; `check` is the lesson's question. */
export async function startedAtLesson(env: Env, std: XapiStandard) {
  const reg = randomUUID();
  const mine: Launch[] = [];
  const s = await atLesson(env, std, reg, mine);
  const f = new Learner(env.compiled);
  const check = f.its(LESSON).find(isQuestion)!;
  await settle(env, reg, (l) => l.some((x) => x.verb.id === VERB('initialized')), 10_000);
  return { reg, mine, s, f, check };
}

export function sharedFaults(std: XapiStandard, getEnv: () => Env): void {
  lmsDownFaults(std, getEnv);
  resendFaults(std, getEnv);
}

/** The LMS gone or answering 503: nothing is lost, nothing stored twice. */
function lmsDownFaults(std: XapiStandard, getEnv: () => Env): void {
  const { kind } = std;
  const cmi5 = kind === 'cmi5';

  it(`the LMS stops mid-course and comes back: every statement stored exactly once, in order, none missing${cmi5 ? '; failed then passed in one session keeps cmi5 §9.3' : ''}`, async () => {
    const env = getEnv();
    const reg = randomUUID();
    const mine: Launch[] = [];
    const f = new Learner(env.compiled);
    const s = await atLesson(env, std, reg, mine);
    const [check, ...polls] = f.its(LESSON);
    // One answer while the LMS is up…
    await f.checkRight(s.frame, check);
    await settle(env, reg, (l) => l.some((x) => x.verb.id === VERB('answered')), 15_000);
    // …then it goes away: answers, a page change and text while it is down…
    await env.lms.stop();
    for (const p of polls) await f.submitPoll(s.frame, p);
    await f.nextTo(s.frame, WORKBOOK);
    await f.workbook(s.frame);
    await next(s.frame);
    expect.soft(await noticeText(s, (t) => t !== ''), 'the learner is told the LMS cannot be reached').not.toBe('');
    // …and comes back: the quiz (cmi5: failed, then passed in the same session).
    await env.lms.restart();
    if (cmi5) await f.failQuiz(s.frame);
    await f.passQuiz(s.frame);
    const expected = f.given.length;
    const list = await settle(env, reg, (l) => l.filter((x) => x.verb.id === VERB('answered')).length >= expected + 2, 60_000);
    expect.soft(await noticeText(s, (t) => t === ''), 'the notice goes away once the LMS answers again').toBe('');
    await leave(s);
    const all = await std.ended(env, reg, mine);
    expect(all.length, listing(list)).toBeGreaterThan(0);
    const ids = all.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    const generated = generatedIds(env, reg);
    const stored = new Set(ids);
    expect(generated.filter((id) => !stored.has(id)), 'sent by the page, missing in the LRS').toEqual([]);
    const au = std.fromCourse(all, mine);
    expect(outOfOrder(au), listing(au)).toEqual([]);
    // Stored in the order the page made them.
    expect(ids.filter((id) => generated.includes(id)), 'stored order = order of the first attempts').toEqual(generated.filter((id) => stored.has(id)));
    expect(answeredProblems(env.compiled, au, f, `${kind}, LMS down`, std.inCourse(env, mine))).toEqual([]);
    expect(formatInvalid(validateStatements(all))).toBe('');
    expect(std.ruleErrors(all, mine), listing(all)).toEqual([]);
    if (cmi5) expect(au.filter((x) => x.verb.id === VERB('passed')).length, 'passed, once').toBe(1);
    const failedAttempts = env.attempts.filter((a) => a.outcome === 'failed' && a.statements.some((x) => x.context?.registration === reg));
    if (!cmi5) expect(failedAttempts.length, 'the page did try while the LMS was down').toBeGreaterThan(0);
  });

  it(`the LMS answers 503 for a while: the statements of that time arrive afterwards, once each${cmi5 ? ', cmi5 rules kept' : ''}`, async () => {
    const env = getEnv();
    const reg = randomUUID();
    const mine: Launch[] = [];
    const f = new Learner(env.compiled);
    const s = await atLesson(env, std, reg, mine);
    // cmi5: the statements resource only (LaunchData and the fetch stay up).
    env.lms.unavailable({ ms: 4000, retryAfter: 1, ...(cmi5 ? { only: /^statements$/ } : {}) });
    await f.lesson(s.frame);
    const list = await settle(env, reg, (l) => l.filter((x) => x.verb.id === VERB('answered')).length >= f.given.length, 30_000);
    env.lms.available();
    await leave(s);
    const all = await std.ended(env, reg, mine);
    const got503 = env.lms.requests.filter((r) => r.status === 503 && r.path === 'statements');
    expect(got503.length, 'statements answered 503').toBeGreaterThan(0);
    const au = std.fromCourse(all, mine);
    expect(answeredProblems(env.compiled, au, f, `${kind}, 503`, std.inCourse(env, mine))).toEqual([]);
    expect(outOfOrder(au), listing(list)).toEqual([]);
    expect(std.ruleErrors(all, mine), listing(all)).toEqual([]);
    const stored = new Set(all.map((x) => x.id));
    expect(generatedIds(env, reg).filter((id) => !stored.has(id))).toEqual([]);
  });

  it('the tab is closed right after an answer while the LMS is down: on relaunch the answer and the bookmark are back, and its statement arrives once', async () => {
    const env = getEnv();
    const { reg, mine, s, f, check } = await startedAtLesson(env, std);
    await env.lms.stop();
    await f.checkRight(s.frame, check);
    await leave(s);
    await env.lms.restart();
    const l2 = await std.launch(env, reg);
    mine.push(l2);
    const again = await open(env, l2);
    expect((await waitForPlayer(again.frame)).id, 'bookmark after the relaunch').toBe(LESSON);
    expect(await shownAnswer(again.frame, check.id)).toEqual(correctAnswer(check));
    expect(await verdict(again.frame, check.id, 3_000), 'the verdict is shown again').not.toBe('');
    await settle(env, reg, (l) => l.some((x) => x.verb.id === VERB('answered')), 30_000);
    await leave(again);
    const all = await std.ended(env, reg, mine);
    expect(all.filter((x) => x.verb.id === VERB('answered')).length, listing(all)).toBe(1);
    expect(answeredProblems(env.compiled, all, f, `${kind}, tab closed`, std.inCourse(env, mine))).toEqual([]);
    // cmi5: the first session may end without terminated (the LMS was down when the tab closed).
    const abandoned = mine[0].kind === 'cmi5' ? [mine[0].sessionId] : [];
    expect(std.ruleErrors(all, mine, { abandoned }), listing(all)).toEqual([]);
  });

}

/** Resends and slow answers: an ADL-style 409, an endpoint without its slash, a slow LRS at exit. */
function resendFaults(std: XapiStandard, getEnv: () => Env): void {
  const { kind } = std;
  const cmi5 = kind === 'cmi5';

  it('an ADL-style LRS (409 to a resent id): the answer in flight when the tab closed is kept once; both sessions end; what follows still arrives', async () => {
    const env = getEnv();
    const { reg, mine, s, f, check } = await startedAtLesson(env, std);
    const poll = f.its(LESSON).find((it) => it.kind === 'poll')!;
    env.lms.conflictOnResend(true);
    try {
      await withLatency(env, 2000, async () => {
        await f.checkRight(s.frame, check);
        await leave(s);
      });
      const l2 = await std.launch(env, reg);
      mine.push(l2);
      const again = await open(env, l2);
      expect((await waitForPlayer(again.frame)).id).toBe(LESSON);
      await f.submitPoll(again.frame, poll);
      await settle(env, reg, (l) => l.filter((x) => x.verb.id === VERB('answered')).length >= 2, 30_000);
      // A clean leave: the closing batch must not carry the poll's answer again (an ADL-style LRS
      // would refuse the whole batch, terminated with it, until a next launch).
      await sentAll(again, reg);
      await leave(again);
    } finally {
      env.lms.conflictOnResend(false);
    }
    const all = await std.ended(env, reg, mine, 2500);
    const au = std.fromCourse(all, mine);
    const conflicts = env.lms.requests.filter((r) => r.status === 409 && r.statements?.some((x) => x.context?.registration === reg));
    expect(conflicts.length, 'the resend met an ADL-style 409 (else this test proved nothing)').toBeGreaterThan(0);
    expect(answeredProblems(env.compiled, au, f, `${kind}, ADL 409`, std.inCourse(env, mine))).toEqual([]);
    expect(std.ruleErrors(all, mine), listing(all)).toEqual([]);
    expect(au.filter((x) => verbName(x) === 'terminated').length, `both sessions terminated:\n${listing(all)}`).toBe(2);
    const stored = new Set(all.map((x) => x.id));
    expect(generatedIds(env, reg).filter((id) => !stored.has(id)), 'sent by the page, missing in the LRS').toEqual([]);
    expect(outOfOrder(au), listing(all)).toEqual([]);
  });

  it('an endpoint without its trailing slash (field reports) works the same', async () => {
    const env = getEnv();
    const reg = randomUUID();
    const problems = env.lms.problems.length;
    const l = await std.launch(env, reg, { endpointWithoutSlash: true });
    expect(new URL(l.url).searchParams.get('endpoint')).not.toMatch(/\/$/);
    const s = await open(env, l);
    const f = new Learner(env.compiled);
    await f.nextTo(s.frame, LESSON);
    await f.lesson(s.frame);
    await leave(s);
    const all = await settle(env, reg, (x) => x.some((y) => verbName(y) === 'terminated'), 30_000);
    expect(answeredProblems(env.compiled, std.fromCourse(all, [l]), f, `${kind}, no slash`, std.inCourse(env, [l]))).toEqual([]);
    expect(std.ruleErrors(all, [l]), listing(all)).toEqual([]);
    const saved = env.lms.requests.filter((r) => r.launch === l.id && r.path === 'activities/state' && r.method === 'PUT' && r.status === 204);
    if (!cmi5) expect(saved.length, 'state saved').toBeGreaterThan(0);
    expect(env.lms.problems.slice(problems)).toEqual([]);
  });

  it(`leaving while an answer is still on its way to a slow LRS: everything stored in order, terminated last${cmi5 ? ' (§9.3.8)' : ''}`, async () => {
    const env = getEnv();
    const reg = randomUUID();
    const mine: Launch[] = [];
    const s = await atLesson(env, std, reg, mine);
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
    // The LRS catches up only after the page is gone.
    await new Promise((r) => setTimeout(r, 1000));
    slow.release();
    const all = await std.ended(env, reg, mine, 2500);
    const au = std.fromCourse(all, mine);
    expect(answeredProblems(env.compiled, au, f, `${kind}, slow LRS at exit`, std.inCourse(env, mine))).toEqual([]);
    expect(std.ruleErrors(all, mine), listing(all)).toEqual([]);
    expect(outOfOrder(au), listing(au)).toEqual([]);
    expect(au.at(-1) && verbName(au.at(-1)!), listing(all)).toBe('terminated');
  });
}

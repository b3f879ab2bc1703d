/**
 * course.yml `reporting`: each option, played through the session against scorm-again's real
 * SCORM 1.2 and 2004 APIs, with the exact statuses and exit the SCO wrote.
 */
import { describe, expect, it } from 'vitest';
import type { ReportingRule, RuntimePage } from '../../src/model.ts';
import { createScorm12Adapter } from '../../src/runtime/adapters/scorm12.ts';
import { createScorm2004Adapter } from '../../src/runtime/adapters/scorm2004.ts';
import { startSession, type Session } from '../../src/runtime/session/session.ts';
import { strings } from '../../src/runtime/strings.ts';
import { lms12, lms2004, valueOf, windowWith } from './lms.ts';
import { makeCourse } from './fixtures.ts';

const RIGHT: Record<string, string[]> = { 'ex-single': ['b'], 'ex-multi': ['a', 'c'], 'ex-tf': ['a'], 'ex-fill': ['strive'] };
const DEFAULTS: ReportingRule = { scorm12: 'passed/failed', failed: 'any-attempt', exit: 'suspend' };

async function play(edition: '12' | '2004', reporting: Partial<ReportingRule>, attempts: ('fail' | 'pass')[], exam = 3) {
  const course = makeCourse({ reporting: { ...DEFAULTS, ...reporting } });
  const examPage = course.pages.find((p) => p.id === 'final-exam')!;
  examPage.quiz = { ...examPage.quiz!, attempts: exam };
  const lms = edition === '12' ? lms12() : lms2004();
  const adapter = edition === '12' ? createScorm12Adapter(windowWith('API', lms.api)) : createScorm2004Adapter(windowWith('API_1484_11', lms.api));
  const session = await startSession({ adapter, course, t: strings(), notify: () => {}, downloadAnswers: () => {} });
  for (const p of course.pages) session.visit(p.id);
  session.typeText('cap-summary', 'My plan', () => {});
  session.textDone('cap-summary', 'My plan');
  const statuses = (element: string): string[] => valueOf(lms.calls, element).filter((v, i, all) => v !== all[i - 1]);
  const seen: string[][] = [];
  for (const a of attempts) {
    submit(session, examPage, a);
    seen.push(statuses(edition === '12' ? 'cmi.core.lesson_status' : 'cmi.success_status'));
  }
  session.leave([]);
  return { calls: lms.calls, seen, statuses };
}

function submit(session: Session, page: RuntimePage, how: 'fail' | 'pass'): void {
  session.retryQuiz(page);
  const order = session.quiz(page).order;
  expect(session.submitQuiz(page, order.map((id) => (how === 'fail' && id === 'ex-single' ? ['a'] : RIGHT[id]))).status).toBe('submitted');
}

describe('reporting: scorm12-status', () => {
  it.each([
    ['passed/failed', ['incomplete', 'failed', 'passed']],
    ['passed/incomplete', ['incomplete', 'passed']],
    ['completed/failed', ['incomplete', 'failed', 'completed']],
    ['completed/incomplete', ['incomplete', 'completed']],
  ] as const)('%s: a failed attempt, then a passed one, writes lesson_status %j', async (pair, expected) => {
    const { statuses } = await play('12', { scorm12: pair }, ['fail', 'pass']);
    expect(statuses('cmi.core.lesson_status')).toEqual(expected);
  });
});

describe('reporting: failed', () => {
  it('any-attempt (default): `failed` after the first failed attempt (1.2 and 2004)', async () => {
    expect((await play('12', {}, ['fail'])).seen).toEqual([['incomplete', 'failed']]);
    const r = await play('2004', {}, ['fail']);
    expect(r.seen).toEqual([['failed']]);
  });

  it('last-attempt: nothing failed while attempts are left, `failed` after the last (1.2 and 2004)', async () => {
    const r12 = await play('12', { failed: 'last-attempt' }, ['fail', 'fail', 'fail']);
    expect(r12.seen).toEqual([['incomplete'], ['incomplete'], ['incomplete', 'failed']]);
    const r2004 = await play('2004', { failed: 'last-attempt' }, ['fail', 'fail', 'fail']);
    expect(r2004.seen).toEqual([[], [], ['failed']]);
    // The score is reported all along.
    expect(valueOf(r2004.calls, 'cmi.score.raw')[0]).toBe('75');
  });

  it('last-attempt with a pass before the last: `passed`, never `failed`', async () => {
    const r = await play('12', { failed: 'last-attempt' }, ['fail', 'pass']);
    expect(r.statuses('cmi.core.lesson_status')).toEqual(['incomplete', 'passed']);
  });
});

describe('reporting: exit', () => {
  it('suspend (default): a finished course still leaves suspended', async () => {
    expect(valueOf((await play('12', {}, ['pass'])).calls, 'cmi.core.exit').at(-1)).toBe('suspend');
    const r = await play('2004', {}, ['pass']);
    expect(valueOf(r.calls, 'cmi.exit').at(-1)).toBe('suspend');
    expect(valueOf(r.calls, 'adl.nav.request').at(-1)).toBe('suspendAll');
  });

  it('normal: a finished course leaves with a normal exit; an unfinished one still suspends', async () => {
    expect(valueOf((await play('12', { exit: 'normal' }, ['pass'])).calls, 'cmi.core.exit').at(-1)).toBe('');
    const r = await play('2004', { exit: 'normal' }, ['pass']);
    expect(valueOf(r.calls, 'cmi.exit').at(-1)).toBe('normal');
    expect(valueOf(r.calls, 'adl.nav.request').at(-1)).toBe('exitAll');
    // Failed with attempts left: not finished.
    expect(valueOf((await play('12', { exit: 'normal' }, ['fail'])).calls, 'cmi.core.exit').at(-1)).toBe('suspend');
    // Out of attempts: finished, so the attempt closes.
    expect(valueOf((await play('2004', { exit: 'normal' }, ['fail'], 1)).calls, 'cmi.exit').at(-1)).toBe('normal');
  });
});

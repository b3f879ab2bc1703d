/**
 * The learner session in Node, against scorm-again's real SCORM 1.2 API as the LMS: no DOM, no
 * browser. What the learner does goes in through the session's methods; what the LMS holds and
 * what the learner is told come out.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RuntimePage } from '../../src/model.ts';
import { createScorm12Adapter } from '../../src/runtime/adapters/scorm12.ts';
import { applyChange, check, drawQuiz, retryQuiz, select, submitQuiz } from '../../src/runtime/session/learner.ts';
import type { DeviceStore } from '../../src/runtime/session/saving.ts';
import { startSession } from '../../src/runtime/session/session.ts';
import { decodeState, encodeState, freshState } from '../../src/runtime/state.ts';
import { strings } from '../../src/runtime/strings.ts';
import { lms12, valueOf, windowWith, type SuspendDataPolicy } from './lms.ts';
import { makeCourse, prose } from './fixtures.ts';

const course = makeCourse();
const page = (id: string): RuntimePage => course.pages.find((p) => p.id === id)!;

/** A device store in memory; `full` makes it refuse writes like a full localStorage. */
function memoryDevice(full = false): DeviceStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    load: (key) => data.get(key) ?? null,
    store(key, value) {
      if (full) return false;
      if (value === null) data.delete(key);
      else data.set(key, value);
      return true;
    },
  };
}

async function open(lmsData?: object, device = memoryDevice(), policy: SuspendDataPolicy = 'keep') {
  const lms = lms12(lmsData, policy);
  const adapter = createScorm12Adapter(windowWith('API', lms.api));
  const notices = new Map<string, string | null>();
  const downloads: number[] = [];
  const session = await startSession({
    adapter,
    course,
    t: strings(),
    notify: (key, text) => notices.set(key, text),
    downloadAnswers: () => downloads.push(1),
    device,
  });
  const cmi = () => JSON.parse(JSON.stringify(lms.api.cmi));
  return { ...lms, session, notices, downloads, device, cmi };
}

afterEach(() => vi.useRealTimers());

describe('learner state changes', () => {
  it('never edits the state it is given, and stamps every change', () => {
    const before = freshState();
    const frozen = JSON.stringify(before);
    const after = applyChange(before, check('kc-single', ['b']), 42);
    expect(JSON.stringify(before)).toBe(frozen);
    expect(after).toMatchObject({ answers: { 'kc-single': ['b'] }, checked: ['kc-single'], updated: 42 });
    const changed = applyChange(after, select('kc-single', ['a']), 43);
    expect(changed.checked).toEqual([]);
    expect(after.checked).toEqual(['kc-single']);
  });

  it('counts quiz attempts, keeps the best score and passes once', () => {
    let s = applyChange(freshState(), drawQuiz('final-exam', ['ex-single']));
    s = applyChange(s, submitQuiz('final-exam', { 'ex-single': ['b'] }, 90, 80));
    s = applyChange(s, retryQuiz('final-exam', ['ex-single']));
    s = applyChange(s, submitQuiz('final-exam', { 'ex-single': ['a'] }, 10, 80));
    expect(s.quizzes['final-exam']).toMatchObject({ attempts: 2, best: 90, last: 10, passed: true, submitted: true });
    expect(s.answers['ex-single']).toEqual(['a']);
  });
});

describe('session against a SCORM 1.2 LMS', () => {
  it('visits, answers and saves: the LMS holds the bookmark, the state and the interactions', async () => {
    const { session, calls, cmi } = await open();
    session.visit('lesson-1');
    session.checkpoint();
    expect(session.check(course.interactions['kc-single'], ['a'])).toBe(false);
    expect(session.select('kc-single', ['b'])).toBe(true); // the shown verdict is stale now
    session.save(true);
    const lms = cmi();
    expect(lms.core.lesson_location).toBe('lesson-1');
    const saved = decodeState(lms.suspend_data);
    expect(saved.visited).toEqual(['lesson-1']);
    expect(saved.answers['kc-single']).toEqual(['b']);
    expect(saved.checked).toEqual([]);
    expect(Object.values(lms.interactions).map((i: any) => [i.id, i.result])).toEqual([['kc-single', 'wrong']]);
    expect(valueOf(calls, 'cmi.core.lesson_status').at(-1)).toBe('incomplete');
  });

  it('saves typed text after a pause, reports it once per distinct text, and ends suspended', async () => {
    vi.useFakeTimers();
    const { session, cmi } = await open();
    const saved: string[] = [];
    session.typeText('cap-summary', 'My plan', () => saved.push('cap-summary'));
    expect(session.state.texts['cap-summary']).toBeUndefined();
    vi.advanceTimersByTime(600);
    expect(saved).toEqual(['cap-summary']);
    expect(session.state.texts['cap-summary']).toBe('My plan');
    session.textDone('cap-summary', 'My plan');
    session.textDone('cap-summary', 'My plan');
    session.leave([['cap-summary', 'My plan']]);
    const lms = cmi();
    expect(Object.values(lms.interactions)).toHaveLength(1);
    expect(lms.core.exit).toBe('suspend');
    expect(decodeState(lms.suspend_data).texts['cap-summary']).toBe('My plan');
  });

  it('runs a quiz: refuses an incomplete attempt, marks, scores, retries, and passes the course', async () => {
    const { session, cmi } = await open();
    const exam = page('final-exam');
    const order = session.quiz(exam).order;
    expect(order.slice().sort()).toEqual(['ex-fill', 'ex-multi', 'ex-single', 'ex-tf']);
    expect(session.submitQuiz(exam, order.map(() => []))).toEqual({ status: 'incomplete', missing: 4 });
    const right: Record<string, string[]> = { 'ex-single': ['b'], 'ex-multi': ['a', 'c'], 'ex-tf': ['a'], 'ex-fill': ['strive'] };
    const wrong = order.map((id) => (id === 'ex-single' ? ['a'] : right[id]));
    const first = session.submitQuiz(exam, wrong);
    expect(first).toMatchObject({ status: 'submitted', quiz: { attempts: 1, last: 75, passed: false } });
    expect(session.submitQuiz(exam, wrong)).toEqual({ status: 'closed' }); // submitted: locked until "Try again"
    expect(session.retryQuiz(exam)).toBe(true);
    const second = session.submitQuiz(exam, session.quiz(exam).order.map((id) => right[id]));
    expect(second).toMatchObject({ status: 'submitted', quiz: { attempts: 2, best: 100, passed: true } });
    expect(session.retryQuiz(exam)).toBe(false);
    expect(cmi().core.score.raw).toBe('100');
  });

  it('keeps texts over the LMS limit on the device, says so, and offers the download', async () => {
    const { session, notices, device, cmi } = await open(undefined, memoryDevice(), 'refuse');
    ['wb-niche', 'wb-goal', 'cap-summary'].forEach((id, i) => session.typeText(id, prose(700, i + 1), () => {}));
    session.flushTexts();
    expect(notices.get('overflow')).toMatch(/kept in this browser/);
    expect(cmi().suspend_data.length).toBeLessThanOrEqual(4096);
    const onDevice = decodeState([...device.data.values()][0]);
    expect(Object.keys(onDevice.texts).sort()).toEqual(['cap-summary', 'wb-goal', 'wb-niche']);
  });

  it('says when the texts can be kept nowhere', async () => {
    const { session, notices } = await open(undefined, memoryDevice(true), 'refuse');
    session.typeText('wb-niche', prose(3000), () => {});
    session.flushTexts();
    expect(notices.get('overflow')).toMatch(/this browser cannot store it either/);
  });

  it('resumes from the LMS copy, with texts only this device held', async () => {
    const device = memoryDevice();
    const lmsCopy = freshState();
    lmsCopy.updated = 100;
    lmsCopy.bookmark = 'capstone';
    lmsCopy.textsOnDevice = ['cap-summary'];
    const deviceCopy = freshState();
    deviceCopy.updated = 50;
    deviceCopy.texts = { 'cap-summary': 'kept here' };
    device.data.set(`cp:${course.id}:u1`, encodeState(deviceCopy));
    const { session, notices } = await open(
      { cmi: { suspend_data: encodeState(lmsCopy), core: { student_id: 'u1', entry: 'resume' } } },
      device,
    );
    expect(session.state.bookmark).toBe('capstone');
    expect(session.state.texts['cap-summary']).toBe('kept here');
    expect(session.state.textsOnDevice).toEqual([]);
    expect(notices.get('elsewhere')).toBeUndefined();
  });

  it('records nothing in review mode and says so', async () => {
    const { session, notices, calls } = await open({ cmi: { core: { lesson_mode: 'review' } } });
    expect(session.readOnly).toBe(true);
    expect(notices.get('mode')).toMatch(/Review mode/);
    session.visit('lesson-1');
    session.checkpoint();
    expect(valueOf(calls, 'cmi.suspend_data')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createScorm12Adapter } from '../../src/runtime/adapters/scorm12.ts';
import type { StartInfo } from '../../src/runtime/adapters/types.ts';
import { findApi } from '../../src/runtime/adapters/scorm.ts';
import { lms12, sets, valueOf, windowWith } from './lms.ts';
import { makeCourse, records } from './fixtures.ts';

// Strict SCORM 1.2 RTE formats: scorm-again is deliberately lenient on these, so check them here.
const IDENTIFIER = /^[A-Za-z0-9_-]{1,255}$/;
const CHOICE = /^[a-z0-9](,[a-z0-9])*$/;
const TIMESPAN = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const STRING255 = /^[^\r\n]{0,255}$/;

const course = makeCourse();
function lifecycle(data?: object) {
  const lms = lms12(data);
  const adapter = createScorm12Adapter(windowWith('API', lms.api));
  const info = adapter.start(course) as StartInfo; // SCORM adapters start synchronously
  return { ...lms, adapter, info };
}

describe('SCORM 1.2 adapter against scorm-again', () => {
  it('runs a whole session with LMS error code 0 after every call', () => {
    const { calls, adapter, api } = lifecycle();
    adapter.setProgress(0.2, false);
    adapter.saveState('lesson-1', 'cp1:abc');
    records.forEach((r) => adapter.recordInteraction(r));
    adapter.commit();
    adapter.setScore(85, 0, 100, true);
    adapter.setProgress(1, true);
    adapter.commit();
    adapter.finish('normal');
    expect(calls.length).toBeGreaterThan(40);
    expect(calls.filter((c) => c.error !== '0')).toEqual([]);
    expect(calls.filter((c) => c.result === 'false')).toEqual([]);
    expect(calls.filter((c) => c.method === 'LMSInitialize')).toHaveLength(1);
    expect(calls[calls.length - 1].method).toBe('LMSFinish');

    const cmi = JSON.parse(JSON.stringify(api.cmi));
    expect(cmi.core.lesson_status).toBe('passed');
    expect(cmi.core.score).toMatchObject({ raw: '85', min: '0', max: '100' });
    expect(cmi.core.lesson_location).toBe('lesson-1');
    expect(cmi.suspend_data).toBe('cp1:abc');
    expect(cmi.core.exit).toBe('');
    expect(valueOf(calls, 'cmi.core.session_time')[0]).toMatch(TIMESPAN);
  });

  it('writes interactions in strict 1.2 formats', () => {
    const { calls, adapter, api } = lifecycle();
    records.forEach((r) => adapter.recordInteraction(r));
    adapter.finish('suspend');
    const list = Object.values((JSON.parse(JSON.stringify(api.cmi))).interactions) as any[];
    expect(list).toHaveLength(records.length);
    for (const i of list) {
      expect(i.id).toMatch(IDENTIFIER);
      expect(i.latency).toMatch(TIMESPAN);
      expect(i.time).toMatch(CLOCK);
      expect(i.student_response).toMatch(STRING255);
      expect(['correct', 'wrong', 'neutral']).toContain(i.result);
    }
    const byId = (id: string) => list.find((i) => i.id === id);
    expect(byId('ex-single')).toMatchObject({ type: 'choice', student_response: 'b', result: 'correct', weighting: '1' });
    expect(byId('ex-multi')).toMatchObject({ student_response: 'a,d', result: 'wrong' });
    expect(byId('ex-multi').correct_responses['0'].pattern).toBe('a,c');
    expect(byId('ex-tf')).toMatchObject({ type: 'true-false', student_response: 'f' });
    expect(byId('ex-tf').correct_responses['0'].pattern).toBe('t');
    expect(byId('ex-fill')).toMatchObject({ type: 'fill-in', student_response: 'Strive' });
    expect(Object.values(byId('ex-fill').correct_responses).map((c: any) => c.pattern)).toEqual(['STRIVE', 'strive framework']);
    expect(byId('poll-rate')).toMatchObject({ type: 'likert', student_response: 'd', result: 'neutral', weighting: '0' });
    const text = byId('wb_niche_1');
    expect(text.type).toBe('fill-in');
    expect(text.student_response.startsWith('(Line one} / Line two / long')).toBe(true);
    expect(text.student_response).toHaveLength(255);
    expect(text.student_response.endsWith('...')).toBe(true);
    for (const r of list.filter((i) => i.type === 'choice' || i.type === 'likert')) {
      expect(r.student_response).toMatch(CHOICE);
      for (const c of Object.values(r.correct_responses) as any[]) expect(c.pattern).toMatch(CHOICE);
    }
    expect(calls.filter((c) => c.error !== '0')).toEqual([]);
  });

  it('marks a first launch incomplete and suspends from the start', () => {
    const { calls, info } = lifecycle();
    expect(info).toMatchObject({ state: '', bookmark: '', mode: 'normal', storage: 'lms' });
    expect(valueOf(calls, 'cmi.core.lesson_status')).toEqual(['incomplete']);
    expect(valueOf(calls, 'cmi.core.exit')).toEqual(['suspend']);
  });

  it('resumes from the stored state even when entry says ab-initio', () => {
    const { info, calls } = lifecycle({
      cmi: { suspend_data: 'cp1:state', core: { lesson_location: 'workbook-1', entry: 'ab-initio', lesson_status: 'incomplete', student_id: 'u42', student_name: 'Doe, Jane' } },
    });
    expect(info).toMatchObject({ state: 'cp1:state', bookmark: 'workbook-1', learnerId: 'u42', learnerName: 'Doe, Jane' });
    expect(valueOf(calls, 'cmi.core.lesson_status')).toEqual([]); // already incomplete: not rewritten
  });

  it('continues the interaction journal after the LMS’s existing entries', () => {
    const lms = lms12();
    lms.api.LMSInitialize('');
    lms.api.LMSSetValue('cmi.interactions.0.id', 'earlier');
    lms.api.LMSSetValue('cmi.interactions.1.id', 'earlier2');
    (lms.api as any).currentState = 0; // back to "not initialised", keeping the data, as a relaunch would
    const adapter = createScorm12Adapter(windowWith('API', lms.api));
    adapter.start(course);
    adapter.recordInteraction(records[0]);
    expect(valueOf(lms.calls, 'cmi.interactions.2.id')).toEqual(['ex-single']);
  });

  it('writes the score before the status', () => {
    const { calls, adapter } = lifecycle();
    adapter.setProgress(1, true);
    adapter.setScore(60, 0, 100, false);
    const order = sets(calls).map((c) => c.args[0]);
    const status = order.lastIndexOf('cmi.core.lesson_status');
    expect(order.indexOf('cmi.core.score.raw')).toBeLessThan(status);
    expect(valueOf(calls, 'cmi.core.lesson_status').pop()).toBe('failed');
  });

  it('keeps a completed course incomplete until the scored quiz is attempted', () => {
    const { calls, adapter } = lifecycle();
    adapter.setProgress(1, true);
    expect(valueOf(calls, 'cmi.core.lesson_status').pop()).toBe('incomplete');
    adapter.setScore(90, 0, 100, true);
    expect(valueOf(calls, 'cmi.core.lesson_status').pop()).toBe('passed');
  });

  it('says completed when the course has no scoring rule', () => {
    const lms = lms12();
    const adapter = createScorm12Adapter(windowWith('API', lms.api));
    adapter.start(makeCourse({ scoring: null }));
    adapter.setProgress(1, true);
    expect(valueOf(lms.calls, 'cmi.core.lesson_status').pop()).toBe('completed');
  });

  it('commits only after a write, once per commit call', () => {
    const { calls, adapter } = lifecycle();
    const commits = () => calls.filter((c) => c.method === 'LMSCommit').length;
    adapter.commit(); // the status and exit written by start
    adapter.commit();
    expect(commits()).toBe(1);
    adapter.saveState('p', 's');
    adapter.commit();
    adapter.commit();
    expect(commits()).toBe(2);
    adapter.saveState('p', 's'); // unchanged: not even set again
    adapter.commit();
    expect(commits()).toBe(2);
    expect(valueOf(calls, 'cmi.suspend_data')).toEqual(['s']);
  });

  it('never sends an over-limit value', () => {
    const { calls, adapter } = lifecycle();
    adapter.saveState('x'.repeat(256), 'y'.repeat(4097));
    expect(valueOf(calls, 'cmi.core.lesson_location')).toEqual([]);
    expect(valueOf(calls, 'cmi.suspend_data')).toEqual([]);
  });

  it('sends nothing after finish', () => {
    const { calls, adapter } = lifecycle();
    adapter.finish('suspend');
    const n = calls.length;
    adapter.saveState('p', 's');
    adapter.recordInteraction(records[0]);
    adapter.setScore(1, 0, 100, false);
    adapter.commit();
    adapter.finish('normal');
    expect(calls.length).toBe(n);
    expect(valueOf(calls, 'cmi.core.exit')).toEqual(['suspend']);
  });

  it('treats an empty lesson_mode as normal and tracks', () => {
    const lms = lms12();
    (lms.api as any).cmi.core._lesson_mode = ''; // what some LMSs send
    const adapter = createScorm12Adapter(windowWith('API', lms.api));
    expect(adapter.start(course)).toMatchObject({ mode: 'normal' });
    adapter.saveState('p', 's');
    expect(valueOf(lms.calls, 'cmi.suspend_data')).toEqual(['s']);
  });

  it('records nothing in review mode', () => {
    const { calls, adapter, info } = lifecycle({ cmi: { core: { lesson_mode: 'review' } } });
    expect(info.mode).toBe('review');
    adapter.saveState('p', 's');
    adapter.recordInteraction(records[0]);
    adapter.setScore(10, 0, 100, false);
    adapter.setProgress(1, true);
    adapter.finish('suspend');
    const written = sets(calls).map((c) => c.args[0]);
    expect(written).toEqual(['cmi.core.session_time']);
  });

  it('reports a refused commit, then recovery', () => {
    const { adapter, api } = lifecycle();
    const seen: boolean[] = [];
    adapter.onStatus((s) => seen.push(s.ok));
    const commit = api.LMSCommit;
    (api as any).LMSCommit = () => 'false';
    adapter.saveState('p', 's1');
    adapter.commit();
    (api as any).LMSCommit = commit;
    adapter.saveState('p', 's2');
    adapter.commit();
    expect(seen).toEqual([false, true]);
  });

  it('reports a refused write', () => {
    const { adapter, api } = lifecycle();
    const seen: boolean[] = [];
    adapter.onStatus((s) => seen.push(s.ok));
    const set = api.LMSSetValue.bind(api);
    (api as any).LMSSetValue = (e: string, v: string) => (e === 'cmi.suspend_data' ? 'false' : set(e, v));
    adapter.saveState('p', 's1');
    expect(seen).toEqual([false]);
  });

  it('falls back to this browser when there is no LMS', () => {
    const lonely: any = {};
    lonely.parent = lonely;
    const adapter = createScorm12Adapter(lonely);
    expect(adapter.limits.stateChars).toBeGreaterThan(64000);
  });
});

describe('API discovery', () => {
  const chain = (depth: number, holder: (w: any, i: number) => void) => {
    const frames: any[] = [];
    for (let i = 0; i < depth; i++) frames.push({});
    frames.forEach((f, i) => (f.parent = frames[i + 1] || f));
    frames.forEach(holder);
    return frames;
  };

  it('finds the API in a parent frame', () => {
    const api = {};
    const frames = chain(4, (w, i) => i === 3 && (w.API = api));
    expect(findApi('API', frames[0])).toBe(api);
  });

  it('finds the API through the opener of the top window', () => {
    const api = {};
    const opener = chain(2, (w, i) => i === 1 && (w.API = api));
    const frames = chain(3, (w, i) => i === 2 && (w.opener = opener[0]));
    expect(findApi('API', frames[0])).toBe(api);
  });

  it('stops after 10 hops and at a cross-origin frame, without throwing', () => {
    const api = {};
    const deep = chain(15, (w, i) => i === 14 && (w.API = api));
    expect(findApi('API', deep[0])).toBeNull();
    const guarded: any = { get parent() { throw new Error('cross-origin'); } };
    expect(findApi('API', guarded)).toBeNull();
  });
});

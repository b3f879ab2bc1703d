import { describe, expect, it } from 'vitest';
import { createScorm2004Adapter } from '../../src/runtime/adapters/scorm2004.ts';
import type { StartInfo } from '../../src/runtime/adapters/types.ts';
import { decodeText } from '../../src/runtime/adapters/response-text.ts';
import { lms2004, sets, valueOf, windowWith } from './lms.ts';
import { makeCourse, records } from './fixtures.ts';

const course = makeCourse();
const DURATION = /^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{2}Z$/;
const data = (api: object) => JSON.parse(JSON.stringify((api as any).cmi));

function lifecycle(json?: object) {
  const lms = lms2004(json);
  const adapter = createScorm2004Adapter(windowWith('API_1484_11', lms.api));
  const info = adapter.start(course) as StartInfo; // SCORM adapters start synchronously
  return { ...lms, adapter, info };
}

/** Reads of elements the LMS never set answer 403 (value not initialised): the adapter's "no value". */
const unexpectedErrors = (calls: { method: string; args: string[]; error: string }[]) =>
  calls.filter((c) => c.error !== '0' && !(c.method === 'GetValue' && c.error === '403'));

describe('SCORM 2004 adapter against scorm-again', () => {
  it('runs a whole session with LMS error code 0 after every write, commit and terminate', () => {
    const { calls, adapter, api } = lifecycle();
    adapter.setProgress(0.25, false);
    adapter.saveState('lesson-1', 'cp1:abc');
    records.forEach((r) => adapter.recordInteraction(r));
    adapter.commit();
    adapter.setScore(85, 0, 100, true);
    adapter.setProgress(1, true);
    adapter.commit();
    adapter.finish('normal');
    expect(unexpectedErrors(calls)).toEqual([]);
    expect(calls.filter((c) => c.method !== 'GetValue' && c.result !== 'true')).toEqual([]);
    // First launch: only location and suspend data were unset, and they read as "no value".
    expect(calls.filter((c) => c.error !== '0').map((c) => c.args[0]).sort()).toEqual(['cmi.location', 'cmi.suspend_data']);
    expect(calls[calls.length - 1].method).toBe('Terminate');

    const cmi = data(api);
    expect(cmi).toMatchObject({
      completion_status: 'completed',
      success_status: 'passed',
      progress_measure: '1',
      location: 'lesson-1',
      suspend_data: 'cp1:abc',
      exit: 'normal',
    });
    expect(cmi.score).toMatchObject({ scaled: '0.85', raw: '85', min: '0', max: '100' });
    expect(valueOf(calls, 'cmi.session_time')[0]).toMatch(DURATION);
    expect(valueOf(calls, 'adl.nav.request')).toEqual(['exitAll']);
  });

  it('reads everything without error when resuming', () => {
    const { calls, info } = lifecycle({
      cmi: { suspend_data: 'cp1:s', location: 'capstone', entry: 'resume', completion_status: 'incomplete', learner_id: 'u1', learner_name: 'Doe, J' },
    });
    expect(calls.filter((c) => c.error !== '0')).toEqual([]);
    expect(info).toMatchObject({ state: 'cp1:s', bookmark: 'capstone', learnerId: 'u1', learnerName: 'Doe, J', mode: 'normal' });
    expect(valueOf(calls, 'cmi.completion_status')).toEqual([]);
  });

  it('on a new attempt (entry ab-initio) reads no location or suspend data, so the LMS logs no 403', () => {
    // SCORM 2004 defines ab-initio as a new attempt with nothing stored (unlike some 1.2 LMSs).
    const { info, calls } = lifecycle({ cmi: { entry: 'ab-initio' } });
    expect(info).toMatchObject({ state: '', bookmark: '' });
    expect(calls.filter((c) => c.method === 'GetValue' && /cmi\.(location|suspend_data)$/.test(c.args[0]))).toEqual([]);
    expect(calls.filter((c) => c.error !== '0')).toEqual([]);
  });

  it('resumes from the stored state when entry says resume', () => {
    const { info } = lifecycle({ cmi: { suspend_data: 'cp1:s', location: 'capstone', entry: 'resume' } });
    expect(info).toMatchObject({ state: 'cp1:s', bookmark: 'capstone' });
  });

  it('suspends with suspendAll while unfinished', () => {
    const { calls, adapter, api } = lifecycle();
    expect(valueOf(calls, 'cmi.exit')).toEqual(['suspend']); // from the start
    adapter.finish('suspend');
    expect(valueOf(calls, 'adl.nav.request')).toEqual(['suspendAll']);
    expect(data(api).exit).toBe('suspend');
    expect(unexpectedErrors(calls)).toEqual([]);
  });

  it('writes interactions the reference LMS accepts, in 2004 formats', () => {
    const { calls, adapter, api } = lifecycle();
    records.forEach((r) => adapter.recordInteraction(r));
    adapter.finish('suspend');
    expect(unexpectedErrors(calls)).toEqual([]);
    const list = Object.values(data(api).interactions) as any[];
    expect(list).toHaveLength(records.length);
    for (const i of list) {
      expect(i.latency).toMatch(DURATION);
      expect(i.timestamp).toMatch(TIMESTAMP);
      expect(i.description.length).toBeLessThanOrEqual(250);
      expect(['correct', 'incorrect', 'neutral']).toContain(i.result);
    }
    const byId = (id: string) => list.find((i) => i.id === id);
    expect(byId('ex-multi')).toMatchObject({ type: 'choice', learner_response: 'a[,]d', result: 'incorrect', weighting: '1' });
    expect(byId('ex-multi').correct_responses['0'].pattern).toBe('a[,]c');
    expect(byId('ex-tf')).toMatchObject({ type: 'true-false', learner_response: 'false' });
    expect(byId('ex-tf').correct_responses['0'].pattern).toBe('true');
    expect(byId('ex-fill')).toMatchObject({ type: 'fill-in', learner_response: 'Strive' });
    expect(Object.values(byId('ex-fill').correct_responses).map((c: any) => c.pattern)).toEqual(['STRIVE', 'strive framework']);
    expect(byId('poll-rate')).toMatchObject({ type: 'likert', learner_response: 'd', result: 'neutral' });
    const text = byId('wb_niche.1');
    expect(text.type).toBe('long-fill-in');
    // Reversible: line breaks as ¶, escapes with \ (no line break, no leading `{`), decoded exactly.
    expect(text.learner_response.startsWith('\\{Line one}¶Line two\\r¶\\r¶long long')).toBe(true);
    expect(text.learner_response).not.toMatch(/[\r\n]/);
    expect(decodeText(text.learner_response)).toBe(records.at(-1)!.response[0]);
  });

  it('reports completion and success independently', () => {
    const { calls, adapter } = lifecycle();
    adapter.setScore(90, 0, 100, true); // exam passed before the course is complete
    adapter.setProgress(0.5, false);
    expect(valueOf(calls, 'cmi.success_status').pop()).toBe('passed');
    expect(valueOf(calls, 'cmi.completion_status').pop()).toBe('incomplete');
    adapter.setScore(40, 0, 100, false);
    expect(valueOf(calls, 'cmi.success_status').pop()).toBe('passed'); // passed is final
  });

  it('writes no success status and no score before the quiz is attempted', () => {
    const { calls, adapter } = lifecycle();
    adapter.setProgress(1, true);
    expect(valueOf(calls, 'cmi.success_status')).toEqual([]);
    expect(sets(calls).filter((c) => c.args[0].startsWith('cmi.score'))).toEqual([]);
    expect(valueOf(calls, 'cmi.completion_status').pop()).toBe('completed');
  });

  it('writes the score before the success status', () => {
    const { calls, adapter } = lifecycle();
    adapter.setScore(55.5, 0, 100, false);
    const order = sets(calls).map((c) => c.args[0]);
    expect(order.indexOf('cmi.score.scaled')).toBeLessThan(order.indexOf('cmi.success_status'));
    expect(order.indexOf('cmi.score.raw')).toBeLessThan(order.indexOf('cmi.success_status'));
    expect(valueOf(calls, 'cmi.score.scaled')).toEqual(['0.555']);
  });

  it('never sends an over-limit value', () => {
    const { calls, adapter } = lifecycle();
    adapter.saveState('x'.repeat(1001), 'y'.repeat(64001));
    expect(valueOf(calls, 'cmi.location')).toEqual([]);
    expect(valueOf(calls, 'cmi.suspend_data')).toEqual([]);
    adapter.saveState('x'.repeat(1000), 'y'.repeat(64000));
    expect(unexpectedErrors(calls)).toEqual([]);
  });

  it('treats an empty cmi.mode as normal; records nothing in browse mode', () => {
    const empty = lms2004();
    (empty.api as any).cmi._mode = '';
    const a = createScorm2004Adapter(windowWith('API_1484_11', empty.api));
    expect(a.start(course)).toMatchObject({ mode: 'normal' });

    const { calls, adapter, info } = lifecycle({ cmi: { mode: 'browse' } });
    expect(info.mode).toBe('browse');
    adapter.saveState('p', 's');
    adapter.recordInteraction(records[0]);
    adapter.setProgress(1, true);
    adapter.finish('normal');
    expect(sets(calls).map((c) => c.args[0])).toEqual(['cmi.session_time']);
  });

  it('sends nothing after Terminate', () => {
    const { calls, adapter } = lifecycle();
    adapter.finish('suspend');
    const n = calls.length;
    adapter.saveState('p', 's');
    adapter.commit();
    adapter.finish('normal');
    expect(calls.length).toBe(n);
  });
});

/**
 * SCORM 1.2 learner state over the standard's 4,096 characters: written whole and read back where
 * the LMS keeps it (Moodle by default), the core plus the device copy where it refuses or cuts it,
 * with one refused write per session at most and nothing lost.
 */
import { describe, expect, it } from 'vitest';
import { createScorm12Adapter } from '../../src/runtime/adapters/scorm12.ts';
import type { DeviceStore } from '../../src/runtime/session/saving.ts';
import { startSession } from '../../src/runtime/session/session.ts';
import { decodeState } from '../../src/runtime/state.ts';
import { strings } from '../../src/runtime/strings.ts';
import { lms12, valueOf, windowWith, type SuspendDataPolicy } from './lms.ts';
import { makeCourse, prose } from './fixtures.ts';

const course = makeCourse();
const TEXTS = { 'wb-niche': prose(500, 1), 'wb-goal': prose(500, 2), 'cap-summary': prose(500, 3) };

function memoryDevice(): DeviceStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, load: (k) => data.get(k) ?? null, store: (k, v) => (v === null ? data.delete(k) : data.set(k, v), true) };
}

/** One session: the learner writes `texts` one by one (each saved) and leaves. */
async function session(policy: SuspendDataPolicy, device: DeviceStore, stored?: object, texts: Record<string, string> = {}) {
  const lms = lms12(stored ?? { cmi: { core: { student_id: 'u1' } } }, policy);
  const notices = new Map<string, string | null>();
  const s = await startSession({
    adapter: createScorm12Adapter(windowWith('API', lms.api)),
    course,
    t: strings(),
    notify: (key, text) => notices.set(key, text),
    downloadAnswers: () => {},
    device,
  });
  const restored = { ...s.state.texts };
  s.visit('workbook-1');
  s.checkpoint();
  for (const [id, text] of Object.entries(texts)) {
    s.typeText(id, text, () => {});
    s.textDone(id, text);
  }
  s.leave([]);
  const cmi = JSON.parse(JSON.stringify(lms.api.cmi));
  const refused = lms.calls.filter((c) => c.error !== '0');
  // What the LMS hands the next session.
  const next = { cmi: { suspend_data: cmi.suspend_data, core: { student_id: 'u1', entry: 'resume', lesson_location: cmi.core.lesson_location } } };
  return { lms, calls: lms.calls, cmi, notices, refused, restored, next };
}

describe('SCORM 1.2 state over 4,096 characters', () => {
  it('an LMS that keeps it: the whole state, read back, restores every text on a new device', async () => {
    const first = await session('keep', memoryDevice(), undefined, TEXTS);
    expect(first.refused).toEqual([]);
    expect(first.cmi.suspend_data.length).toBeGreaterThan(4096);
    expect(decodeState(first.cmi.suspend_data).texts).toEqual(TEXTS);
    expect(first.notices.get('overflow') ?? null).toBeNull();
    // Each long write was read back before it counted.
    const reads = first.calls.filter((c) => c.method === 'LMSGetValue' && c.args[0] === 'cmi.suspend_data');
    expect(reads.length).toBeGreaterThanOrEqual(valueOf(first.calls, 'cmi.suspend_data').filter((v) => v.length > 4096).length);
    const again = await session('keep', memoryDevice(), first.next);
    expect(again.restored).toEqual(TEXTS);
    expect(again.refused).toEqual([]);
  });

  it('an LMS that refuses it: one refused write per session, the core in the LMS, every text on this device', async () => {
    const device = memoryDevice();
    const first = await session('refuse', device, undefined, TEXTS);
    expect(first.refused.map((c) => [c.method, c.args[0], c.error])).toEqual([['LMSSetValue', 'cmi.suspend_data', '405']]);
    const core = decodeState(first.cmi.suspend_data);
    expect(first.cmi.suspend_data.length).toBeLessThanOrEqual(4096);
    expect(core.visited).toEqual(['workbook-1']);
    expect(first.notices.get('overflow')).toMatch(/kept in this browser/);
    expect(decodeState([...device.data.values()][0]).texts).toEqual(TEXTS);
    // Coming back on this device: every text; one refused write again at most, when saving.
    const again = await session('refuse', device, first.next, { 'wb-goal': TEXTS['wb-goal'] + ' More.' });
    expect(again.restored).toEqual(TEXTS);
    expect(again.refused.length).toBeLessThanOrEqual(1);
    expect(decodeState([...device.data.values()][0]).texts['wb-goal']).toBe(TEXTS['wb-goal'] + ' More.');
    // On another device the core resumes, and the learner is told where the rest is.
    const elsewhere = await session('refuse', memoryDevice(), again.next);
    expect(elsewhere.cmi.core.lesson_location).toBe('workbook-1');
    expect(elsewhere.notices.get('elsewhere')).toMatch(/another device/);
  });

  it('an LMS that cuts it silently: read back, found changed, replaced by the core', async () => {
    const device = memoryDevice();
    const first = await session('cut', device, undefined, TEXTS);
    expect(first.refused).toEqual([]);
    const longWrites = valueOf(first.calls, 'cmi.suspend_data').filter((v) => v.length > 4096);
    expect(longWrites).toHaveLength(1);
    expect(first.cmi.suspend_data.length).toBeLessThanOrEqual(4096);
    expect(decodeState(first.cmi.suspend_data).visited).toEqual(['workbook-1']);
    expect(decodeState([...device.data.values()][0]).texts).toEqual(TEXTS);
    expect(first.notices.get('overflow')).toMatch(/kept in this browser/);
  });
});

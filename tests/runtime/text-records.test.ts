/**
 * SCORM 2004 response texts kept in the LMS's interaction records: reversible (line breaks and
 * escapes), in parts when long, read back on a new device, left out of suspend_data only once the
 * LMS has shown it returns them, and never lost when it does not.
 */
import { describe, expect, it } from 'vitest';
import { decodeText, encodeText, textParts } from '../../src/runtime/adapters/response-text.ts';
import { createScorm2004Adapter } from '../../src/runtime/adapters/scorm2004.ts';
import type { DeviceStore } from '../../src/runtime/session/saving.ts';
import { startSession } from '../../src/runtime/session/session.ts';
import { decodeState } from '../../src/runtime/state.ts';
import { strings } from '../../src/runtime/strings.ts';
import { lms2004, windowWith } from './lms.ts';
import { makeCourse, prose } from './fixtures.ts';

const course = makeCourse();
const AWKWARD = '{lang=x} first line\nsecond \\ line ¶\r\n\u2028third\u2029\n\nemoji 😀 end\\';

describe('response text codec', () => {
  it('encodes to one line without a leading brace, and decodes back exactly', () => {
    const encoded = encodeText(AWKWARD);
    expect(encoded).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(encoded[0]).not.toBe('{');
    expect(decodeText(encoded)).toBe(AWKWARD);
    expect(encodeText('One.\n\nTwo.')).toBe('One.¶¶Two.');
  });

  it('cuts long texts into parts of at most 4,000, never inside an escape or a surrogate pair', () => {
    for (const filler of ['\\', '😀', 'a\n', '¶{']) {
      const text = prose(900, 3) + filler.repeat(3000);
      const parts = textParts(encodeText(text), 4000);
      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts) {
        expect(p.length).toBeLessThanOrEqual(4000);
        expect(p[0]).not.toBe('{');
      }
      expect(parts.map(decodeText).join('')).toBe(text);
    }
  });
});

function memoryDevice(): DeviceStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, load: (k) => data.get(k) ?? null, store: (k, v) => (v === null ? data.delete(k) : data.set(k, v), true) };
}

/** One session: the learner writes `texts` and leaves. `keepRecords: false` is an LMS that drops them at relaunch. */
async function session(stored: Record<string, any> | undefined, texts: Record<string, string>, device = memoryDevice()) {
  const lms = lms2004(stored ?? { cmi: { learner_id: 'u1' } });
  const notices = new Map<string, string | null>();
  const s = await startSession({
    adapter: createScorm2004Adapter(windowWith('API_1484_11', lms.api)),
    course, t: strings(), notify: (k, v) => notices.set(k, v), downloadAnswers: () => {}, device,
  });
  const restored = { ...s.state.texts };
  s.visit('workbook-1');
  for (const [id, text] of Object.entries(texts)) {
    s.typeText(id, text, () => {});
    s.textDone(id, text);
  }
  s.leave([]);
  const cmi = JSON.parse(JSON.stringify(lms.api.cmi));
  const next = (keepRecords = true) => ({
    cmi: { learner_id: 'u1', entry: 'resume', suspend_data: cmi.suspend_data, location: cmi.location, ...(keepRecords ? { interactions: cmi.interactions } : {}) },
  });
  return { cmi, restored, next, notices, errors: lms.calls.filter((c) => c.error !== '0' && !(c.method === 'GetValue' && c.error === '403')) };
}

describe('SCORM 2004 texts in interaction records', () => {
  const first = { 'wb-niche': AWKWARD + prose(400, 1), 'wb-goal': prose(1200, 2) }; // the second needs two records
  const later = { 'cap-summary': prose(500, 3) };

  it('an LMS that returns its records: texts back on a new device, then kept only there', async () => {
    const one = await session(undefined, first);
    expect(one.errors).toEqual([]);
    // First session: nothing proven yet, so suspend_data still holds every text.
    expect(decodeState(one.cmi.suspend_data).texts).toEqual(first);
    const ids = Object.values(one.cmi.interactions.childArray ?? one.cmi.interactions).map((i: any) => i.id);
    expect(ids).toEqual(['wb-niche', 'wb-goal', 'wb-goal.2']);
    const two = await session(one.next(), later);
    expect(two.errors).toEqual([]);
    expect(two.restored).toEqual(first);
    // The LMS returned every text intact: suspend_data keeps references, not the texts.
    const slim = decodeState(two.cmi.suspend_data);
    expect(slim.texts).toEqual({});
    expect(Object.keys(slim.recorded).sort()).toEqual(['cap-summary', 'wb-goal', 'wb-niche']);
    expect(two.cmi.suspend_data.length).toBeLessThan(one.cmi.suspend_data.length / 3);
    const three = await session(two.next(), {});
    expect(three.restored).toEqual({ ...first, ...later });
  });

  it('an LMS that drops its records at relaunch: suspend_data keeps every text', async () => {
    const one = await session(undefined, first);
    const two = await session(one.next(false), later);
    expect(two.restored).toEqual(first);
    expect(decodeState(two.cmi.suspend_data).texts).toEqual({ ...first, ...later });
  });

  it('records lost after they were trusted: the texts come from this device, and the learner is told otherwise', async () => {
    const device = memoryDevice();
    const one = await session(undefined, first, device);
    const two = await session(one.next(), later, device);
    expect(decodeState(two.cmi.suspend_data).texts).toEqual({});
    const same = await session(two.next(false), {}, device);
    expect(same.restored).toEqual({ ...first, ...later });
    const other = await session(two.next(false), {});
    expect(other.restored).toEqual({});
    expect(other.notices.get('elsewhere')).toMatch(/another device/);
  });
});

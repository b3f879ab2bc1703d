import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { decodeState, encodeForLimit, encodeState, freshState, type LearnerState } from '../../src/runtime/state.ts';
import { SCORM12_LIMITS } from '../../src/runtime/adapters/scorm12.ts';
import { SCORM2004_LIMITS } from '../../src/runtime/adapters/scorm2004.ts';
import { prose } from './fixtures.ts';

/** A state as large as the real course makes it: ~40 pages, 30 exam questions, checks and polls. */
function bigCore(): LearnerState {
  const s = freshState();
  s.bookmark = 'lesson-6-3';
  for (let m = 1; m <= 7; m++) for (let l = 1; l <= 6; l++) s.visited.push(`lesson-${m}-${l}`);
  const order: string[] = [];
  for (let q = 1; q <= 30; q++) {
    const id = `exam-${['invest', 'ethics', 'scale', 'kpi', 'tools'][q % 5]}-${q}`;
    order.push(id);
    s.answers[id] = q % 7 ? ['b'] : ['a', 'c'];
  }
  for (let k = 1; k <= 12; k++) {
    s.answers[`kc-${k}-strategy`] = ['c'];
    s.checked.push(`kc-${k}-strategy`);
  }
  s.answers['poll-business-model'] = ['a'];
  s.checked.push('poll-business-model');
  s.quizzes['final-exam'] = { attempts: 2, best: 76.67, last: 76.67, passed: false, order, submitted: true };
  for (let m = 1; m <= 6; m++) s.quizzes[`knowledge-check-${m}`] = { attempts: 1, best: 100, last: 100, passed: true, order: order.slice(0, 5), submitted: true };
  s.updated = 1_700_000_000_000;
  return s;
}

describe('state codec', () => {
  it('round-trips every field', () => {
    const s = bigCore();
    s.texts = { 'wb-niche': 'Eco home goods\n\nbecause "margins" <b>&</b> {braces} [,] émoji 🚀', 'wb-goal': 'x' };
    s.textsOnDevice = ['cap-summary'];
    const back = decodeState(encodeState(s));
    expect(back).toEqual(s);
  });

  it('starts with a version prefix and uses only base64 characters', () => {
    const encoded = encodeState(bigCore());
    expect(encoded).toMatch(/^cp1:[A-Za-z0-9+/=]+$/);
  });

  it.each([
    ['empty', ''],
    ['null', null],
    ['foreign suspend data', 'bookmark=3&score=80'],
    ['another tool’s JSON', '{"v":1,"b":"x"}'],
    ['our prefix with garbage', 'cp1:!!!not base64!!!'],
    ['our prefix, valid base64 of non-JSON', 'cp1:' + LZString.compressToBase64('not json {')],
    ['our prefix, JSON of the wrong shape', 'cp1:' + LZString.compressToBase64('[1,2,3]')],
    ['truncated', encodeState(bigCore()).slice(0, 200)],
  ])('decodes %s to a fresh state without throwing', (_name, input) => {
    expect(decodeState(input as string)).toEqual(freshState());
  });

  it('drops malformed fields but keeps the good ones', () => {
    const wire = { b: 7, p: ['a', 3, 'b'], a: { q1: ['a'], q2: 'x' }, k: 'nope', q: { quiz: [1, 'x', 50, 1, ['q1', 2], 0], bad: 3 }, t: { r1: 'hi', r2: 5 }, o: ['r3', 'r1'], u: 'soon' };
    const s = decodeState('cp1:' + LZString.compressToBase64(JSON.stringify(wire)));
    expect(s.bookmark).toBe('');
    expect(s.visited).toEqual(['a', 'b']);
    expect(s.answers).toEqual({ q1: ['a'] });
    expect(s.checked).toEqual([]);
    expect(s.quizzes).toEqual({ quiz: { attempts: 1, best: null, last: 50, passed: true, order: ['q1'], submitted: false } });
    expect(s.texts).toEqual({ r1: 'hi' });
    expect(s.textsOnDevice).toEqual(['r3']); // r1 has its text here, so it is not elsewhere
    expect(s.updated).toBe(0);
  });

  it('ignores a __proto__ key instead of changing the prototype', () => {
    const s = decodeState('cp1:' + LZString.compressToBase64('{"a":{"__proto__":["x"],"q1":["b"]},"t":{"__proto__":"y"}}'));
    expect(Object.getPrototypeOf(s.answers)).toBe(Object.prototype);
    expect(s.answers).toEqual({ q1: ['b'] });
    expect(Object.getPrototypeOf(s.texts)).toBe(Object.prototype);
  });

  it('survives random corruption of a real state', () => {
    const good = encodeState(bigCore());
    for (let i = 0; i < 300; i++) {
      const at = 4 + ((i * 7919) % (good.length - 4));
      const bad = good.slice(0, at) + 'A+/='[i % 4] + good.slice(at + 1);
      expect(() => decodeState(bad)).not.toThrow();
    }
  });
});

describe('limits', () => {
  it('exports the limits of each standard', () => {
    expect(SCORM12_LIMITS).toEqual({ stateChars: 4096, locationChars: 255 });
    expect(SCORM2004_LIMITS).toEqual({ stateChars: 64000, locationChars: 1000 });
  });

  it('keeps the core of a full-size course well inside SCORM 1.2 suspend_data', () => {
    const encoded = encodeState(bigCore());
    expect(encoded.length).toBeLessThan(SCORM12_LIMITS.stateChars / 2);
  });

  it('SCORM 1.2 with 5 × 300-word texts: core always in, texts whole or listed as overflow, never over 4,096', () => {
    const s = bigCore();
    const ids = ['wb1-niche', 'wb2-recs', 'wb3-cro', 'wb4-loyalty', 'capstone-summary'];
    ids.forEach((id, i) => (s.texts[id] = prose(300, i + 1)));
    const fit = encodeForLimit(s, SCORM12_LIMITS.stateChars);
    expect(fit.value).not.toBeNull();
    expect(fit.value!.length).toBeLessThanOrEqual(4096);
    // 5 texts of ~1,900 characters cannot all fit: some overflow, at least one travels with the learner.
    expect(fit.overflow.length).toBeGreaterThan(0);
    expect(fit.overflow.length).toBeLessThan(ids.length);
    const sent = decodeState(fit.value);
    // The core is complete.
    expect(sent.visited).toEqual(s.visited);
    expect(sent.answers).toEqual(s.answers);
    expect(sent.quizzes).toEqual(s.quizzes);
    expect(sent.bookmark).toBe(s.bookmark);
    // Every text is either in, whole, or named as kept elsewhere: nothing is cut or lost silently.
    for (const id of ids) {
      if (fit.overflow.includes(id)) {
        expect(sent.texts[id]).toBeUndefined();
        expect(sent.textsOnDevice).toContain(id);
      } else expect(sent.texts[id]).toBe(s.texts[id]);
    }
  });

  it('SCORM 2004 holds the same five texts whole', () => {
    const s = bigCore();
    for (let i = 0; i < 5; i++) s.texts[`t${i}`] = prose(300, i + 1);
    const fit = encodeForLimit(s, SCORM2004_LIMITS.stateChars);
    expect(fit.overflow).toEqual([]);
    expect(decodeState(fit.value).texts).toEqual(s.texts);
  });

  it('keeps texts known to be on another device listed as elsewhere', () => {
    const s = bigCore();
    s.textsOnDevice = ['old-text'];
    s.texts.big = prose(3000);
    const fit = encodeForLimit(s, 4096);
    expect(fit.overflow).toEqual(['big']);
    expect(decodeState(fit.value).textsOnDevice.sort()).toEqual(['big', 'old-text']);
  });

  it('sends nothing rather than an over-limit value when even the core does not fit', () => {
    const s = bigCore();
    s.texts.note = 'short';
    const fit = encodeForLimit(s, 100);
    expect(fit.value).toBeNull();
    expect(fit.overflow).toEqual(['note']);
  });
});

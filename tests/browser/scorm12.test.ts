/**
 * The SCORM 1.2 package of the sample course, played in headless Chromium inside an LMS host
 * built on scorm-again: the learner's run (sample-run.ts), then what the LMS stored.
 */
import { expect, it } from 'vitest';
import {
  decodeValue,
  expectedPatterns,
  expectedResult,
  expectedType,
  interactionsIn,
  pairAnswers,
  plainValues,
  SCORM12_TIMESPAN,
  valueKind,
  sentData,
  valuesSet,
} from '../support/browser/index.ts';
import { allAnswers, describeSampleCourseRun, QUIZ_PAGE } from './sample-run.ts';

describeSampleCourseRun('scorm12', 'SCORM 1.2 package of the sample course in an LMS (scorm-again)', (run) => {
  it('LMS: the session closed mid-course ended suspended, bookmarked at the workbook, incomplete', async () => {
    const r = run();
    const s = r.midCourseSession!;
    const calls = await r.lms.calls();
    expect(valuesSet('scorm12', calls, 'cmi.core.exit', s).at(-1), 'last cmi.core.exit the SCO set').toBe('suspend');
    const stored = (await r.lms.commits()).filter((c) => c.session === s).at(-1)?.data ?? {};
    expect(stored['cmi.core.exit'], 'cmi.core.exit stored').toBe('suspend');
    expect(stored['cmi.core.lesson_location'], 'cmi.core.lesson_location stored').toBe('plan');
    expect(stored['cmi.core.lesson_status'], 'cmi.core.lesson_status stored').toBe('incomplete');
    expect(stored['cmi.suspend_data'] ?? '', 'cmi.suspend_data stored').not.toBe('');
    expect((stored['cmi.suspend_data'] ?? '').length).toBeLessThanOrEqual(4096);
  });

  it('LMS: after the failed attempt, lesson_status failed and score.raw 0 (min 0, max 100)', () => {
    const { live } = run().afterFail!;
    expect(live['cmi.core.lesson_status']).toBe('failed');
    expect(Number(live['cmi.core.score.raw']), `cmi.core.score.raw ${live['cmi.core.score.raw']}`).toBe(0);
    expect(Number(live['cmi.core.score.min']), `cmi.core.score.min ${live['cmi.core.score.min']}`).toBe(0);
    expect(Number(live['cmi.core.score.max']), `cmi.core.score.max ${live['cmi.core.score.max']}`).toBe(100);
  });

  it('LMS: at the end, lesson_status passed and score.raw/min/max 100/0/100, as the SCO set them', async () => {
    const r = run();
    const stored = await r.lms.stored();
    const calls = await r.lms.calls();
    expect(stored['cmi.core.lesson_status'], 'cmi.core.lesson_status stored').toBe('passed');
    // The LMS may derive passed from the mastery score itself: check the SCO said so too.
    expect(valuesSet('scorm12', calls, 'cmi.core.lesson_status').at(-1), 'last cmi.core.lesson_status the SCO set').toBe('passed');
    for (const [element, value] of [['raw', 100], ['min', 0], ['max', 100]] as const) {
      const set = valuesSet('scorm12', calls, `cmi.core.score.${element}`).at(-1);
      expect(set, `last cmi.core.score.${element} the SCO set`).toBeDefined();
      expect(Number(set), `cmi.core.score.${element} set to ${set}`).toBe(value);
      expect(Number(stored[`cmi.core.score.${element}`]), `cmi.core.score.${element} stored`).toBe(value);
    }
  });

  it('LMS: one cmi.interactions.n per answer, with id, type, student_response, result and correct pattern', async () => {
    const r = run();
    // What the LMS stored, and what the SCO sent (scorm-again normalises some values on the way).
    const sources = { stored: await r.lms.stored(), sent: sentData('scorm12', await r.lms.calls()) };
    for (const [source, data] of Object.entries(sources)) {
      const records = interactionsIn('scorm12', data);
      const { pairs, texts, problems } = pairAnswers(allAnswers(r), records, (id) => r.compiled.interactions.get(id));
      expect.soft(problems, `${source}:\n${problems.join('\n')}`).toEqual([]);
      const pool = r.compiled.course.pages.find((p) => p.id === QUIZ_PAGE)!.interactionIds;
      expect.soft(pairs.filter((p) => p.given.how === 'quiz-1').map((p) => p.record.result), `${source}: results of the failed attempt`)
        .toEqual(pool.map(() => 'wrong'));
      expect.soft(pairs.filter((p) => p.given.how === 'quiz-2').map((p) => p.record.result), `${source}: results of the passed attempt`)
        .toEqual(pool.map(() => 'correct'));
      for (const { given, record } of pairs) {
        const it = r.compiled.interactions.get(given.id)!;
        const where = `${source} cmi.interactions.${record.n} (${it.id}, ${given.how})`;
        expect.soft(record.type, `${where}.type`).toMatch(expectedType('scorm12', it));
        expect.soft(decodeValue('scorm12', valueKind(it), record.response), `${where}.student_response ${JSON.stringify(record.response)}`)
          .toEqual(plainValues(it, given.values));
        const result = expectedResult(it, given.values);
        expect.soft(record.result, `${where}.result`).toBe(result === 'incorrect' ? 'wrong' : result);
        expect.soft(record.patterns.map((p) => decodeValue('scorm12', valueKind(it), p)), `${where}.correct_responses ${JSON.stringify(record.patterns)}`)
          .toEqual(expectedPatterns(it));
      }
      for (const [id, list] of texts) {
        const it = r.compiled.interactions.get(id)!;
        expect.soft(list.length, `${source} ${id}: interaction records of the typed text`).toBeGreaterThan(0);
        const last = list.at(-1);
        if (!last) continue;
        const where = `${source} cmi.interactions.${last.n} (${id}, response)`;
        expect.soft(last.type, `${where}.type`).toMatch(expectedType('scorm12', it));
        expect.soft(last.result, `${where}.result`).toBe('neutral');
        expect.soft([...(r.leftWith[id] ?? []), r.texts[id]], `${where}.student_response`).toContain(last.response);
      }
    }
  });

  it('LMS: every session set a well-formed cmi.core.session_time; the finished course exits by closing, not logout or time-out', async () => {
    const r = run();
    const calls = await r.lms.calls();
    const sessions = await r.lms.sessions();
    for (const s of sessions) {
      const times = valuesSet('scorm12', calls, 'cmi.core.session_time', s.index);
      expect(times.length, `session ${s.index}: cmi.core.session_time set`).toBeGreaterThan(0);
      expect(times.at(-1), `session ${s.index}: cmi.core.session_time`).toMatch(SCORM12_TIMESPAN);
    }
    // A learner closing the window: no logout or time-out. Whether the finished course suspends or
    // exits normally, the learner's work must survive it (the relaunch after finishing checks that).
    for (const s of [r.finishingSession!, sessions.at(-1)!.index]) {
      const exit = valuesSet('scorm12', calls, 'cmi.core.exit', s).at(-1);
      expect(['', 'suspend'], `last cmi.core.exit of session ${s}: ${JSON.stringify(exit)}`).toContain(exit);
    }
  });
});

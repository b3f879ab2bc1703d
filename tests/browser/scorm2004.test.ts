/**
 * The SCORM 2004 4th edition package of the sample course, played in headless Chromium inside an
 * LMS host built on scorm-again: the learner's run (sample-run.ts), then what the LMS stored.
 */
import { expect, it } from 'vitest';
import {
  decodeValue,
  expectedPatterns,
  expectedResult,
  expectedType,
  interactionsIn,
  ISO_DURATION,
  ISO_TIMESTAMP,
  pairAnswers,
  plainValues,
  stripDelimiters,
  valueKind,
  sentData,
  valuesSet,
} from '../support/browser/index.ts';
import { allAnswers, describeSampleCourseRun, QUIZ_PAGE } from './sample-run.ts';

describeSampleCourseRun('scorm2004', 'SCORM 2004 package of the sample course in an LMS (scorm-again)', (run) => {
  it('LMS: the manifest declares the course mastery as scaled passing score, and the LMS hands it over', async () => {
    const r = run();
    expect(r.lms.manifest.scaledPassingScore).toBe(r.compiled.course.scoring!.mastery);
    const sessions = await r.lms.sessions();
    expect(Number(sessions[0].launchData['cmi.scaled_passing_score'])).toBe(r.compiled.course.scoring!.mastery);
  });

  it('LMS: the session closed mid-course ended suspended, bookmarked at the workbook, incomplete', async () => {
    const r = run();
    const s = r.midCourseSession!;
    const calls = await r.lms.calls();
    expect(valuesSet('scorm2004', calls, 'cmi.exit', s).at(-1), 'last cmi.exit the SCO set').toBe('suspend');
    const stored = (await r.lms.commits()).filter((c) => c.session === s).at(-1)?.data ?? {};
    expect(stored['cmi.exit'], 'cmi.exit stored').toBe('suspend');
    expect(stored['cmi.location'], 'cmi.location stored').toBe('plan');
    expect(stored['cmi.completion_status'], 'cmi.completion_status stored').toBe('incomplete');
    expect(stored['cmi.suspend_data'] ?? '', 'cmi.suspend_data stored').not.toBe('');
  });

  it('LMS: after the failed attempt, success_status failed and score.scaled 0', () => {
    const { live } = run().afterFail!;
    expect(live['cmi.success_status']).toBe('failed');
    expect(Number(live['cmi.score.scaled']), `cmi.score.scaled ${live['cmi.score.scaled']}`).toBe(0);
    expect(Number(live['cmi.score.raw']), `cmi.score.raw ${live['cmi.score.raw']}`).toBe(0);
  });

  it('LMS: at the end, completed and passed, score.scaled 1 (raw 100 of 0..100), as the SCO set them', async () => {
    const r = run();
    const stored = await r.lms.stored();
    const calls = await r.lms.calls();
    expect(stored['cmi.completion_status'], 'cmi.completion_status stored').toBe('completed');
    expect(stored['cmi.success_status'], 'cmi.success_status stored').toBe('passed');
    // scorm-again evaluates the statuses itself (threshold, passing score): check the SCO said so too.
    expect(valuesSet('scorm2004', calls, 'cmi.completion_status').at(-1), 'last cmi.completion_status the SCO set').toBe('completed');
    expect(valuesSet('scorm2004', calls, 'cmi.success_status').at(-1), 'last cmi.success_status the SCO set').toBe('passed');
    for (const [element, value] of [['scaled', 1], ['raw', 100], ['min', 0], ['max', 100]] as const) {
      const set = valuesSet('scorm2004', calls, `cmi.score.${element}`).at(-1);
      expect(set, `last cmi.score.${element} the SCO set`).toBeDefined();
      expect(Number(set), `cmi.score.${element} set to ${set}`).toBe(value);
      expect(Number(stored[`cmi.score.${element}`]), `cmi.score.${element} stored`).toBe(value);
    }
  });

  it('LMS: one cmi.interactions.n per answer, with learner_response, result, description, timestamp and pattern', async () => {
    const r = run();
    // What the LMS stored, and what the SCO sent (scorm-again normalises some values on the way).
    const sources = { stored: await r.lms.stored(), sent: sentData('scorm2004', await r.lms.calls()) };
    for (const [source, data] of Object.entries(sources)) {
      const records = interactionsIn('scorm2004', data);
      const { pairs, texts, problems } = pairAnswers(allAnswers(r), records, (id) => r.compiled.interactions.get(id));
      expect.soft(problems, `${source}:\n${problems.join('\n')}`).toEqual([]);
      const pool = r.compiled.course.pages.find((p) => p.id === QUIZ_PAGE)!.interactionIds;
      expect.soft(pairs.filter((p) => p.given.how === 'quiz-1').map((p) => p.record.result), `${source}: results of the failed attempt`)
        .toEqual(pool.map(() => 'incorrect'));
      expect.soft(pairs.filter((p) => p.given.how === 'quiz-2').map((p) => p.record.result), `${source}: results of the passed attempt`)
        .toEqual(pool.map(() => 'correct'));
      const common = (where: string, record: (typeof records)[number], prompt: string) => {
        const description = stripDelimiters(record.description);
        expect.soft(description, `${where}.description`).toBe(prompt.length <= 250 ? prompt : description);
        expect.soft(description.length, `${where}.description length`).toBeLessThanOrEqual(250);
        expect.soft(description, `${where}.description`).not.toBe('');
        expect.soft(record.time, `${where}.timestamp`).toMatch(ISO_TIMESTAMP);
      };
      for (const { given, record } of pairs) {
        const it = r.compiled.interactions.get(given.id)!;
        const where = `${source} cmi.interactions.${record.n} (${it.id}, ${given.how})`;
        expect.soft(record.type, `${where}.type`).toMatch(expectedType('scorm2004', it));
        expect.soft(decodeValue('scorm2004', valueKind(it), record.response), `${where}.learner_response ${JSON.stringify(record.response)}`)
          .toEqual(plainValues(it, given.values));
        expect.soft(record.result, `${where}.result`).toBe(expectedResult(it, given.values));
        expect.soft(record.patterns.map((p) => decodeValue('scorm2004', valueKind(it), p)), `${where}.correct_responses ${JSON.stringify(record.patterns)}`)
          .toEqual(expectedPatterns(it));
        common(where, record, it.prompt);
      }
      for (const [id, list] of texts) {
        const it = r.compiled.interactions.get(id)!;
        expect.soft(list.length, `${source} ${id}: interaction records of the typed text`).toBeGreaterThan(0);
        const last = list.at(-1);
        if (!last) continue;
        const where = `${source} cmi.interactions.${last.n} (${id}, response)`;
        expect.soft(last.type, `${where}.type`).toMatch(expectedType('scorm2004', it));
        expect.soft(last.result, `${where}.result`).toBe('neutral');
        expect.soft([...(r.leftWith[id] ?? []), r.texts[id]], `${where}.learner_response`).toContain(stripDelimiters(last.response));
        common(where, last, it.prompt);
      }
    }
  });

  it('LMS: every session set a well-formed cmi.session_time; the finished course exits by closing, not logout or time-out', async () => {
    const r = run();
    const calls = await r.lms.calls();
    const sessions = await r.lms.sessions();
    for (const s of sessions) {
      const times = valuesSet('scorm2004', calls, 'cmi.session_time', s.index);
      expect(times.length, `session ${s.index}: cmi.session_time set`).toBeGreaterThan(0);
      expect(times.at(-1), `session ${s.index}: cmi.session_time`).toMatch(ISO_DURATION);
    }
    // A learner closing the window: no logout or time-out. Whether the finished course suspends or
    // exits normally, the learner's work must survive it (the relaunch after finishing checks that).
    for (const s of [r.finishingSession!, sessions.at(-1)!.index]) {
      const exit = valuesSet('scorm2004', calls, 'cmi.exit', s).at(-1);
      expect(['suspend', 'normal'], `last cmi.exit of session ${s}: ${JSON.stringify(exit)}`).toContain(exit);
    }
  });
});

/**
 * The SCORM 1.2 and SCORM 2004 4th edition packages of the sample course, each played in headless
 * Chromium inside an LMS host built on scorm-again: the learner's run (sample-run.ts), then what
 * the LMS stored. The two editions say the same things with other element names and formats; the
 * table below holds the differences.
 */
import { expect, it } from 'vitest';
import {
  decodeValue, expectedPatterns, expectedResult, expectedType, interactionsIn, ISO_DURATION, ISO_TIMESTAMP, pairAnswers, plainValues,
  SCORM12_TIMESPAN, sentData, stripDelimiters, valueKind, valuesSet, type Standard
} from '../support/browser/index.ts';
import { expectSuspended } from './lms-run.ts';
import { allAnswers, describeSampleCourseRun, QUIZ_PAGE, type SampleRun } from './sample-run.ts';

interface Edition {
  title: string;
  exit: string;
  /** Element and value of the finished course (one or two statuses). */
  finished: [string, string][];
  /** Elements and values right after the failed attempt. */
  failed: [string, number | string][];
  failedTitle: string;
  finishedTitle: string;
  /** The score elements the SCO sets at the end, with their values. */
  score: [string, number][];
  /** Results of a wrong answer. */
  wrong: string;
  response: string;
  /** A response as the LMS has it, as the learner typed it. */
  typed: (value: string) => string;
  sessionTime: string;
  timespan: RegExp;
  /** How the finished course may exit. */
  exits: string[];
  interactionsTitle: string;
}

const EDITIONS: Record<'scorm12' | 'scorm2004', Edition> = {
  scorm12: {
    title: 'SCORM 1.2 package of the sample course in an LMS (scorm-again)',
    exit: 'cmi.core.exit',
    finished: [['cmi.core.lesson_status', 'passed']],
    failed: [['cmi.core.lesson_status', 'failed'], ['cmi.core.score.raw', 0], ['cmi.core.score.min', 0], ['cmi.core.score.max', 100]],
    failedTitle: 'lesson_status failed and score.raw 0 (min 0, max 100)',
    finishedTitle: 'lesson_status passed and score.raw/min/max 100/0/100',
    score: [['cmi.core.score.raw', 100], ['cmi.core.score.min', 0], ['cmi.core.score.max', 100]],
    wrong: 'wrong',
    response: 'student_response',
    typed: (value) => value,
    sessionTime: 'cmi.core.session_time',
    timespan: SCORM12_TIMESPAN,
    exits: ['', 'suspend'],
    interactionsTitle: 'id, type, student_response, result and correct pattern',
  },
  scorm2004: {
    title: 'SCORM 2004 package of the sample course in an LMS (scorm-again)',
    exit: 'cmi.exit',
    finished: [['cmi.completion_status', 'completed'], ['cmi.success_status', 'passed']],
    failed: [['cmi.success_status', 'failed'], ['cmi.score.scaled', 0], ['cmi.score.raw', 0]],
    failedTitle: 'success_status failed and score.scaled 0',
    finishedTitle: 'completed and passed, score.scaled 1 (raw 100 of 0..100)',
    score: [['cmi.score.scaled', 1], ['cmi.score.raw', 100], ['cmi.score.min', 0], ['cmi.score.max', 100]],
    wrong: 'incorrect',
    response: 'learner_response',
    typed: stripDelimiters,
    sessionTime: 'cmi.session_time',
    timespan: ISO_DURATION,
    exits: ['suspend', 'normal'],
    interactionsTitle: 'learner_response, result, description, timestamp and pattern',
  },
};

for (const [standard, e] of Object.entries(EDITIONS) as [Standard & keyof typeof EDITIONS, Edition][]) {
  describeSampleCourseRun(standard, e.title, (run) => {
    if (standard === 'scorm2004') {
      it('LMS: the manifest declares the course mastery as scaled passing score, and the LMS hands it over', async () => {
        const r = run();
        expect(r.lms.manifest.scaledPassingScore).toBe(r.compiled.course.scoring!.mastery);
        const sessions = await r.lms.sessions();
        expect(Number(sessions[0].launchData['cmi.scaled_passing_score'])).toBe(r.compiled.course.scoring!.mastery);
      });
    }

    it('LMS: the session closed mid-course ended suspended, bookmarked at the workbook, incomplete', async () => {
      const r = run();
      const stored = await expectSuspended(r, r.midCourseSession!, 'plan');
      if (standard === 'scorm12') expect((stored['cmi.suspend_data'] ?? '').length).toBeLessThanOrEqual(4096);
    });

    it(`LMS: after the failed attempt, ${e.failedTitle}`, () => {
      const { live } = run().afterFail!;
      const [status, ...scores] = e.failed;
      expect(live[status[0]]).toBe(status[1]);
      for (const [element, value] of scores) expect(Number(live[element]), `${element} ${live[element]}`).toBe(value);
    });

    it(`LMS: at the end, ${e.finishedTitle}, as the SCO set them`, async () => {
      const r = run();
      const stored = await r.lms.stored();
      const calls = await r.lms.calls();
      for (const [element, value] of e.finished) expect(stored[element], `${element} stored`).toBe(value);
      // The LMS may derive the statuses itself (mastery, threshold, passing score): check the SCO said so too.
      for (const [element, value] of e.finished) expect(valuesSet(standard, calls, element).at(-1), `last ${element} the SCO set`).toBe(value);
      for (const [element, value] of e.score) {
        const set = valuesSet(standard, calls, element).at(-1);
        expect(set, `last ${element} the SCO set`).toBeDefined();
        expect(Number(set), `${element} set to ${set}`).toBe(value);
        expect(Number(stored[element]), `${element} stored`).toBe(value);
      }
    });

    it(`LMS: one cmi.interactions.n per answer, with ${e.interactionsTitle}`, async () => {
      const r = run();
      // What the LMS stored, and what the SCO sent (scorm-again normalises some values on the way).
      const sources = { stored: await r.lms.stored(), sent: sentData(standard, await r.lms.calls()) };
      for (const [source, data] of Object.entries(sources)) checkInteractions(r, standard, e, source, interactionsIn(standard, data));
    });

    it(`LMS: every session set a well-formed ${e.sessionTime}; the finished course exits by closing, not logout or time-out`, async () => {
      const r = run();
      const calls = await r.lms.calls();
      const sessions = await r.lms.sessions();
      for (const s of sessions) {
        const times = valuesSet(standard, calls, e.sessionTime, s.index);
        expect(times.length, `session ${s.index}: ${e.sessionTime} set`).toBeGreaterThan(0);
        expect(times.at(-1), `session ${s.index}: ${e.sessionTime}`).toMatch(e.timespan);
      }
      // A learner closing the window: no logout or time-out. Whether the finished course suspends or
      // exits normally, the learner's work must survive it (the relaunch after finishing checks that).
      for (const s of [r.finishingSession!, sessions.at(-1)!.index]) {
        const exit = valuesSet(standard, calls, e.exit, s).at(-1);
        expect(e.exits, `last ${e.exit} of session ${s}: ${JSON.stringify(exit)}`).toContain(exit);
      }
    });
  });
}

type Records = ReturnType<typeof interactionsIn>;

function checkInteractions(r: SampleRun, standard: Standard, e: Edition, source: string, records: Records): void {
  const { pairs, texts, problems } = pairAnswers(allAnswers(r), records, (id) => r.compiled.interactions.get(id));
  expect.soft(problems, `${source}:\n${problems.join('\n')}`).toEqual([]);
  const pool = r.compiled.course.pages.find((p) => p.id === QUIZ_PAGE)!.interactionIds;
  expect.soft(pairs.filter((p) => p.given.how === 'quiz-1').map((p) => p.record.result), `${source}: results of the failed attempt`)
    .toEqual(pool.map(() => e.wrong));
  expect.soft(pairs.filter((p) => p.given.how === 'quiz-2').map((p) => p.record.result), `${source}: results of the passed attempt`)
    .toEqual(pool.map(() => 'correct'));
  // SCORM 2004 only: a description (the prompt, up to 250 characters) and a timestamp.
  const described = (where: string, record: Records[number], prompt: string) => {
    if (standard !== 'scorm2004') return;
    const description = stripDelimiters(record.description);
    expect.soft(description, `${where}.description`).toBe(prompt.length <= 250 ? prompt : description);
    expect.soft(description.length, `${where}.description length`).toBeLessThanOrEqual(250);
    expect.soft(description, `${where}.description`).not.toBe('');
    expect.soft(record.time, `${where}.timestamp`).toMatch(ISO_TIMESTAMP);
  };
  for (const { given, record } of pairs) {
    const it = r.compiled.interactions.get(given.id)!;
    const where = `${source} cmi.interactions.${record.n} (${it.id}, ${given.how})`;
    expect.soft(record.type, `${where}.type`).toMatch(expectedType(standard, it));
    expect.soft(decodeValue(standard, valueKind(it), record.response), `${where}.${e.response} ${JSON.stringify(record.response)}`)
      .toEqual(plainValues(it, given.values));
    const result = expectedResult(it, given.values);
    expect.soft(record.result, `${where}.result`).toBe(result === 'incorrect' ? e.wrong : result);
    expect.soft(record.patterns.map((p) => decodeValue(standard, valueKind(it), p)), `${where}.correct_responses ${JSON.stringify(record.patterns)}`)
      .toEqual(expectedPatterns(it));
    described(where, record, it.prompt);
  }
  for (const [id, list] of texts) {
    const it = r.compiled.interactions.get(id)!;
    expect.soft(list.length, `${source} ${id}: interaction records of the typed text`).toBeGreaterThan(0);
    const last = list.at(-1);
    if (!last) continue;
    const where = `${source} cmi.interactions.${last.n} (${id}, response)`;
    expect.soft(last.type, `${where}.type`).toMatch(expectedType(standard, it));
    expect.soft(last.result, `${where}.result`).toBe('neutral');
    expect.soft([...(r.leftWith[id] ?? []), r.texts[id]], `${where}.${e.response}`).toContain(e.typed(last.response));
    described(where, last, it.prompt);
  }
}

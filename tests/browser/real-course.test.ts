/**
 * The real course in course/ as SCORM 1.2 and SCORM 2004 packages, played in headless Chromium in
 * an LMS built on scorm-again by a diligent learner (real-course-run.ts), then what the LMS holds:
 * statuses, score, one interaction per answer, and the learner state within each standard's limit.
 */
import { expect, it } from 'vitest';
import {
  decodeResponseText, decodeValue, expectedPatterns, expectedResult, expectedType, interactionsIn, pairAnswers, plainValues, sentData,
  stripDelimiters, valueKind, valuesSet, type LmsCall
} from '../support/browser/index.ts';
import {
  allAnswers, decodeSuspendData, describeRealCourseRun, FIRST_ATTEMPT_RIGHT, oneLine, SCORM12_STATE_LIMIT,
  SCORM2004_STATE_LIMIT, type RealRun
} from './real-course-run.ts';

/** Longest free-text report each standard's adapter may send (1.2 CMIString255, 2004 long-fill-in SPM). */
const REPORT_CHARS = { scorm12: 255, scorm2004: 4000 } as const;

/** One record per answer, with the type, response, result and correct patterns the model calls for. */
function expectInteractions(r: RealRun): void {
  const std = r.standard;
  const { stored, calls } = r.afterEnd!;
  const wrong = std === 'scorm12' ? 'wrong' : 'incorrect';
  // What the LMS stored, and what the SCO sent (scorm-again normalises some values on the way).
  for (const [source, data] of Object.entries({ stored, sent: sentData(std, calls) })) {
    const records = interactionsIn(std, data);
    const answers = allAnswers(r);
    const { pairs, texts, problems } = pairAnswers(answers, records, (id) => r.compiled.interactions.get(id));
    expect.soft(problems, `${source}:\n${problems.join('\n')}`).toEqual([]);
    expect.soft(records.length, `${source}: interaction records, one per answer and per text`).toBe(answers.length);
    const exam1 = pairs.filter((p) => p.given.how === 'exam-1').map((p) => p.record.result);
    expect.soft(exam1.filter((x) => x === 'correct').length, `${source}: right answers recorded for the failed attempt`).toBe(FIRST_ATTEMPT_RIGHT);
    expect.soft(exam1.filter((x) => x === wrong).length, `${source}: ${wrong} answers recorded for the failed attempt`).toBe(30 - FIRST_ATTEMPT_RIGHT);
    expect.soft(pairs.filter((p) => p.given.how === 'exam-2').map((p) => p.record.result), `${source}: results of the passed attempt`)
      .toEqual(Array(30).fill('correct'));
    const checks = pairs.filter((p) => p.given.how === 'check').map((p) => p.record.result);
    expect.soft(checks.filter((x) => x === wrong).length, `${source}: knowledge checks first answered wrong (one per check page)`).toBe(6);
    for (const { given, record } of pairs) {
      const it = r.compiled.interactions.get(given.id)!;
      const where = `${source} cmi.interactions.${record.n} (${it.id}, ${given.how})`;
      expect.soft(record.type, `${where}.type`).toMatch(expectedType(std, it));
      expect.soft(decodeValue(std, valueKind(it), record.response), `${where} response ${JSON.stringify(record.response)}`)
        .toEqual(plainValues(it, given.values));
      const result = expectedResult(it, given.values);
      expect.soft(record.result, `${where}.result`).toBe(result === 'incorrect' ? wrong : result);
      expect.soft(record.patterns.map((p) => decodeValue(std, valueKind(it), p)), `${where}.correct_responses ${JSON.stringify(record.patterns)}`)
        .toEqual(expectedPatterns(it));
      if (std === 'scorm2004') expect.soft(stripDelimiters(record.description).length, `${where}.description length`).toBeLessThanOrEqual(250);
    }
    for (const [id, list] of texts) {
      const it = r.compiled.interactions.get(id)!;
      expect.soft(list.length, `${source} ${id}: interaction records of the text (typed once, left once)`).toBe(1);
      const last = list.at(-1);
      if (!last) continue;
      const where = `${source} cmi.interactions.${last.n} (${id}, response)`;
      expect.soft(last.type, `${where}.type`).toMatch(expectedType(std, it));
      expect.soft(last.result, `${where}.result`).toBe('neutral');
      const response = std === 'scorm2004' ? stripDelimiters(last.response) : last.response;
      expect.soft(response.length, `${where} response length`).toBeLessThanOrEqual(REPORT_CHARS[std]);
      const text = r.texts[id];
      if (std === 'scorm2004') {
        // Reversible: the record decodes to the whole text, line breaks included.
        expect.soft(decodeResponseText(response), `${where} response decodes to the text`).toBe(text);
      } else if (text.length <= REPORT_CHARS[std] - 10) {
        expect.soft(oneLine(response), `${where} response: the whole text on one line`).toBe(oneLine(text));
      } else {
        // Cut for the report, marked with "..."; the learner state keeps the whole text.
        const cut = response.replace(/\.\.\.$/, '');
        expect.soft(cut.length, `${where}: the report holds most of what fits`).toBeGreaterThan(REPORT_CHARS[std] - 60);
        expect.soft(oneLine(text).startsWith(oneLine(cut)), `${where} response ${JSON.stringify(response.slice(0, 60))}… is the start of the text`).toBe(true);
      }
    }
  }
}

/** Sets of `element` with `value` (all sessions), with their place in the call log. */
const setsOf = (calls: LmsCall[], fn: string, element: string, value?: string): LmsCall[] =>
  calls.filter((c) => c.fn === fn && c.args[0] === element && (value === undefined || c.args[1] === value) && c.result === 'true');

/** The encoded suspend_data each session sent, for the report. */
function stateSizes(r: RealRun, element: string, fn: string): string {
  const calls = r.afterEnd!.calls;
  const sessions = [...new Set(calls.map((c) => c.session))];
  const lines = sessions.map((s) => {
    const sent = calls.filter((c) => c.session === s && c.fn === fn && c.args[0] === element).map((c) => c.args[1].length);
    return `session ${s}: ${sent.length} writes, longest ${Math.max(0, ...sent)}, last ${sent.at(-1) ?? '-'}`;
  });
  const final = r.afterEnd!.stored[element];
  const decoded = decodeSuspendData(final);
  return `${r.standard} ${element}: ${lines.join('; ')}; stored at the end ${final?.length ?? 0} characters` +
    (decoded ? ` (${decoded.texts} texts inside, ${decoded.elsewhere} kept elsewhere, of ${Object.keys(r.texts).length} typed)` : '');
}

describeRealCourseRun('scorm12', 'SCORM 1.2 package of the real course in an LMS (scorm-again)', (run) => {
  it('LMS: no cmi.suspend_data over 4,096 characters was ever stored, the one longer trial per session refused; the notice said what stayed in this browser and offered the download', () => {
    const r = run();
    const sent = valuesSet('scorm12', r.afterEnd!.calls, 'cmi.suspend_data');
    expect(sent.length).toBeGreaterThan(0);
    // The runtime tries a longer state once per session (an LMS may keep it); this one refuses.
    const over = r.afterEnd!.calls.filter((c) => c.fn === 'LMSSetValue' && c.args[0] === 'cmi.suspend_data' && c.args[1].length > SCORM12_STATE_LIMIT);
    expect(over.filter((c) => c.result !== 'false').map((c) => `#${c.seq}: ${c.args[1].length}`), 'longer writes the LMS took').toEqual([]);
    expect(Math.max(...[...new Set(over.map((c) => c.session))].map((s) => over.filter((c) => c.session === s).length)), 'longer writes per session').toBeLessThanOrEqual(1);
    expect((r.afterEnd!.stored['cmi.suspend_data'] ?? '').length).toBeLessThanOrEqual(SCORM12_STATE_LIMIT);
    for (const v of valuesSet('scorm12', r.afterEnd!.calls, 'cmi.core.lesson_location')) expect(v.length).toBeLessThanOrEqual(255);
    // Once the typed texts alone encode to more than the limit, the notice is up, with its button.
    const first = r.notices.findIndex((n) => n.textsEncoded > SCORM12_STATE_LIMIT);
    expect(first, 'the texts exceeded 4,096 encoded characters at some point').toBeGreaterThanOrEqual(0);
    const missing = r.notices.slice(first).filter((n) => !n.shown || !n.button).map((n) => n.after);
    expect(missing, 'texts after which #cp-notice (with its download button) was not shown').toEqual([]);
    expect(r.notices[first].text, 'the notice tells the learner').not.toBe('');
    console.log(stateSizes(r, 'cmi.suspend_data', 'LMSSetValue'));
  });

  it('LMS: after the failed attempt, score.raw 60 (min 0, max 100) and lesson_status not passed', () => {
    const { live } = run().afterFail!;
    expect(Number(live['cmi.core.score.raw']), `cmi.core.score.raw ${live['cmi.core.score.raw']}`).toBe(run().examScores[0]);
    expect(Number(live['cmi.core.score.min'])).toBe(0);
    expect(Number(live['cmi.core.score.max'])).toBe(100);
    expect(live['cmi.core.lesson_status']).not.toBe('passed');
  });

  it('LMS: at the end, lesson_status passed and score.raw/min/max 100/0/100, the score sent before the status', () => {
    const r = run();
    const { stored, calls } = r.afterEnd!;
    expect(stored['cmi.core.lesson_status'], 'cmi.core.lesson_status stored').toBe('passed');
    expect(valuesSet('scorm12', calls, 'cmi.core.lesson_status').at(-1), 'last cmi.core.lesson_status the SCO set').toBe('passed');
    for (const [element, value] of [['raw', 100], ['min', 0], ['max', 100]] as const) {
      const set = valuesSet('scorm12', calls, `cmi.core.score.${element}`).at(-1);
      expect(Number(set), `last cmi.core.score.${element} the SCO set: ${set}`).toBe(value);
      expect(Number(stored[`cmi.core.score.${element}`]), `cmi.core.score.${element} stored`).toBe(value);
    }
    const passed = setsOf(calls, 'LMSSetValue', 'cmi.core.lesson_status', 'passed')[0];
    const score = setsOf(calls, 'LMSSetValue', 'cmi.core.score.raw', '100')[0];
    expect(passed && score, 'sets of score.raw 100 and lesson_status passed').toBeTruthy();
    expect(score.seq, 'cmi.core.score.raw 100 is set before cmi.core.lesson_status passed').toBeLessThan(passed.seq);
  });

  it('LMS: one cmi.interactions.n per answer and per text, with type, student_response, result and correct pattern', () => {
    expectInteractions(run());
  });
});

describeRealCourseRun('scorm2004', 'SCORM 2004 package of the real course in an LMS (scorm-again)', (run) => {
  it('LMS: the manifest declares the exam pass mark (0.8) as scaled passing score, and the LMS hands it over', async () => {
    const r = run();
    expect(r.lms.manifest.scaledPassingScore).toBe(0.8);
    const sessions = await r.lms.sessions();
    expect(Number(sessions[0].launchData['cmi.scaled_passing_score'])).toBe(0.8);
  });

  it('LMS: every text fits in cmi.suspend_data (never over 64,000 characters) and no notice was needed', () => {
    const r = run();
    const sent = valuesSet('scorm2004', r.afterEnd!.calls, 'cmi.suspend_data');
    expect(sent.length).toBeGreaterThan(0);
    expect(Math.max(...sent.map((v) => v.length)), 'longest cmi.suspend_data sent').toBeLessThanOrEqual(SCORM2004_STATE_LIMIT);
    expect(r.notices.filter((n) => n.shown).map((n) => `after ${n.after}: ${n.text}`), '#cp-notice shown while typing').toEqual([]);
    console.log(stateSizes(r, 'cmi.suspend_data', 'SetValue'));
  });

  it('LMS: after the full run cmi.suspend_data is at most 32,000 characters: the texts the LMS returns are in its interaction records', () => {
    const r = run();
    const stored = r.afterEnd!.stored['cmi.suspend_data'] ?? '';
    expect(stored.length, 'cmi.suspend_data stored at the end').toBeLessThanOrEqual(32000);
    expect(stored.length).toBeGreaterThan(0);
  });

  it('LMS: after the failed attempt, success_status failed and score.scaled 0.6', () => {
    const { live } = run().afterFail!;
    const score = run().examScores[0];
    expect(live['cmi.success_status']).toBe('failed');
    expect(Number(live['cmi.score.scaled']), `cmi.score.scaled ${live['cmi.score.scaled']}`).toBe(score / 100);
    expect(Number(live['cmi.score.raw']), `cmi.score.raw ${live['cmi.score.raw']}`).toBe(score);
  });

  it('LMS: at the end, completed and passed, score.scaled 1 (raw 100 of 0..100), the score sent before the success status', () => {
    const r = run();
    const { stored, calls } = r.afterEnd!;
    expect(stored['cmi.completion_status'], 'cmi.completion_status stored').toBe('completed');
    expect(stored['cmi.success_status'], 'cmi.success_status stored').toBe('passed');
    expect(valuesSet('scorm2004', calls, 'cmi.completion_status').at(-1), 'last cmi.completion_status the SCO set').toBe('completed');
    expect(valuesSet('scorm2004', calls, 'cmi.success_status').at(-1), 'last cmi.success_status the SCO set').toBe('passed');
    for (const [element, value] of [['scaled', 1], ['raw', 100], ['min', 0], ['max', 100]] as const) {
      const set = valuesSet('scorm2004', calls, `cmi.score.${element}`).at(-1);
      expect(Number(set), `last cmi.score.${element} the SCO set: ${set}`).toBe(value);
      expect(Number(stored[`cmi.score.${element}`]), `cmi.score.${element} stored`).toBe(value);
    }
    const passed = setsOf(calls, 'SetValue', 'cmi.success_status', 'passed')[0];
    const score = setsOf(calls, 'SetValue', 'cmi.score.scaled', '1')[0];
    expect(passed && score, 'sets of score.scaled 1 and success_status passed').toBeTruthy();
    expect(score.seq, 'cmi.score.scaled 1 is set before cmi.success_status passed').toBeLessThan(passed.seq);
  });

  it('LMS: one cmi.interactions.n per answer and per text, with type, learner_response, result, description and pattern', () => {
    expectInteractions(run());
  });
});

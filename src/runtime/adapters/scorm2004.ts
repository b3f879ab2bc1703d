/**
 * SCORM 2004 4th edition through `API_1484_11`. Completion and success are reported separately:
 * completion by the course rule, success by the scoring quiz against mastery.
 *
 * Leaving: `cmi.exit=suspend` + `adl.nav.request=suspendAll`, so the LMS keeps the attempt
 * (location, suspend data) for the next launch — `exitAll` would end the attempt and drop the
 * suspended state even with `cmi.exit=suspend`. The player suspends even a finished course, so a
 * learner who comes back still finds their workbook text; `finish('normal')` (`cmi.exit=normal`
 * + `exitAll`) remains for a course that wants to close its attempt.
 */
import type { InteractionRecord, LmsAdapter } from './types.ts';
import { createScormAdapter, decimal, reportText, type ScormEdition } from './scorm.ts';
import { decodeText, encodeText, textParts } from './response-text.ts';
import { completion2004, success2004 } from '../status.ts';
import { isoDuration, isoTimestamp } from '../time.ts';

export const SCORM2004_LIMITS = { stateChars: 64000, locationChars: 1000 };

/** 2004 response values: `[,]` between choice ids, true/false as is, free text reversible (response-text.ts). */
function value(r: InteractionRecord, values: string[]): string {
  if (r.type === 'fill-in') return reportText(values[0] || '', 250).split('[,]').join('[ ,]');
  if (r.type === 'long-fill-in') return encodeText(values[0] || '');
  return values.join('[,]');
}

export const SCORM2004: ScormEdition = {
  api: 'API_1484_11',
  methods: { initialize: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate', error: 'GetLastError' },
  limits: SCORM2004_LIMITS,
  elements: {
    mode: 'cmi.mode',
    learnerId: 'cmi.learner_id',
    learnerName: 'cmi.learner_name',
    location: 'cmi.location',
    suspendData: 'cmi.suspend_data',
    sessionTime: 'cmi.session_time',
    exit: 'cmi.exit',
    entry: 'cmi.entry',
  },
  interaction: {
    id: (id) => id.replace(/\s/g, '_'),
    type: (type) => type,
    descriptionChars: 250,
    response: 'learner_response',
    result: (result) => result,
    latency: isoDuration,
    time: ['timestamp', isoTimestamp],
    value,
    // long-fill-in: SPM 4,000 characters per record (Moodle takes more; others need not).
    texts: { parts: (v) => textParts(v, 4000), decode: decodeText },
  },
  duration: isoDuration,
  exit: (exit) => [
    ['cmi.exit', exit],
    ['adl.nav.request', exit === 'suspend' ? 'suspendAll' : 'exitAll'],
  ],
  status(s, _course, tracking) {
    let completion = '';
    let success = '';
    return {
      read() {
        completion = s.get('cmi.completion_status');
        success = s.get('cmi.success_status');
      },
      begin() {
        if (completion !== 'completed' && completion !== 'incomplete') s.set('cmi.completion_status', 'incomplete');
      },
      progress(measure, done) {
        if (!tracking()) return;
        s.set('cmi.progress_measure', decimal(Math.min(Math.max(measure, 0), 1)));
        s.set('cmi.completion_status', (completion = completion2004(done, completion)));
      },
      score(raw, min, max, passed) {
        if (!tracking()) return;
        // Score before status: some LMSs compute the grade when the status arrives.
        s.set('cmi.score.scaled', decimal(Math.min(Math.max((raw - min) / (max - min || 1), -1), 1)));
        s.set('cmi.score.raw', decimal(raw));
        s.set('cmi.score.min', decimal(min));
        s.set('cmi.score.max', decimal(max));
        if (passed !== null) s.set('cmi.success_status', (success = success2004(passed, success)));
      },
    };
  },
};

export const createScorm2004Adapter = (win: Window = window): LmsAdapter => createScormAdapter(SCORM2004, win);

/**
 * SCORM 1.2 through the LMS's `API` object. Formats follow the 1.2 RTE strictly (not the leniency
 * of some LMSs): identifiers [A-Za-z0-9_-], single-character choice ids, 255-character strings.
 * `cmi.core.lesson_status` mixes completion and success in one value (see status.ts).
 */
import type { InteractionRecord, LmsAdapter } from './types.ts';
import { createScormAdapter, decimal, reportText, type ScormEdition } from './scorm.ts';
import { lessonStatus12 } from '../status.ts';
import { scorm12Clock, scorm12Timespan } from '../time.ts';

export const SCORM12_LIMITS = { stateChars: 4096, locationChars: 255 };

/** 1.2 response values: choice ids as they are, true-false as t/f, text cut to 255. */
function value(r: InteractionRecord, values: string[]): string {
  if (r.type === 'true-false') return values[0] === 'true' ? 't' : 'f';
  if (r.type === 'fill-in' || r.type === 'long-fill-in') return reportText(values[0] || '', 255);
  return values.join(',');
}

export const SCORM12: ScormEdition = {
  api: 'API',
  methods: { initialize: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish', error: 'LMSGetLastError' },
  // The standard's 4,096; up to 64,000 (Moodle's default) only when the LMS keeps it (saving.ts).
  limits: { ...SCORM12_LIMITS, largeChars: 64000 },
  elements: {
    mode: 'cmi.core.lesson_mode',
    learnerId: 'cmi.core.student_id',
    learnerName: 'cmi.core.student_name',
    location: 'cmi.core.lesson_location',
    suspendData: 'cmi.suspend_data',
    sessionTime: 'cmi.core.session_time',
    exit: 'cmi.core.exit',
  },
  interaction: {
    id: (id) => id.replace(/[^\w-]/g, '_').slice(0, 255),
    type: (type) => (type === 'long-fill-in' ? 'fill-in' : type),
    descriptionChars: 0,
    response: 'student_response',
    result: (result) => (result === 'incorrect' ? 'wrong' : result),
    latency: scorm12Timespan,
    time: ['time', scorm12Clock],
    value,
    // No `texts`: 1.2 student_response is write-only, so a text is never read back; the report is cut.
  },
  duration: scorm12Timespan,
  exit: (exit) => [['cmi.core.exit', exit === 'suspend' ? 'suspend' : '']],
  status(s, course, tracking) {
    const hasScoring = !!course.scoring;
    const pair = course.reporting?.scorm12;
    let previous = '';
    let completed = false;
    let passed: boolean | null = null;
    const write = (): void => {
      if (tracking()) s.set('cmi.core.lesson_status', (previous = lessonStatus12(completed, hasScoring, passed, previous, pair)));
    };
    return {
      read: () => void (previous = s.get('cmi.core.lesson_status')),
      begin: () => {
        if (!previous || previous === 'not attempted') s.set('cmi.core.lesson_status', 'incomplete');
      },
      progress(_measure, done) {
        completed = done;
        write();
      },
      score(raw, min, max, pass) {
        if (!tracking()) return;
        passed = pass;
        // Score before status: some LMSs compute the grade when the status arrives.
        s.set('cmi.core.score.min', decimal(min));
        s.set('cmi.core.score.max', decimal(max));
        s.set('cmi.core.score.raw', decimal(raw));
        write();
      },
    };
  },
};

/** Finds and initialises the LMS; without one the course still plays, saving in this browser. */
export const createScorm12Adapter = (win: Window = window): LmsAdapter => createScormAdapter(SCORM12, win);

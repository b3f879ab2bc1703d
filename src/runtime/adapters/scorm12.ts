/**
 * SCORM 1.2 through the LMS's `API` object. Formats follow the 1.2 RTE strictly (not the leniency
 * of some LMSs): identifiers [A-Za-z0-9_-], single-character choice ids, 255-character strings.
 */
import type { InteractionRecord, LaunchMode, LmsAdapter } from './types.ts';
import { createLocalAdapter } from './local.ts';
import { decimal, findApi, reportText, scormSession } from './scorm.ts';
import { lessonStatus12 } from '../status.ts';
import { scorm12Clock, scorm12Timespan } from '../time.ts';

export const SCORM12_LIMITS = { stateChars: 4096, locationChars: 255 };

/** Finds and initialises the LMS; without one the course still plays, saving in this browser. */
export function createScorm12Adapter(win: Window = window): LmsAdapter {
  const api = findApi('API', win);
  let started = false;
  try {
    started = !!api && String(api.LMSInitialize('')) === 'true';
  } catch {
    /* treated as no LMS */
  }
  return started ? scorm12(api) : createLocalAdapter();
}

/** 1.2 response values: choice ids as they are, true-false as t/f, text cut to 255. */
function value(r: InteractionRecord, values: string[]): string {
  if (r.type === 'true-false') return values[0] === 'true' ? 't' : 'f';
  if (r.type === 'fill-in' || r.type === 'long-fill-in') return reportText(values[0] || '', 255);
  return values.join(',');
}

export function scorm12(api: any): LmsAdapter {
  const s = scormSession({
    get: (e) => api.LMSGetValue(e),
    set: (e, v) => api.LMSSetValue(e, v),
    commit: () => api.LMSCommit(''),
    finish: () => api.LMSFinish(''),
    error: () => api.LMSGetLastError(),
  });
  const began = Date.now();
  let count = 0;
  let tracking = true;
  let hasScoring = false;
  let previous = '';
  let completed = false;
  let passed: boolean | null = null;
  const status = (): void => {
    if (tracking) s.set('cmi.core.lesson_status', (previous = lessonStatus12(completed, hasScoring, passed, previous)));
  };
  return {
    limits: SCORM12_LIMITS,
    start(course) {
      hasScoring = !!course.scoring;
      const mode = s.get('cmi.core.lesson_mode');
      // An empty or unknown mode is normal: otherwise nothing would ever be tracked.
      tracking = mode !== 'browse' && mode !== 'review';
      previous = s.get('cmi.core.lesson_status');
      count = parseInt(s.get('cmi.interactions._count'), 10) || 0;
      if (tracking) {
        if (!previous || previous === 'not attempted') s.set('cmi.core.lesson_status', 'incomplete');
        // Suspend from the start: a session that ends without pagehide still resumes.
        s.set('cmi.core.exit', 'suspend');
      }
      return {
        learnerId: s.get('cmi.core.student_id'),
        learnerName: s.get('cmi.core.student_name'),
        state: s.get('cmi.suspend_data'),
        bookmark: s.get('cmi.core.lesson_location'),
        mode: tracking ? 'normal' : (mode as LaunchMode),
        storage: 'lms',
      };
    },
    saveState(location, encoded) {
      if (!tracking) return;
      if (location.length <= SCORM12_LIMITS.locationChars) s.set('cmi.core.lesson_location', location);
      if (encoded.length <= SCORM12_LIMITS.stateChars) s.set('cmi.suspend_data', encoded);
    },
    recordInteraction(r) {
      if (!tracking) return;
      const p = `cmi.interactions.${count++}.`;
      s.set(p + 'id', r.id.replace(/[^\w-]/g, '_').slice(0, 255));
      s.set(p + 'type', r.type === 'long-fill-in' ? 'fill-in' : r.type);
      r.correct.forEach((c, i) => s.set(`${p}correct_responses.${i}.pattern`, value(r, c)));
      s.set(p + 'weighting', String(r.weighting));
      s.set(p + 'student_response', value(r, r.response));
      s.set(p + 'result', r.result === 'incorrect' ? 'wrong' : r.result);
      s.set(p + 'latency', scorm12Timespan(r.latencyMs));
      s.set(p + 'time', scorm12Clock(r.at));
    },
    setProgress(_measure, done) {
      completed = done;
      status();
    },
    setScore(raw, min, max, pass) {
      if (!tracking) return;
      passed = pass;
      // Score before status: some LMSs compute the grade when the status arrives.
      s.set('cmi.core.score.min', decimal(min));
      s.set('cmi.core.score.max', decimal(max));
      s.set('cmi.core.score.raw', decimal(raw));
      status();
    },
    commit: s.commit,
    finish(exit) {
      s.set('cmi.core.session_time', scorm12Timespan(Date.now() - began));
      if (tracking) s.set('cmi.core.exit', exit === 'suspend' ? 'suspend' : '');
      s.finish();
    },
    onStatus: s.onStatus,
  };
}

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
import type { InteractionRecord, LaunchMode, LmsAdapter } from './types.ts';
import { createLocalAdapter } from './local.ts';
import { decimal, findApi, reportText, scormSession } from './scorm.ts';
import { completion2004, success2004 } from '../status.ts';
import { isoDuration, isoTimestamp } from '../time.ts';

export const SCORM2004_LIMITS = { stateChars: 64000, locationChars: 1000 };

export function createScorm2004Adapter(win: Window = window): LmsAdapter {
  const api = findApi('API_1484_11', win);
  let started = false;
  try {
    started = !!api && String(api.Initialize('')) === 'true';
  } catch {
    /* treated as no LMS */
  }
  return started ? scorm2004(api) : createLocalAdapter();
}

/** 2004 response values: `[,]` between choice ids, true/false as is, text on one line. */
function value(r: InteractionRecord, values: string[]): string {
  if (r.type === 'fill-in') return reportText(values[0] || '', 250).split('[,]').join('[ ,]');
  if (r.type === 'long-fill-in') return reportText(values[0] || '', 4000);
  return values.join('[,]');
}

export function scorm2004(api: any): LmsAdapter {
  const s = scormSession({
    get: (e) => api.GetValue(e),
    set: (e, v) => api.SetValue(e, v),
    commit: () => api.Commit(''),
    finish: () => api.Terminate(''),
    error: () => api.GetLastError(),
  });
  const began = Date.now();
  let count = 0;
  let tracking = true;
  let completion = '';
  let success = '';
  return {
    limits: SCORM2004_LIMITS,
    start() {
      const mode = s.get('cmi.mode');
      tracking = mode !== 'browse' && mode !== 'review';
      completion = s.get('cmi.completion_status');
      success = s.get('cmi.success_status');
      count = parseInt(s.get('cmi.interactions._count'), 10) || 0;
      if (tracking) {
        if (completion !== 'completed' && completion !== 'incomplete') s.set('cmi.completion_status', 'incomplete');
        s.set('cmi.exit', 'suspend');
      }
      // A new attempt has no location or suspend data; reading them would log LMS error 403.
      const fresh = s.get('cmi.entry') === 'ab-initio';
      return {
        learnerId: s.get('cmi.learner_id'),
        learnerName: s.get('cmi.learner_name'),
        state: fresh ? '' : s.get('cmi.suspend_data'),
        bookmark: fresh ? '' : s.get('cmi.location'),
        mode: tracking ? 'normal' : (mode as LaunchMode),
        storage: 'lms',
      };
    },
    saveState(location, encoded) {
      if (!tracking) return;
      if (location.length <= SCORM2004_LIMITS.locationChars) s.set('cmi.location', location);
      if (encoded.length <= SCORM2004_LIMITS.stateChars) s.set('cmi.suspend_data', encoded);
    },
    recordInteraction(r) {
      if (!tracking) return;
      const p = `cmi.interactions.${count++}.`;
      s.set(p + 'id', r.id.replace(/\s/g, '_'));
      s.set(p + 'type', r.type);
      if (r.description) s.set(p + 'description', reportText(r.description, 250));
      r.correct.forEach((c, i) => s.set(`${p}correct_responses.${i}.pattern`, value(r, c)));
      s.set(p + 'weighting', String(r.weighting));
      s.set(p + 'learner_response', value(r, r.response));
      s.set(p + 'result', r.result);
      s.set(p + 'latency', isoDuration(r.latencyMs));
      s.set(p + 'timestamp', isoTimestamp(r.at));
    },
    setProgress(measure, done) {
      if (!tracking) return;
      s.set('cmi.progress_measure', decimal(Math.min(Math.max(measure, 0), 1)));
      s.set('cmi.completion_status', (completion = completion2004(done, completion)));
    },
    setScore(raw, min, max, passed) {
      if (!tracking) return;
      // Score before status: some LMSs compute the grade when the status arrives.
      s.set('cmi.score.scaled', decimal(Math.min(Math.max((raw - min) / (max - min || 1), -1), 1)));
      s.set('cmi.score.raw', decimal(raw));
      s.set('cmi.score.min', decimal(min));
      s.set('cmi.score.max', decimal(max));
      if (passed !== null) s.set('cmi.success_status', (success = success2004(passed, success)));
    },
    commit: s.commit,
    finish(exit) {
      s.set('cmi.session_time', isoDuration(Date.now() - began));
      if (tracking) {
        s.set('cmi.exit', exit);
        s.set('adl.nav.request', exit === 'suspend' ? 'suspendAll' : 'exitAll');
      }
      s.finish();
    },
    onStatus: s.onStatus,
  };
}

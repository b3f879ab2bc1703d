/**
 * No LMS: the web target, and the fallback when a SCORM package finds no LMS API. The state lives
 * in this browser's localStorage, keyed by course id; the player tells the learner so.
 */
import type { AdapterStatus, LmsAdapter } from './types.ts';
import { load, store } from '../storage.ts';

export function createLocalAdapter(): LmsAdapter {
  let key = '';
  let listener: (s: AdapterStatus) => void = () => {};
  let failing = false;
  return {
    // localStorage holds about 5 MB of UTF-16 per origin, shared with other courses.
    limits: { stateChars: 1e6, locationChars: 1e3 },
    start(course) {
      key = 'cp:' + course.id + ':local';
      return { learnerId: '', learnerName: '', state: load(key) || '', bookmark: '', mode: 'normal', storage: 'browser' };
    },
    saveState(_location, encoded) {
      const ok = store(key, encoded);
      if (ok === failing) listener({ ok, code: ok ? undefined : 'storage' });
      failing = !ok;
    },
    recordInteraction() {},
    setProgress() {},
    setScore() {},
    commit() {},
    finish() {},
    onStatus(l) {
      listener = l;
    },
  };
}

/**
 * LMS faults: when the LMS refuses writes and commits for a while, the adapter tells the player,
 * keeps every refused write in order, and delivers them all once the LMS answers again.
 */
import { describe, expect, it, vi } from 'vitest';
import { createScorm12Adapter } from '../../src/runtime/adapters/scorm12.ts';
import type { AdapterStatus } from '../../src/runtime/adapters/types.ts';
import { lms12, windowWith } from './lms.ts';
import { makeCourse, records } from './fixtures.ts';

/** Makes the LMS answer "false" to writes and commits while `down` is true. */
function flaky(api: any) {
  const control = { down: false };
  for (const m of ['LMSSetValue', 'LMSCommit']) {
    const real = api[m];
    api[m] = (...args: string[]) => (control.down ? 'false' : real(...args));
  }
  return control;
}

describe('SCORM adapter under LMS faults', () => {
  it('reports the fault, retries, and delivers every refused write in order', () => {
    vi.useFakeTimers();
    try {
      const { api } = lms12();
      const lms = flaky(api);
      const adapter = createScorm12Adapter(windowWith('API', api));
      adapter.start(makeCourse());
      const statuses: AdapterStatus[] = [];
      adapter.onStatus((s) => statuses.push(s));

      lms.down = true;
      adapter.saveState('lesson-1', 'cp1:first');
      adapter.recordInteraction(records[0]);
      adapter.saveState('lesson-2', 'cp1:second');
      adapter.commit();
      expect(statuses).toEqual([{ ok: false, code: expect.any(String) }]);
      expect(api.cmi.core.lesson_location).not.toBe('lesson-2');

      vi.advanceTimersByTime(6000); // still down: the retry fails quietly, no second report
      expect(statuses).toHaveLength(1);

      lms.down = false;
      vi.advanceTimersByTime(6000); // the next retry gets through
      expect(statuses).toEqual([{ ok: false, code: expect.any(String) }, { ok: true }]);
      expect(api.cmi.core.lesson_location).toBe('lesson-2');
      expect(api.cmi.suspend_data).toBe('cp1:second');
      const cmi = JSON.parse(JSON.stringify(api.cmi));
      expect(Object.values(cmi.interactions).map((i: any) => i.id)).toEqual([records[0].id]);
      adapter.finish('suspend');
      expect(JSON.parse(JSON.stringify(api.cmi)).core.exit).toBe('suspend');
    } finally {
      vi.useRealTimers();
    }
  });
});

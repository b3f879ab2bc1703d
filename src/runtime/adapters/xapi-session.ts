/**
 * What the xAPI and cmi5 adapters share once their launch is read: the options (test seams),
 * this device's storage, the tracker that carries the session to the LRS, the calls every
 * adapter forwards to it, and the fall-back to this browser's storage when a launch is unusable.
 */
import type { RuntimeCourse } from '../../model.ts';
import type { AdapterStatus, LaunchMode, LmsAdapter, StartInfo } from './types.ts';
import { createLocalAdapter } from './local.ts';
import { agentKey } from '../xapi/launch.ts';
import type { Fetch } from '../xapi/lrs.ts';
import type { KeyValueStore } from '../xapi/queue.ts';
import { createTracker, XAPI_LIMITS, type Tracker, type TrackerOptions } from '../xapi/tracker.ts';

/** Seams for tests (defaults: the page's URL, fetch, localStorage and timers). */
export interface XapiAdapterOptions {
  url?: string;
  fetch?: Fetch;
  storage?: KeyValueStore | null;
  saveDelayMs?: number;
  baseDelayMs?: number;
  wait?: (ms: number) => Promise<void>;
  /** Whether the page is hidden (default: document.visibilityState). */
  hidden?: () => boolean;
}

/** A Web Storage object, or null where it is missing or refused (sandboxed frames, private modes). */
export function webStorage(kind: 'localStorage' | 'sessionStorage'): KeyValueStore | null {
  try {
    return (globalThis as any)[kind] ?? null;
  } catch {
    return null;
  }
}

export const localStore = (): KeyValueStore | null => webStorage('localStorage');
export const pageUrl = (): string => (typeof location === 'undefined' ? '' : location.href);
export const pageHidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/** The player's own copy of the state on this device (see session/session.ts: `cp:<course id>:<learner id>`). */
export const deviceCopy = (storage: KeyValueStore | null, courseId: string, learnerId: string) => (): string =>
  storage?.getItem(`cp:${courseId}:${learnerId}`) || '';

/** What a launch decides about a session; the rest of the tracker's options is device plumbing. */
export type SessionOptions = Omit<TrackerOptions, 'storage' | 'onStatus' | 'deviceState' | 'saveDelayMs' | 'baseDelayMs' | 'wait' | 'hidden'>;

export function createXapiSession(options: XapiAdapterOptions) {
  const storage = options.storage !== undefined ? options.storage : localStore();
  const hidden = options.hidden ?? pageHidden;
  let listener: (s: AdapterStatus) => void = () => {};
  let tracker: Tracker | null = null;
  let local: LmsAdapter | null = null;

  /** The calls an xAPI adapter passes on to its tracker (or to the fall-back's storage). */
  const calls: Omit<LmsAdapter, 'start'> = {
    limits: XAPI_LIMITS,
    saveState: (location, encoded) => (local ?? tracker)?.saveState(location, encoded),
    recordInteraction: (r) => tracker?.recordInteraction(r),
    setProgress: (measure, completed) => tracker?.setProgress(measure, completed),
    setScore: (raw, min, max, passed) => tracker?.setScore(raw, min, max, passed),
    commit: () => tracker?.commit(hidden()),
    finish: (exit) => tracker?.finish(exit),
    onStatus(l) {
      listener = l;
      local?.onStatus(l);
    },
  };

  return {
    storage,
    calls,
    tracker: (): Tracker | null => tracker,

    /** Creates the session's tracker on this device, opens it, and says how the player starts. */
    async open(session: SessionOptions, mode: LaunchMode, continued = false): Promise<StartInfo> {
      const learnerId = agentKey(session.actor);
      tracker = createTracker({
        ...session,
        continued,
        storage,
        onStatus: (s) => listener(s),
        deviceState: deviceCopy(storage, session.course.id, learnerId),
        saveDelayMs: options.saveDelayMs,
        baseDelayMs: options.baseDelayMs,
        wait: options.wait,
        hidden,
      });
      const t = tracker;
      // Back online: the queue need not wait out its backoff.
      if (typeof addEventListener === 'function') addEventListener('online', () => t.queue.wake());
      const opened = await t.open();
      return { learnerId, learnerName: session.actor.name || '', state: opened.state, bookmark: opened.bookmark, mode, storage: 'lms' };
    },

    /** The launch cannot be used: the course runs on this browser's storage, and says so. */
    fallBack(course: RuntimeCourse, why: string): StartInfo | Promise<StartInfo> {
      console.warn(`coursepack: ${why}; progress is kept in this browser only.`);
      local = createLocalAdapter();
      local.onStatus(listener);
      return local.start(course);
    },
  };
}

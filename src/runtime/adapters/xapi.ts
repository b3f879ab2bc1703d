/**
 * xAPI 1.0.3 as a Tin Can package: the LMS launches `index.html` with `endpoint`, `auth`, `actor`,
 * `registration` and `activity_id` in the query string (credentials arrive at launch; the
 * package never holds any). Without a usable launch (opened straight from the file, or an LMS
 * that sent no endpoint or actor) the course runs on this browser's storage, like the web build.
 *
 * Statements go through the persistent queue (src/runtime/xapi/queue.ts); the learner state lives
 * in the State resource (src/runtime/xapi/tracker.ts). Every call after `start` returns at once.
 */
import type { AdapterStatus, LmsAdapter } from './types.ts';
import { createLocalAdapter } from './local.ts';
import { agentKey, parseTinCanLaunch } from '../xapi/launch.ts';
import { createLrs, type Fetch } from '../xapi/lrs.ts';
import type { KeyValueStore } from '../xapi/queue.ts';
import { activity, courseDefinition } from '../xapi/statements.ts';
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

export function localStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // refused in sandboxed frames and some private modes
  }
}

export const pageUrl = (): string => (typeof location === 'undefined' ? '' : location.href);
export const pageHidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/** The player's own copy of the state on this device (see player.ts: `cp:<course id>:<learner id>`). */
export const deviceCopy = (storage: KeyValueStore | null, courseId: string, learnerId: string) => (): string =>
  storage?.getItem(`cp:${courseId}:${learnerId}`) || '';

/** What a launch decides about a session; the rest of the tracker's options is device plumbing. */
export type SessionOptions = Omit<TrackerOptions, 'storage' | 'onStatus' | 'deviceState' | 'saveDelayMs' | 'baseDelayMs' | 'wait' | 'hidden'>;

interface Plumbing {
  storage: KeyValueStore | null;
  onStatus: (s: AdapterStatus) => void;
  hidden: () => boolean;
  options: { saveDelayMs?: number; baseDelayMs?: number; wait?: (ms: number) => Promise<void> };
}

/** Creates the session's tracker on this device, wakes its queue when the browser is back online, and opens it. */
export async function openTracker(session: SessionOptions, plumbing: Plumbing) {
  const learnerId = agentKey(session.actor);
  const tracker = createTracker({
    ...session,
    storage: plumbing.storage,
    onStatus: plumbing.onStatus,
    deviceState: deviceCopy(plumbing.storage, session.course.id, learnerId),
    saveDelayMs: plumbing.options.saveDelayMs,
    baseDelayMs: plumbing.options.baseDelayMs,
    wait: plumbing.options.wait,
    hidden: plumbing.hidden,
  });
  if (typeof addEventListener === 'function') addEventListener('online', () => tracker.queue.wake());
  return { tracker, learnerId, opened: await tracker.open() };
}

export function createXapiAdapter(options: XapiAdapterOptions = {}): LmsAdapter {
  const launch = parseTinCanLaunch(options.url ?? pageUrl());
  if (!launch) return createLocalAdapter();
  const storage = options.storage !== undefined ? options.storage : localStore();
  const hidden = options.hidden ?? pageHidden;
  let listener: (s: AdapterStatus) => void = () => {};
  let tracker: Tracker | null = null;
  return {
    limits: XAPI_LIMITS,
    async start(course) {
      const lrs = createLrs({ endpoint: launch.endpoint, auth: launch.auth, fetch: options.fetch });
      // The LMS knows the package by the id in tincan.xml, which is the course IRI; an LMS that
      // launches it under another id gets its own id back.
      const rootId = launch.activityId || course.id;
      const { tracker: t, learnerId, opened } = await openTracker({
        course,
        lrs,
        actor: launch.actor,
        registration: launch.registration,
        root: activity(rootId, courseDefinition(course)),
        stateActivityId: rootId,
        mode: 'normal',
      }, { storage, onStatus: (s) => listener(s), hidden, options });
      tracker = t;
      return {
        learnerId,
        learnerName: launch.actor.name || '',
        state: opened.state,
        bookmark: opened.bookmark,
        mode: 'normal',
        storage: 'lms',
      };
    },
    saveState: (location, encoded) => tracker?.saveState(location, encoded),
    recordInteraction: (r) => tracker?.recordInteraction(r),
    setProgress: (measure, completed) => tracker?.setProgress(measure, completed),
    setScore: (raw, min, max, passed) => tracker?.setScore(raw, min, max, passed),
    commit: () => tracker?.commit(hidden()),
    finish: (exit) => tracker?.finish(exit),
    onStatus(l) {
      listener = l;
    },
  };
}

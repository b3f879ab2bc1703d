/**
 * cmi5 (Quartz) Assignable Unit, written from the spec on fetch and the shared xAPI pieces
 * (@xapi/cmi5 would not fit the 35 KB runtime budget: ~31 KB min+gz on its own).
 *
 * Launch sequence (cmi5 §8–§11), all before the first statement:
 * 1. Query string: endpoint, fetch, actor, registration, activityId (§8.1).
 * 2. One POST to `fetch` → `{"auth-token": …}`, sent as `Authorization: Basic <token>` (§8.2). The
 *    URL is single-use, so the token is kept in sessionStorage under the fetch URL: a reload in
 *    the same tab reuses it instead of POSTing again (which the LMS answers with an error).
 * 3. GET State `LMS.LaunchData` (§10): contextTemplate, launchMode, masteryScore, moveOn, returnURL.
 * 4. GET Agent Profile `cmi5LearnerPreferences` (§11; 404 = no preferences). ADL's cmi5 player
 *    refuses any statement sent before this read.
 * 5. Earlier sessions' queued statements, then `initialized`.
 *
 * A session ends with `terminated` (§9.3.8) — on pagehide, or from the Exit button when the LMS
 * gave a returnURL (the entry then sends the learner there, §10.2.6). The token and session are
 * limited to that session (§8.2.1): a reload after `terminated` finds the session ended and plays
 * the course read-only, sending nothing (the LMS would reject it), until the LMS launches anew.
 * A reload that lost its pagehide (a crash) continues the session without a second `initialized`.
 */
import type { AdapterStatus, LaunchMode, LmsAdapter, StartInfo } from './types.ts';
import { createLocalAdapter } from './local.ts';
import { localStore, openTracker, pageHidden, pageUrl } from './xapi.ts';
import { parseCmi5Launch } from '../xapi/launch.ts';
import { createLrs, readDocument, sleep, type Fetch } from '../xapi/lrs.ts';
import type { KeyValueStore } from '../xapi/queue.ts';
import { activity, type Context } from '../xapi/statements.ts';
import { XAPI_LIMITS, type Tracker } from '../xapi/tracker.ts';

export interface Cmi5AdapterOptions {
  url?: string;
  fetch?: Fetch;
  storage?: KeyValueStore | null;
  /** Where the auth token is kept for the session (default sessionStorage). */
  session?: KeyValueStore | null;
  saveDelayMs?: number;
  baseDelayMs?: number;
  wait?: (ms: number) => Promise<void>;
  hidden?: () => boolean;
}

export interface LaunchData {
  contextTemplate: Context;
  launchMode: 'Normal' | 'Browse' | 'Review';
  masteryScore: number | null;
  moveOn: string;
  returnURL: string;
  launchParameters: string;
}

export interface LearnerPreferences {
  languagePreference?: string;
  audioPreference?: 'on' | 'off';
}

export interface Cmi5Adapter extends LmsAdapter {
  /** LaunchData, once started (null before, or when the launch failed). */
  launchData(): LaunchData | null;
  preferences(): LearnerPreferences | null;
  /** This launch's session had already ended (a reload after `terminated`). */
  sessionEnded(): boolean;
  /** Ends the session now (terminated) and waits up to `ms` for the LRS. */
  exit(ms?: number): Promise<void>;
}

function sessionStore(): KeyValueStore | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

const isObj = (x: unknown): x is Record<string, any> => !!x && typeof x === 'object' && !Array.isArray(x);
const MODES: Record<string, LaunchMode> = { Normal: 'normal', Browse: 'browse', Review: 'review' };

export function readLaunchData(doc: unknown): LaunchData | null {
  if (!isObj(doc)) return null;
  const m = Number(doc.masteryScore);
  return {
    contextTemplate: isObj(doc.contextTemplate) ? doc.contextTemplate : {},
    launchMode: doc.launchMode in MODES ? doc.launchMode : 'Normal',
    masteryScore: doc.masteryScore !== undefined && doc.masteryScore !== null && m >= 0 && m <= 1 ? m : null,
    moveOn: typeof doc.moveOn === 'string' ? doc.moveOn : '',
    returnURL: typeof doc.returnURL === 'string' ? doc.returnURL : '',
    launchParameters: typeof doc.launchParameters === 'string' ? doc.launchParameters : '',
  };
}

/** The auth token's Authorization value (RFC 1945 Basic), unless the LMS already gave a scheme. */
export const authorization = (token: string): string => (/^(basic|bearer) /i.test(token) ? token : `Basic ${token}`);

/** One POST to the fetch URL (a second only if the first never reached it). '' on failure. */
async function fetchToken(url: string, f: Fetch): Promise<string> {
  for (let i = 0; i < 2; i++) {
    let res: Response;
    try {
      res = await f(url, { method: 'POST', cache: 'no-store' });
    } catch {
      await sleep(500);
      continue;
    }
    try {
      const body = await res.json();
      const token = body?.['auth-token'];
      if (typeof token === 'string' && token) return token;
      console.warn('coursepack: the cmi5 fetch URL gave no auth-token', body);
    } catch {
      /* not JSON */
    }
    return '';
  }
  return '';
}

export function createCmi5Adapter(options: Cmi5AdapterOptions = {}): Cmi5Adapter {
  const launch = parseCmi5Launch(options.url ?? pageUrl());
  const storage = options.storage !== undefined ? options.storage : localStore();
  const session = options.session !== undefined ? options.session : sessionStore();
  const hidden = options.hidden ?? pageHidden;
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const sessionKey = launch ? 'cp-cmi5:' + launch.fetch : '';
  let listener: (s: AdapterStatus) => void = () => {};
  let tracker: Tracker | null = null;
  let local: LmsAdapter | null = null;
  let data: LaunchData | null = null;
  let prefs: LearnerPreferences | null = null;
  let ended = false;

  /** What this tab knows of the launch: sessionStorage, keyed by the single-use fetch URL. */
  type Kept = { token?: string; initialized?: boolean; ended?: boolean };
  const remembered = (): Kept => {
    try {
      return JSON.parse(session?.getItem(sessionKey) || '{}') || {};
    } catch {
      return {};
    }
  };
  const remember = (v: Kept): void => {
    try {
      session?.setItem(sessionKey, JSON.stringify({ ...remembered(), ...v }));
    } catch {
      /* a reload would then need a new launch */
    }
  };

  /** The launch cannot be used: the course runs on this browser's storage, and says so. */
  function fallBack(course: Parameters<LmsAdapter['start']>[0], why: string): StartInfo | Promise<StartInfo> {
    console.warn(`coursepack: cmi5 launch failed (${why}); progress is kept in this browser only.`);
    local = createLocalAdapter();
    local.onStatus(listener);
    return local.start(course);
  }

  const markEnded = (): void => remember({ ended: true });

  return {
    limits: XAPI_LIMITS,
    async start(course) {
      if (!launch) return fallBack(course, 'no launch parameters');
      const kept = remembered();
      let token = kept.token || '';
      if (!token) {
        token = await fetchToken(launch.fetch, fetchFn);
        if (!token) return fallBack(course, 'no auth token');
        remember({ token });
      }
      ended = !!kept.ended;
      const lrs = createLrs({ endpoint: launch.endpoint, auth: authorization(token), fetch: options.fetch });
      const agent = JSON.stringify(launch.actor);
      const read = await readDocument(
        lrs,
        'activities/state',
        { activityId: launch.activityId, agent, registration: launch.registration, stateId: 'LMS.LaunchData' },
        { wait: options.wait },
      );
      data = read.ok ? readLaunchData(read.doc) : null;
      if (!data) return fallBack(course, read.ok ? 'no LMS.LaunchData' : `LMS.LaunchData: HTTP ${read.status}`);
      // §11: read before any statement; 404 (or anything but a JSON object) = no preferences.
      const p = await readDocument(lrs, 'agents/profile', { agent, profileId: 'cmi5LearnerPreferences' }, { wait: options.wait });
      prefs = p.ok && isObj(p.doc) ? (p.doc as LearnerPreferences) : null;

      const mode = MODES[data.launchMode];
      const { tracker: t, learnerId, opened } = await openTracker({
        course,
        lrs,
        actor: launch.actor,
        registration: launch.registration,
        root: activity(launch.activityId),
        stateActivityId: launch.activityId,
        mode,
        cmi5: { template: data.contextTemplate, masteryScore: data.masteryScore },
        silent: ended,
        continued: !!kept.initialized,
      }, { storage, onStatus: (s) => listener(s), hidden, options });
      tracker = t;
      if (!ended) remember({ initialized: true });
      return {
        learnerId,
        learnerName: launch.actor.name || '',
        state: opened.state,
        bookmark: opened.bookmark,
        // An ended session is looked at, not recorded: the player shows it read-only.
        mode: ended ? 'review' : mode,
        storage: 'lms',
      };
    },
    saveState: (location, encoded) => (local ?? tracker)?.saveState(location, encoded),
    recordInteraction: (r) => tracker?.recordInteraction(r),
    setProgress: (measure, completed) => tracker?.setProgress(measure, completed),
    setScore: (raw, min, max, passed) => tracker?.setScore(raw, min, max, passed),
    commit: () => tracker?.commit(hidden()),
    finish(exit) {
      if (!tracker || ended) return;
      ended = true;
      markEnded();
      tracker.finish(exit);
    },
    onStatus(l) {
      listener = l;
      local?.onStatus(l);
    },
    launchData: () => data,
    preferences: () => prefs,
    sessionEnded: () => ended,
    async exit(ms = 5000) {
      if (!tracker || ended) return;
      ended = true;
      markEnded();
      tracker.finish('suspend', false);
      await tracker.settled(ms);
    },
  };
}

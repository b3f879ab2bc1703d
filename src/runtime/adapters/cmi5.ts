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
import type { RuntimeCourse } from '../../model.ts';
import type { LaunchMode, LmsAdapter } from './types.ts';
import { createXapiSession, pageUrl, webStorage, type XapiAdapterOptions } from './xapi-session.ts';
import { parseCmi5Launch, type Cmi5Launch } from '../xapi/launch.ts';
import { createLrs, readDocument, type Fetch, type Lrs } from '../xapi/lrs.ts';
import type { KeyValueStore } from '../xapi/queue.ts';
import { retry } from '../retry.ts';
import { CMI5_LAUNCH_DATA, CMI5_LEARNER_PREFERENCES } from '../xapi/cmi5-vocabulary.ts';
import { activity, type Context } from '../xapi/statements.ts';
import type { Tracker } from '../xapi/tracker.ts';

export interface Cmi5AdapterOptions extends XapiAdapterOptions {
  /** Where the auth token is kept for the session (default sessionStorage). */
  session?: KeyValueStore | null;
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
    returnURL: typeof doc.returnURL === 'string' ? safeReturnUrl(doc.returnURL) : '',
    launchParameters: typeof doc.launchParameters === 'string' ? doc.launchParameters : '',
  };
}

/**
 * The returnURL when the learner may be sent there: http or https only. Anything else
 * (`javascript:`, `data:`, a malformed URL) would run or load something in the course's origin
 * instead of leading back to the LMS, so the course offers no Exit button then.
 */
export function safeReturnUrl(url: string, base: string | undefined = typeof location === 'undefined' ? undefined : location.href): string {
  try {
    const protocol = new URL(url, base).protocol;
    if (protocol === 'https:' || protocol === 'http:') return url;
  } catch {
    /* not a URL */
  }
  if (url) console.warn('coursepack: the cmi5 returnURL is not an http(s) URL; it is ignored.', url);
  return '';
}

/** The auth token's Authorization value (RFC 1945 Basic), unless the LMS already gave a scheme. */
export const authorization = (token: string): string => (/^(basic|bearer) /i.test(token) ? token : `Basic ${token}`);

/** One POST to the fetch URL (a second only if the first never reached it). '' on failure. */
function fetchToken(url: string, f: Fetch): Promise<string> {
  return retry<string>(
    async () => {
      let res: Response;
      try {
        res = await f(url, { method: 'POST', cache: 'no-store' });
      } catch {
        return { ok: false, value: '', retry: true };
      }
      try {
        const body = await res.json();
        const token = body?.['auth-token'];
        if (typeof token === 'string' && token) return { ok: true, value: token };
        console.warn('coursepack: the cmi5 fetch URL gave no auth-token', body);
      } catch {
        /* not JSON */
      }
      return { ok: true, value: '' };
    },
    { tries: 2, base: 500, cap: 500 },
  );
}

/** What this tab knows of a launch, kept in sessionStorage under the single-use fetch URL. */
interface TabMemory {
  token?: string;
  initialized?: boolean;
  ended?: boolean;
}

function tabMemory(store: KeyValueStore | null, key: string) {
  const recall = (): TabMemory => {
    try {
      return JSON.parse(store?.getItem(key) || '{}') || {};
    } catch {
      return {};
    }
  };
  const note = (v: TabMemory): void => {
    try {
      store?.setItem(key, JSON.stringify({ ...recall(), ...v }));
    } catch {
      /* a reload would then need a new launch */
    }
  };
  return { recall, note };
}

/** Steps 3 and 4 of the launch: LMS.LaunchData (or why it is unusable), then the learner's preferences. */
async function readLaunchDocuments(lrs: Lrs, launch: Cmi5Launch, wait?: (ms: number) => Promise<void>) {
  const agent = JSON.stringify(launch.actor);
  const query = { activityId: launch.activityId, agent, registration: launch.registration, stateId: CMI5_LAUNCH_DATA };
  const read = await readDocument(lrs, 'activities/state', query, { wait });
  const data = read.ok ? readLaunchData(read.doc) : null;
  if (!data) return { data, problem: read.ok ? 'no LMS.LaunchData' : `LMS.LaunchData: HTTP ${read.status}`, prefs: null };
  // §11: read before any statement; 404 (or anything but a JSON object) = no preferences.
  const p = await readDocument(lrs, 'agents/profile', { agent, profileId: CMI5_LEARNER_PREFERENCES }, { wait });
  return { data, problem: '', prefs: p.ok && isObj(p.doc) ? (p.doc as LearnerPreferences) : null };
}

export function createCmi5Adapter(options: Cmi5AdapterOptions = {}): Cmi5Adapter {
  const launch = parseCmi5Launch(options.url ?? pageUrl());
  const xapi = createXapiSession(options);
  const tab = tabMemory(options.session !== undefined ? options.session : webStorage('sessionStorage'), launch ? 'cp-cmi5:' + launch.fetch : '');
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const fallBack = (course: RuntimeCourse, why: string) => xapi.fallBack(course, `cmi5 launch failed (${why})`);
  let data: LaunchData | null = null;
  let prefs: LearnerPreferences | null = null;
  let ended = false;

  /** Ends the session once: `terminated`, and this tab remembers it. */
  function end(): Tracker | null {
    const tracker = xapi.tracker();
    if (!tracker || ended) return null;
    ended = true;
    tab.note({ ended: true });
    return tracker;
  }

  return {
    ...xapi.calls,
    async start(course) {
      if (!launch) return fallBack(course, 'no launch parameters');
      const kept = tab.recall();
      const token = kept.token || (await fetchToken(launch.fetch, fetchFn));
      if (!token) return fallBack(course, 'no auth token');
      if (!kept.token) tab.note({ token });
      ended = !!kept.ended;
      const lrs = createLrs({ endpoint: launch.endpoint, auth: authorization(token), fetch: options.fetch });
      const read = await readLaunchDocuments(lrs, launch, options.wait);
      data = read.data;
      prefs = read.prefs;
      if (!data) return fallBack(course, read.problem);
      const mode = MODES[data.launchMode];
      const session = {
        course,
        lrs,
        actor: launch.actor,
        registration: launch.registration,
        root: activity(launch.activityId),
        stateActivityId: launch.activityId,
        mode,
        cmi5: { template: data.contextTemplate, masteryScore: data.masteryScore },
        silent: ended,
      };
      // An ended session is looked at, not recorded: the player shows it read-only.
      const info = await xapi.open(session, ended ? 'review' : mode, !!kept.initialized);
      if (!ended) tab.note({ initialized: true });
      return info;
    },
    finish: (exit) => end()?.finish(exit),
    launchData: () => data,
    preferences: () => prefs,
    sessionEnded: () => ended,
    async exit(ms = 5000) {
      const tracker = end();
      if (!tracker) return;
      tracker.finish('suspend', false);
      await tracker.settled(ms);
    },
  };
}

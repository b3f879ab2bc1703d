/**
 * The part of an xAPI adapter that both targets share once the launch is done: the learner state
 * in the State resource, the statements of the session, the queue, and the health report.
 *
 * State document (`coursepack-state`, JSON, PUT whole; State writes need no If-Match in 1.0.3):
 *   { "v": 1, "location": "<page id>", "state": "<encoded learner state>",
 *     "verdicts": ["completed", "passed" | "failed"], "saved": <ms> }
 * `verdicts` are the verdict statements already sent in this registration (also mirrored in
 * localStorage): a verdict is never sent twice.
 *
 * Profiles:
 * - `xapi`: initialized (then resumed when a state existed), experienced per page, answered,
 *   completed, passed/failed (failed → passed allowed), suspended + terminated on leaving.
 * - `cmi5`: the cmi5 rules (§9.3): initialized first, terminated last; completed and passed at
 *   most once per registration; failed at most once and never after passed; at most one of
 *   passed/failed per session — so a failure is held until the session ends (a later pass in the
 *   same session replaces it); no completed/passed/failed (nor answers, which the player does not
 *   record either) outside Normal mode; passed/failed judged against the LaunchData masteryScore.
 */
import type { Agent } from '@xapi/xapi';
import type { RuntimeCourse } from '../../model.ts';
import type { AdapterStatus, InteractionRecord, LaunchMode } from '../adapters/types.ts';
import { decodeState } from '../state.ts';
import { isoDuration } from '../time.ts';
import { agentKey } from './launch.ts';
import { backoff, byteLength, KEEPALIVE_BUDGET, readDocument, retryAfter, transient, type Lrs } from './lrs.ts';
import { createStatementQueue, type KeyValueStore, type StatementQueue } from './queue.ts';
import {
  activity,
  activityIds,
  answeredResult,
  buildStatement,
  CMI5,
  interactionDefinition,
  moduleActivity,
  pageActivity,
  PLATFORM,
  score,
  type Activity,
  type Context,
  type Result,
  type VerbName,
} from './statements.ts';

export const STATE_ID = 'coursepack-state';

/** State in the LRS: generous, far beyond SCORM (workbook and capstone texts live in it). */
export const XAPI_LIMITS = { stateChars: 1_000_000, locationChars: 1000 };

export type Verdict = 'completed' | 'passed' | 'failed';

export interface Cmi5Rules {
  /** The LaunchData contextTemplate (session id extension, publisher id grouping). */
  template: Context;
  /** LaunchData masteryScore, or null. */
  masteryScore: number | null;
}

export interface TrackerOptions {
  course: RuntimeCourse;
  lrs: Lrs;
  actor: Agent;
  /** '' when the launch gave none (Tin Can allows that). */
  registration: string;
  /** Object of the course-level statements (xAPI: the course; cmi5: the AU's launch activityId). */
  root: Activity;
  /** activityId of the State resource. */
  stateActivityId: string;
  mode: LaunchMode;
  cmi5?: Cmi5Rules;
  /** No statements at all (a cmi5 session that has already ended); the state is only read. */
  silent?: boolean;
  /** The session was initialized by an earlier page (a reload that lost its pagehide): no second `initialized`. */
  continued?: boolean;
  storage: KeyValueStore | null;
  onStatus: (s: AdapterStatus) => void;
  /** The encoded state this device kept (used only when the LRS cannot be read at start). */
  deviceState?: () => string;
  saveDelayMs?: number;
  baseDelayMs?: number;
  wait?: (ms: number) => Promise<void>;
  /** Whether the page is hidden (it may be going away). */
  hidden?: () => boolean;
}

export interface Opened {
  state: string;
  bookmark: string;
  /** A state document existed: this is a return to the course. */
  returning: boolean;
}

interface StateDoc {
  location: string;
  state: string;
  verdicts: Verdict[];
}

export interface Tracker {
  open(): Promise<Opened>;
  saveState(location: string, encoded: string): void;
  recordInteraction(r: InteractionRecord): void;
  setProgress(measure: number, completed: boolean): void;
  setScore(raw: number, min: number, max: number, passed: boolean | null): void;
  /** `hidden`: the page is hidden and may be discarded (keepalive requests). */
  commit(hidden?: boolean): void;
  /** Sends the closing statements; `leaving`: the page is going away (keepalive requests). */
  finish(exit: 'suspend' | 'normal', leaving?: boolean): void;
  /** Resolves when the statements and the state are with the LRS (or after `ms`). */
  settled(ms: number): Promise<boolean>;
  readonly queue: StatementQueue;
  readonly verdicts: ReadonlySet<Verdict>;
}

const readDoc = (x: unknown): StateDoc | null => {
  if (!x || typeof x !== 'object') return null;
  const d = x as Record<string, unknown>;
  return {
    location: typeof d.location === 'string' ? d.location : '',
    state: typeof d.state === 'string' ? d.state : '',
    verdicts: Array.isArray(d.verdicts) ? (d.verdicts.filter((v) => ['completed', 'passed', 'failed'].includes(v)) as Verdict[]) : [],
  };
};

export function createTracker(o: TrackerOptions): Tracker {
  const { course, lrs, actor, registration, root } = o;
  const language = course.language;
  const ids = activityIds(course.id);
  const cmi5 = o.cmi5;
  const tracking = o.mode === 'normal' && !o.silent;
  const key = `${lrs.endpoint}|${registration}|${agentKey(actor)}`;
  const verdictKey = `cp-xv:${key}|${o.stateActivityId}`;
  const stateQuery: Record<string, string> = { activityId: o.stateActivityId, agent: JSON.stringify(actor), stateId: STATE_ID };
  if (registration) stateQuery.registration = registration;
  const wait = o.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  // ---- health: the player shows one notice while any channel is in trouble ------------------
  const failing = new Map<string, string>();
  let reportedOk = true;
  function health(channel: string, ok: boolean, code?: string): void {
    if (ok) failing.delete(channel);
    else failing.set(channel, code || channel);
    const now = failing.size === 0;
    if (now !== reportedOk || (!now && !ok)) {
      reportedOk = now;
      o.onStatus(now ? { ok: true } : { ok: false, code: [...failing.values()].join(' ') });
    }
  }

  const queue = createStatementQueue({
    lrs,
    key: 'cp-xq:' + key,
    storage: o.storage,
    baseDelayMs: o.baseDelayMs,
    wait: o.wait ? (ms) => o.wait!(ms) : undefined,
    onStatus: (ok, code) => health('statements', ok, code),
  });

  // ---- verdicts: never the same one twice per registration ----------------------------------
  const verdicts = new Set<Verdict>();
  try {
    for (const v of JSON.parse(o.storage?.getItem(verdictKey) || '[]')) verdicts.add(v);
  } catch {
    /* none kept here */
  }

  // ---- statements ----------------------------------------------------------------------------
  let last = 0;
  let began = Date.now();
  let ended = false;
  /** The closing statements of a page that is going away: kept, sent by the keepalive flush. */
  let unloading = false;
  let later: ReturnType<typeof setTimeout> | undefined;
  /** Monotonic timestamps: cmi5 orders a session by timestamp (initialized first, terminated last). */
  const tick = (): number => (last = Math.max(Date.now(), last + 1));
  const base: Context = { registration: registration || undefined, platform: PLATFORM, language };

  function emit(verb: VerbName, object: Activity, result: Result | undefined, context: Context, defined = false): void {
    if (o.silent || ended) return;
    const ctx: Context = { ...base, ...context };
    if (cmi5 && defined) {
      // cmi5 defined statements: the cmi5 category; with success or completion also moveOn.
      const moveOn = result && (result.success !== undefined || result.completion !== undefined);
      ctx.contextActivities = {
        ...ctx.contextActivities,
        category: [activity(CMI5.category), ...(moveOn ? [activity(CMI5.moveOn)] : [])],
      };
    }
    if (!ctx.registration) delete ctx.registration;
    const s = buildStatement(actor, cmi5?.template, { verb, object, result, context: ctx, at: tick() });
    if (unloading) queue.hold(s);
    else if (o.hidden?.()) {
      // Hidden: the page may be going away, and a plain request could land after the closing
      // keepalive batch. Kept for that batch; sent normally if the page is still here in a second.
      queue.hold(s);
      clearTimeout(later);
      later = setTimeout(() => void queue.flush(), 1000);
    } else queue.push(s);
  }

  const session = (): string => isoDuration(Date.now() - began);
  const courseLevel = (verb: VerbName, result?: Result, extensions?: Record<string, unknown>): void =>
    emit(verb, root, result, extensions ? { extensions } : {}, true);

  function verdict(v: Verdict, result: Result): void {
    verdicts.add(v);
    try {
      o.storage?.setItem(verdictKey, JSON.stringify([...verdicts]));
    } catch {
      /* the state document keeps them too */
    }
    const mastery = cmi5?.masteryScore;
    courseLevel(v, { ...result, duration: session() }, v !== 'completed' && mastery != null ? { [CMI5.masteryScore]: mastery } : undefined);
    dirty = true;
    if (!unloading) void writeState(); // at once: a lost verdict record would repeat the verdict
  }

  // ---- state document ------------------------------------------------------------------------
  let doc: StateDoc = { location: '', state: '', verdicts: [] };
  let dirty = false;
  let stateKnown = false;
  let startedFrom = 0;
  let conflict = false;
  let writing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stateFailures = 0;

  const body = (): string =>
    JSON.stringify({ v: 1, location: doc.location, state: doc.state, verdicts: [...verdicts], saved: Date.now() });

  /**
   * The LRS could not be read at start, so we began from this device's copy: before the first
   * write, read again, and never overwrite a document newer than the one we started from.
   */
  async function confirm(): Promise<boolean> {
    if (stateKnown) return true;
    const r = await readDocument(lrs, 'activities/state', stateQuery, { attempts: 1 });
    if (!r.ok) return false;
    const remote = readDoc(r.doc);
    if (remote && decodeState(remote.state).updated > startedFrom) {
      conflict = true;
      health('state', false, 'state-conflict');
      return false;
    }
    remote?.verdicts.forEach((v) => verdicts.add(v));
    stateKnown = true;
    return true;
  }

  function writeState(): Promise<void> {
    clearTimeout(timer);
    if (!writing && dirty && !o.silent && !conflict) {
      writing = (async () => {
        while (dirty && !conflict) {
          let status = 0;
          let res: Response | null = null;
          if (await confirm()) {
            dirty = false;
            try {
              res = await lrs.request('PUT', 'activities/state', stateQuery, body());
              status = res.status;
            } catch {
              status = 0;
            }
            if (res?.ok) {
              stateFailures = 0;
              health('state', true);
              continue;
            }
            dirty = true;
          } else if (conflict) break;
          stateFailures++;
          if (stateFailures >= 2 || !transient(status)) health('state', false, status ? `state-${status}` : 'state-network');
          if (!transient(status)) break; // refused: tried again at the next save, never in a loop
          await wait(backoff(stateFailures, o.baseDelayMs ?? 1000, 60_000, retryAfter(res)));
        }
      })().finally(() => {
        writing = null;
      });
    }
    return writing ?? Promise.resolve();
  }

  const scheduleWrite = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void writeState(), o.saveDelayMs ?? 2000);
  };

  /**
   * The page is hidden or going away: keepalive requests, statements first, the state after them
   * if it fits (< 64 KiB in all). What does not arrive stays queued here for the next launch, and
   * the player keeps its own copy of the state on this device.
   */
  function stash(): void {
    clearTimeout(timer);
    const used = queue.flushOnExit(KEEPALIVE_BUDGET);
    if (!dirty || o.silent || !stateKnown || conflict) return;
    const text = body();
    dirty = false;
    const retry = (): void => {
      dirty = true;
      if (!ended) scheduleWrite();
    };
    lrs
      .request('PUT', 'activities/state', stateQuery, text, byteLength(text) <= KEEPALIVE_BUDGET - used)
      .then((res) => (res.ok ? health('state', true) : retry()), retry);
  }

  // ---- the session ---------------------------------------------------------------------------
  let lastPage = '';
  let heldFailure: Result | null = null;

  return {
    queue,
    verdicts,

    async open() {
      const read = await readDocument(lrs, 'activities/state', stateQuery, { attempts: 2, wait });
      let returning = false;
      if (read.ok) {
        stateKnown = true;
        const remote = readDoc(read.doc);
        if (remote) {
          doc = remote;
          remote.verdicts.forEach((v) => verdicts.add(v));
          returning = !!remote.state;
        }
      } else {
        // Unreachable: resume from this device's copy rather than from nothing; writes wait until
        // the LRS can be read again (see confirm).
        doc = { location: '', state: o.deviceState?.() || '', verdicts: [] };
        startedFrom = decodeState(doc.state).updated;
        health('state', false, read.status ? `state-${read.status}` : 'state-network');
      }
      began = Date.now();
      // Every session begins with `initialized` (cmi5 §9.3.2 too), unless this page continues a
      // session an earlier page began; xAPI then says `resumed` when the learner comes back to a
      // suspended attempt.
      if (!o.continued) emit('initialized', root, undefined, {}, true);
      if (!cmi5 && returning && tracking) emit('resumed', root, undefined, {}, true);
      void queue.flush(); // earlier sessions' leftovers go first, then this session's
      return { state: doc.state, bookmark: doc.location, returning };
    },

    saveState(location, encoded) {
      if (!tracking || ended) return;
      if (location && location !== lastPage && course.pages.some((p) => p.id === location)) {
        lastPage = location;
        const page = course.pages.find((p) => p.id === location)!;
        const parent = page.moduleId ? moduleActivity(course, ids, page.moduleId) : root;
        emit('experienced', pageActivity(course, ids, location), undefined, {
          contextActivities: { parent: [parent], ...(page.moduleId ? { grouping: [activity(root.id)] } : {}) },
        });
      }
      if (location !== doc.location || encoded !== doc.state) {
        doc = { ...doc, location, state: encoded };
        dirty = true;
        scheduleWrite();
      }
    },

    recordInteraction(r) {
      if (!tracking || ended) return;
      const it = course.interactions[r.id];
      const page = course.pages.find((p) => p.id === r.pageId);
      const grouping = [activity(root.id)];
      if (page?.moduleId) grouping.push(activity(ids.module(page.moduleId)));
      emit(
        'answered',
        activity(ids.interaction(r.id), interactionDefinition(it, r, language)),
        answeredResult(r, language),
        { contextActivities: { parent: [page ? pageActivity(course, ids, page.id) : activity(root.id)], grouping } },
      );
    },

    setProgress(_measure, completed) {
      if (!tracking || ended || !completed || verdicts.has('completed')) return;
      verdict('completed', { completion: true });
    },

    setScore(raw, min, max, passed) {
      if (!tracking || ended || passed === null || verdicts.has('passed')) return;
      const s = score(raw, min, max, !!cmi5);
      // cmi5 §10.2.4: passed/failed follow the LMS's masteryScore when it gives one.
      const pass = cmi5 && cmi5.masteryScore !== null ? s.scaled >= cmi5.masteryScore : passed;
      if (pass) {
        heldFailure = null;
        verdict('passed', { score: s, success: true });
      } else if (!verdicts.has('failed')) {
        if (cmi5) heldFailure = { score: s, success: false };
        else verdict('failed', { score: s, success: false });
      }
    },

    commit(hidden = false) {
      if (ended) return;
      if (hidden) return stash();
      if (dirty) void writeState();
      void queue.flush();
    },

    finish(exit, leaving = true) {
      if (ended) return;
      unloading = leaving;
      if (heldFailure && !verdicts.has('passed') && !verdicts.has('failed')) verdict('failed', heldFailure);
      if (!cmi5 && exit === 'suspend' && tracking) courseLevel('suspended', { duration: session() });
      courseLevel('terminated', { duration: session() });
      ended = true;
      clearTimeout(timer);
      if (leaving) stash();
      else {
        void writeState();
        void queue.flush();
      }
    },

    async settled(ms) {
      const timeout = new Promise<void>((r) => setTimeout(r, ms));
      const [ok] = await Promise.all([queue.drained(ms), Promise.race([writeState(), timeout])]);
      return ok && !dirty;
    },
  };
}

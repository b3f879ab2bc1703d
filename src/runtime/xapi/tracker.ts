/**
 * The part of an xAPI adapter that both targets share once the launch is done: it turns the
 * player's calls into the session's statements (emitter.ts), keeps the learner state in the State
 * resource (state-document.ts), never sends a verdict twice (verdicts.ts), and reports one health
 * status (health.ts).
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
import type { RuntimeCourse, RuntimePage } from '../../model.ts';
import type { AdapterStatus, InteractionRecord, LaunchMode } from '../adapters/types.ts';
import { isoDuration } from '../time.ts';
import { sleep } from '../retry.ts';
import { createEmitter } from './emitter.ts';
import { createHealth } from './health.ts';
import { agentKey } from './launch.ts';
import { KEEPALIVE_BUDGET, type Lrs } from './lrs.ts';
import { createStatementQueue, type KeyValueStore, type StatementQueue } from './queue.ts';
import { createStateDocument, STATE_ID } from './state-document.ts';
import { QUEUE_KEY_PREFIX } from './stored-list.ts';
import {
  activity,
  activityIds,
  answeredResult,
  CMI5,
  interactionDefinition,
  moduleActivity,
  pageActivity,
  score,
  type Activity,
  type ActivityIds,
  type Context,
  type Result,
} from './statements.ts';
import { createVerdictLog, type Verdict } from './verdicts.ts';

export { STATE_ID } from './state-document.ts';
export type { Verdict } from './verdicts.ts';

/** State in the LRS: generous, far beyond SCORM (workbook and capstone texts live in it). */
export const XAPI_LIMITS = { stateChars: 1_000_000, locationChars: 1000 };

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

/** The `experienced` statement's object and context for a page. */
function experienced(course: RuntimeCourse, ids: ActivityIds, root: Activity, page: RuntimePage): [Activity, Context] {
  const parent = page.moduleId ? moduleActivity(course, ids, page.moduleId) : root;
  return [
    pageActivity(course, ids, page.id),
    { contextActivities: { parent: [parent], ...(page.moduleId ? { grouping: [activity(root.id)] } : {}) } },
  ];
}

/** The `answered` statement's object, result and context for an interaction record. */
function answered(course: RuntimeCourse, ids: ActivityIds, root: Activity, r: InteractionRecord): [Activity, Result, Context] {
  const page = course.pages.find((p) => p.id === r.pageId);
  const grouping = [activity(root.id)];
  if (page?.moduleId) grouping.push(activity(ids.module(page.moduleId)));
  return [
    activity(ids.interaction(r.id), interactionDefinition(course.interactions[r.id], r, course.language)),
    answeredResult(r, course.language),
    { contextActivities: { parent: [page ? pageActivity(course, ids, page.id) : activity(root.id)], grouping } },
  ];
}

/** The channels of a session: statements (queue, emitter), the State document, verdicts, health. */
function createParts(options: TrackerOptions, ended: () => boolean) {
  const { lrs, actor, registration } = options;
  const key = `${lrs.endpoint}|${registration}|${agentKey(actor)}`;
  const query: Record<string, string> = { activityId: options.stateActivityId, agent: JSON.stringify(actor), stateId: STATE_ID };
  if (registration) query.registration = registration;
  const health = createHealth(options.onStatus);
  const queue = createStatementQueue({
    lrs,
    key: QUEUE_KEY_PREFIX + key,
    storage: options.storage,
    baseDelayMs: options.baseDelayMs,
    wait: options.wait ? (ms) => options.wait!(ms) : undefined,
    onStatus: (ok, code) => health('statements', ok, code),
  });
  const verdicts = createVerdictLog(options.storage, `cp-xv:${key}|${options.stateActivityId}`);
  const wait = options.wait ?? sleep;
  const stateDoc = createStateDocument({ ...options, query, verdicts, health, readOnly: !!options.silent, ended, wait });
  const emitter = createEmitter({
    actor,
    registration,
    language: options.course.language,
    cmi5Template: options.cmi5?.template,
    queue,
    hidden: options.hidden,
    open: () => !options.silent && !ended(),
  });
  return { queue, verdicts, stateDoc, emitter };
}

export function createTracker(options: TrackerOptions): Tracker {
  const { course, root } = options;
  const ids = activityIds(course.id);
  const cmi5 = options.cmi5;
  const tracking = options.mode === 'normal' && !options.silent;
  const wait = options.wait ?? sleep;
  let began = Date.now();
  let ended = false;
  let lastPage = '';
  /** cmi5: a failure waits for the session's end, where a pass in the same session replaces it. */
  let heldFailure: Result | null = null;
  const { queue, verdicts, stateDoc, emitter } = createParts(options, () => ended);
  const emit = emitter.emit;

  const duration = (): string => isoDuration(Date.now() - began);
  const courseLevel = (verb: 'initialized' | 'resumed' | 'suspended' | 'terminated' | Verdict, result?: Result, extensions?: Record<string, unknown>): void =>
    emit(verb, root, result, extensions ? { extensions } : {}, true);

  function sendVerdict(v: Verdict, result: Result): void {
    verdicts.add(v);
    const mastery = cmi5?.masteryScore;
    courseLevel(v, { ...result, duration: duration() }, v !== 'completed' && mastery != null ? { [CMI5.masteryScore]: mastery } : undefined);
    stateDoc.verdictAdded(!emitter.unloading);
  }

  /**
   * The page is hidden or going away: keepalive requests, statements first, the state after them
   * if it fits (< 64 KiB in all). What does not arrive stays queued here for the next launch, and
   * the player keeps its own copy of the state on this device.
   */
  const sendOnExit = (): void => stateDoc.sendOnExit(queue.flushOnExit(KEEPALIVE_BUDGET));

  return {
    queue,
    verdicts: verdicts.sent,

    async open() {
      const opened = await stateDoc.open(wait);
      began = Date.now();
      // Every session begins with `initialized` (cmi5 §9.3.2 too), unless this page continues a
      // session an earlier page began; xAPI then says `resumed` when the learner comes back to a
      // suspended attempt.
      if (!options.continued) courseLevel('initialized');
      if (!cmi5 && opened.returning && tracking) courseLevel('resumed');
      void queue.flush(); // earlier sessions' leftovers go first, then this session's
      return { state: opened.state, bookmark: opened.location, returning: opened.returning };
    },

    saveState(location, encoded) {
      if (!tracking || ended) return;
      const page = course.pages.find((p) => p.id === location);
      if (location && location !== lastPage && page) {
        lastPage = location;
        const [object, context] = experienced(course, ids, root, page);
        emit('experienced', object, undefined, context);
      }
      stateDoc.update(location, encoded);
    },

    recordInteraction(r) {
      if (!tracking || ended) return;
      const [object, result, context] = answered(course, ids, root, r);
      emit('answered', object, result, context);
    },

    setProgress(_measure, completed) {
      if (!tracking || ended || !completed || verdicts.has('completed')) return;
      sendVerdict('completed', { completion: true });
    },

    setScore(raw, min, max, passed) {
      if (!tracking || ended || passed === null || verdicts.has('passed')) return;
      const s = score(raw, min, max, !!cmi5);
      // cmi5 §10.2.4: passed/failed follow the LMS's masteryScore when it gives one.
      const pass = cmi5 && cmi5.masteryScore !== null ? s.scaled >= cmi5.masteryScore : passed;
      if (pass) {
        heldFailure = null;
        sendVerdict('passed', { score: s, success: true });
      } else if (!verdicts.has('failed')) {
        if (cmi5) heldFailure = { score: s, success: false };
        else sendVerdict('failed', { score: s, success: false });
      }
    },

    commit(hidden = false) {
      if (ended) return;
      if (hidden) return sendOnExit();
      if (stateDoc.dirty) void stateDoc.write();
      void queue.flush();
    },

    finish(exit, leaving = true) {
      if (ended) return;
      emitter.unloading = leaving;
      if (heldFailure && !verdicts.has('passed') && !verdicts.has('failed')) sendVerdict('failed', heldFailure);
      if (!cmi5 && exit === 'suspend' && tracking) courseLevel('suspended', { duration: duration() });
      courseLevel('terminated', { duration: duration() });
      ended = true;
      stateDoc.stop();
      if (leaving) sendOnExit();
      else {
        void stateDoc.write();
        void queue.flush();
      }
    },

    async settled(ms) {
      const timeout = new Promise<void>((r) => setTimeout(r, ms));
      const [ok] = await Promise.all([queue.drained(ms), Promise.race([stateDoc.write(), timeout])]);
      return ok && !stateDoc.dirty;
    },
  };
}

/**
 * What the statements of one cmi5 registration must look like, checked from the spec (cmi5
 * Quartz §7.1, §9, §10.2; section numbers are in each rule's name), plus the xAPI validity of any
 * statement by Learning Locker's validator (npm `xapi-validation`).
 *
 *   const violations = checkCmi5(await lrs.statements({ registration }), standIn.launches.filter(isCmi5));
 *   expect(errors(violations)).toEqual([]);
 *   expect(validateStatements(statements)).toEqual([]);
 *
 * Every launch of the registration is passed in (its session id, launch mode, mastery score and
 * context template come from the LMS.LaunchData the stand-in wrote). Statements the stand-in made
 * itself ("launched") are recognised by id and are not held to the AU's rules.
 */
import { createRequire } from 'node:module';
import type { Statement } from './lrs.ts';
import { CMI5, VERBS, sameAgent, type Agent, type LaunchData, type MoveOn } from './launch-server.ts';

export interface Violation {
  /** Spec section and a short name, e.g. `§9.3 initialized first`. */
  rule: string;
  /** `error`: a MUST is broken; `warning`: a SHOULD, or something an LMS may hold against the AU. */
  severity: 'error' | 'warning';
  message: string;
  statementId?: string;
  sessionId?: string;
}

/** What the checker needs to know of a launch (a `Cmi5Launch` of the stand-in has it all). */
export interface Cmi5Session {
  sessionId: string;
  registration: string;
  actor: Agent;
  /** The AU activity id of the launch URL. */
  activityId: string;
  launchData: LaunchData;
  launchedStatementId?: string | null;
}

export interface Cmi5CheckOptions {
  /**
   * Sessions the learner left without the AU ending them (tab closed, crash): an LMS records
   * "abandoned" for them (§9.3.6), so a missing "terminated" is not held against the AU.
   */
  abandoned?: string[];
  /** The course told the learner it is done: the AU's moveOn criterion must then be met. */
  claimedSatisfied?: boolean;
}

const AU_VERBS: string[] = [VERBS.initialized, VERBS.completed, VERBS.passed, VERBS.failed, VERBS.terminated];
const LMS_VERBS: string[] = [VERBS.launched, VERBS.abandoned, VERBS.waived, VERBS.satisfied];
const JUDGED: string[] = [VERBS.completed, VERBS.passed, VERBS.failed];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ISO 8601 date-time in UTC (Z or a zero offset). */
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]00(:?00)?)$/;

const short = (verb: string) => verb.replace(/^.*\//, '');
const categories = (s: Statement): string[] => ((s.context?.contextActivities?.category ?? []) as { id: string }[]).map((a) => a?.id);
const sessionOf = (s: Statement): string | undefined => s.context?.extensions?.[CMI5.sessionId] as string | undefined;
const isCmi5Defined = (s: Statement): boolean => categories(s).includes(CMI5.categoryCmi5);
const time = (s: Statement): number => (s.timestamp ? Date.parse(s.timestamp) : NaN);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && deepEqual((a as any)[k], (b as any)[k]));
}

/** Stable sort by timestamp (statements without one keep their place at the end). */
function byTimestamp(list: Statement[]): Statement[] {
  return list
    .map((s, i) => ({ s, i }))
    .sort((x, y) => {
      const tx = time(x.s);
      const ty = time(y.s);
      if (Number.isNaN(tx) || Number.isNaN(ty)) return Number.isNaN(tx) === Number.isNaN(ty) ? x.i - y.i : Number.isNaN(tx) ? 1 : -1;
      return tx - ty || x.i - y.i;
    })
    .map((x) => x.s);
}

/** Whether the registration's cmi5 defined statements meet a moveOn criterion (§13.1.4). */
export function moveOnSatisfied(statements: Statement[], moveOn: MoveOn, activityId?: string): boolean {
  const defined = statements.filter((s) => isCmi5Defined(s) && (!activityId || s.object?.id === activityId));
  const completed = defined.some((s) => s.verb.id === VERBS.completed);
  const passed = defined.some((s) => s.verb.id === VERBS.passed);
  switch (moveOn) {
    case 'Completed':
      return completed;
    case 'Passed':
      return passed;
    case 'CompletedAndPassed':
      return completed && passed;
    case 'CompletedOrPassed':
      return completed || passed;
    case 'NotApplicable':
      return true;
  }
}

/**
 * The violations of cmi5 §7–§10 in the statements of one registration, given in stored order.
 * Statements of other registrations or actors are reported, not silently ignored.
 */
export function checkCmi5(statements: Statement[], launches: Cmi5Session[], options: Cmi5CheckOptions = {}): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  const add = (v: Violation) => {
    const key = `${v.rule}|${v.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(v);
  };
  if (!launches.length) throw new Error('checkCmi5: no launches given');
  const registration = launches[0].registration.toLowerCase();
  if (launches.some((l) => l.registration.toLowerCase() !== registration)) throw new Error('checkCmi5: the launches are of more than one registration');
  const bySession = new Map(launches.map((l) => [l.sessionId, l]));
  const lmsIds = new Set(launches.map((l) => l.launchedStatementId).filter((id): id is string => !!id));
  const abandoned = new Set(options.abandoned ?? []);
  const where = (s: Statement) => `${short(s.verb.id)} ${s.id}`;

  // ---- each statement ----
  const au: Statement[] = [];
  for (const s of statements) {
    if (lmsIds.has(s.id)) continue;
    const verb = s.verb?.id ?? '';
    const sid = sessionOf(s);
    const launch = sid ? bySession.get(sid) : undefined;
    const cats = categories(s);
    const defined = cats.includes(CMI5.categoryCmi5);
    const err = (rule: string, message: string) => add({ rule, severity: 'error', message: `${where(s)}: ${message}`, statementId: s.id, sessionId: sid });
    const warn = (rule: string, message: string) => add({ rule, severity: 'warning', message: `${where(s)}: ${message}`, statementId: s.id, sessionId: sid });

    if (!UUID.test(s.id ?? '')) err('§9.1 statement id', `id ${JSON.stringify(s.id)} is not a UUID`);
    if (!s.timestamp) err('§9.7 timestamp', 'no timestamp');
    else if (!UTC_TIMESTAMP.test(s.timestamp)) err('§9.7 timestamp', `timestamp ${s.timestamp} is not in UTC`);
    if (LMS_VERBS.includes(verb)) err('§9.3 LMS verbs', `the AU used ${short(verb)}, a verb only the LMS issues`);
    if ((s.context?.registration ?? '').toLowerCase() !== registration) {
      err('§9.6.1 registration', `context.registration ${JSON.stringify(s.context?.registration)} is not the launch's ${registration}`);
    }
    if (!sid) {
      err('§9.6.3.1 session id', 'no session id extension (every statement uses the context template, §10.2.1)');
    } else if (!launch) {
      err('§9.6.3.1 session id', `session id ${sid} was issued by no launch of this registration`);
    }
    if (launch) {
      if (!sameAgent(s.actor as Agent, launch.actor)) err('§8.1.3 actor', `actor ${JSON.stringify(s.actor)} is not the launch actor`);
      // §10.2.1: the context template's values are all there, none overwritten.
      const template = launch.launchData.contextTemplate;
      for (const [list, activities] of Object.entries(template.contextActivities ?? {})) {
        const have = ((s.context?.contextActivities?.[list] ?? []) as { id: string }[]).map((a) => a?.id);
        for (const a of activities) if (!have.includes(a.id)) err('§10.2.1 context template', `contextActivities.${list} lacks ${a.id} of the context template`);
      }
      for (const [k, v] of Object.entries(template.extensions ?? {})) {
        if (!deepEqual(s.context?.extensions?.[k], v)) err('§10.2.1 context template', `context extension ${k} is ${JSON.stringify(s.context?.extensions?.[k])}, the template has ${JSON.stringify(v)}`);
      }
      for (const [k, v] of Object.entries(template)) {
        if (k === 'contextActivities' || k === 'extensions') continue;
        if (!deepEqual(s.context?.[k], v)) err('§10.2.1 context template', `context.${k} differs from the context template`);
      }
    }
    if (AU_VERBS.includes(verb) && !defined) err('§7.1.3 cmi5 defined', `${short(verb)} without the cmi5 category ${CMI5.categoryCmi5}`);
    if (defined && !AU_VERBS.includes(verb) && !LMS_VERBS.includes(verb)) err('§7.1.3 cmi5 defined', `the cmi5 category on ${verb}, which is no cmi5 verb`);

    const result = s.result ?? {};
    const hasMoveOn = cats.includes(CMI5.categoryMoveOn);
    const successOrCompletion = result.success !== undefined || result.completion !== undefined;
    if (defined) {
      if (launch && s.object?.id !== launch.activityId) err('§9.4 object', `object ${s.object?.id} is not the launch's activityId ${launch.activityId}`);
      if (s.object?.objectType !== undefined && s.object.objectType !== 'Activity') err('§9.4 object', `object of type ${s.object.objectType}`);
      if ((s.actor as Agent)?.objectType !== undefined && (s.actor as Agent).objectType !== 'Agent') err('§9.2 actor', `actor of type ${(s.actor as Agent).objectType}`);
      if (!(s.actor as Agent)?.account) err('§9.2 actor', 'actor without an account');
      // §9.5.2, §9.5.3
      if (verb === VERBS.passed && result.success !== true) err('§9.5.2 success', 'result.success is not true');
      if (verb === VERBS.failed && result.success !== false) err('§9.5.2 success', 'result.success is not false');
      if (verb !== VERBS.passed && verb !== VERBS.failed && result.success !== undefined) err('§9.5.2 success', 'result.success on a statement other than passed/failed');
      if (verb === VERBS.completed && result.completion !== true) err('§9.5.3 completion', 'result.completion is not true');
      if (verb !== VERBS.completed && result.completion !== undefined) err('§9.5.3 completion', 'result.completion on a statement other than completed');
      // §9.5.1
      const score = result.score;
      if (score !== undefined) {
        if (verb !== VERBS.passed && verb !== VERBS.failed) err('§9.5.1 score', 'a score on a statement other than passed/failed');
        if (score.scaled !== undefined && !(score.scaled >= 0 && score.scaled <= 1)) err('§9.5.1 score', `score.scaled ${score.scaled} is not within 0..1`);
        if (score.raw !== undefined) {
          if (score.min === undefined || score.max === undefined) err('§9.5.1 score', 'score.raw without score.min and score.max');
          else if (!(score.raw >= score.min && score.raw <= score.max)) err('§9.5.1 score', `score.raw ${score.raw} is not within ${score.min}..${score.max}`);
          for (const k of ['raw', 'min', 'max'] as const) {
            if (score[k] !== undefined && !Number.isInteger(score[k])) err('§9.5.1 score', `score.${k} ${score[k]} is not an integer`);
          }
        }
      }
      // §9.5.4.1
      if ((JUDGED.includes(verb) || verb === VERBS.terminated) && !result.duration) err('§9.5.4 duration', 'no result.duration');
      // §9.6.2.2
      if (JUDGED.includes(verb) && !hasMoveOn) err('§9.6.2.2 moveOn category', `no ${CMI5.categoryMoveOn} category`);
      // §9.6.3.2, §9.3.4, §9.3.5
      const mastery = launch?.launchData.masteryScore;
      if (mastery !== undefined && (verb === VERBS.passed || verb === VERBS.failed)) {
        const ext = s.context?.extensions?.[CMI5.masteryScore];
        if (ext === undefined) err('§9.6.3.2 masteryScore', `no masteryScore extension (LMS.LaunchData has ${mastery})`);
        else if (Number(ext) !== mastery) err('§9.6.3.2 masteryScore', `masteryScore extension ${ext}, LMS.LaunchData has ${mastery}`);
        const scaled = score?.scaled;
        if (typeof scaled === 'number') {
          if (verb === VERBS.passed && scaled < mastery) err('§9.3.4 passed', `passed with score.scaled ${scaled} below the masteryScore ${mastery}`);
          if (verb === VERBS.failed && scaled >= mastery) err('§9.3.5 failed', `failed with score.scaled ${scaled} at or above the masteryScore ${mastery}`);
        }
      }
      // §9.5.5.1
      const progress = result.extensions?.[CMI5.progress];
      if (progress !== undefined) {
        if (!Number.isInteger(progress) || progress < 0 || progress > 100) err('§9.5.5.1 progress', `progress ${JSON.stringify(progress)} is not an integer 0..100`);
        if (verb === VERBS.completed) warn('§9.5.5.1 progress', 'progress in a completed statement (SHOULD NOT)');
      }
    }
    if (hasMoveOn && !(defined && successOrCompletion)) {
      err('§9.6.2.2 moveOn category', 'the moveOn category on a statement without result.success or result.completion (MUST NOT)');
    }
    // §10.2.2: no satisfaction data in Browse or Review.
    const mode = launch?.launchData.launchMode;
    if (mode && mode !== 'Normal') {
      if (JUDGED.includes(verb)) err('§10.2.2 launchMode', `${short(verb)} in ${mode} mode`);
      else if (defined && verb !== VERBS.initialized && verb !== VERBS.terminated) err('§10.2.2 launchMode', `cmi5 defined ${short(verb)} in ${mode} mode`);
    }
    if (launch) au.push(s);
  }

  // ---- each session ----
  const sessionIds = [...new Set([...launches.map((l) => l.sessionId)])];
  const storedIndex = new Map(statements.map((s, i) => [s.id, i]));
  for (const sid of sessionIds) {
    const mine = au.filter((s) => sessionOf(s) === sid);
    const err = (rule: string, message: string, s?: Statement) =>
      add({ rule, severity: 'error', message: `session ${sid}: ${message}`, sessionId: sid, statementId: s?.id });
    const definedVerb = (v: string) => mine.filter((s) => s.verb.id === v && isCmi5Defined(s));
    const inits = definedVerb(VERBS.initialized);
    const terms = definedVerb(VERBS.terminated);
    if (!mine.length) {
      if (!abandoned.has(sid)) err('§7.1.1 initialized', 'the AU sent no statement in this session');
      continue;
    }
    if (inits.length !== 1) err('§9.3.2 initialized', `${inits.length} initialized statements (exactly one per session)`);
    if (terms.length > 1) err('§9.3.8 terminated', `${terms.length} terminated statements`);
    if (!terms.length && !abandoned.has(sid)) err('§9.3.8 terminated', 'no terminated statement (the session was not left abandoned)');
    for (const v of [VERBS.completed, VERBS.passed, VERBS.failed]) {
      const n = definedVerb(v).length;
      if (n > 1) err('§9.3 no duplicate verbs', `${n} ${short(v)} statements in one session`);
    }
    if (definedVerb(VERBS.passed).length && definedVerb(VERBS.failed).length) err('§9.3 passed or failed', 'both passed and failed in one session');
    for (const [order, list] of [['stored order', mine], ['timestamp order', byTimestamp(mine)]] as const) {
      const first = list[0];
      const last = list[list.length - 1];
      if (!(first.verb.id === VERBS.initialized && isCmi5Defined(first))) {
        err(`§9.3.2 initialized first (${order})`, `the first statement is ${where(first)}, not initialized`, first);
      }
      if (terms.length && !(last.verb.id === VERBS.terminated && isCmi5Defined(last))) {
        err(`§9.3.8 terminated last (${order})`, `${where(last)} comes after terminated`, last);
      }
    }
    // §9.3.6: once a later launch of the registration has begun, an LMS abandons this session and
    // records nothing more for it.
    if (!terms.length) {
      const later = launches.slice(launches.findIndex((l) => l.sessionId === sid) + 1).map((l) => l.sessionId);
      const firstLater = Math.min(...au.filter((s) => later.includes(sessionOf(s)!)).map((s) => storedIndex.get(s.id)!));
      for (const s of mine) {
        if (storedIndex.get(s.id)! > firstLater) {
          add({
            rule: '§9.3.6 abandoned session', severity: 'warning', sessionId: sid, statementId: s.id,
            message: `session ${sid}: ${where(s)} arrived after the next launch began; an LMS abandons the session then and rejects it`,
          });
        }
      }
    }
  }

  // ---- the registration (per AU) ----
  const activities = [...new Set(launches.map((l) => l.activityId))];
  for (const activityId of activities) {
    const defined = au.filter((s) => isCmi5Defined(s) && s.object?.id === activityId);
    const err = (rule: string, message: string, s?: Statement) =>
      add({ rule, severity: 'error', message: `registration ${registration}: ${message}`, statementId: s?.id });
    const completed = defined.filter((s) => s.verb.id === VERBS.completed);
    const passed = defined.filter((s) => s.verb.id === VERBS.passed);
    if (completed.length > 1) err('§9.3 completed once', `${completed.length} completed statements (zero or one per registration)`, completed[1]);
    if (passed.length > 1) err('§9.3 passed once', `${passed.length} passed statements (zero or one per registration)`, passed[1]);
    for (const [order, list] of [['stored order', defined], ['timestamp order', byTimestamp(defined)]] as const) {
      const firstPassed = list.findIndex((s) => s.verb.id === VERBS.passed);
      if (firstPassed < 0) continue;
      const failedAfter = list.slice(firstPassed + 1).find((s) => s.verb.id === VERBS.failed);
      if (failedAfter) err(`§9.3 no failed after passed (${order})`, `${where(failedAfter)} follows passed`, failedAfter);
    }
    const firstCompleted = statements.findIndex((s) => completed.includes(s));
    if (firstCompleted >= 0) {
      for (const s of statements.slice(firstCompleted + 1)) {
        if (au.includes(s) && isCmi5Defined(s) && s.result?.extensions?.[CMI5.progress] !== undefined) {
          add({ rule: '§9.5.5.1 progress', severity: 'warning', statementId: s.id, message: `${where(s)}: progress after completed (SHOULD NOT)` });
        }
      }
    }
    if (options.claimedSatisfied) {
      const moveOn = launches.find((l) => l.activityId === activityId)!.launchData.moveOn;
      if (!moveOnSatisfied(au, moveOn, activityId)) {
        err('§13.1.4 moveOn', `the course says it is done, but its statements do not meet moveOn ${moveOn}`);
      }
    }
  }
  return out;
}

export const errors = (violations: Violation[]): string[] => violations.filter((v) => v.severity === 'error').map((v) => `${v.rule}: ${v.message}`);
export const warnings = (violations: Violation[]): string[] => violations.filter((v) => v.severity === 'warning').map((v) => `${v.rule}: ${v.message}`);

// ---- xAPI validity (Learning Locker's validator) -------------------------------------------------

interface RulrWarning {
  name: string;
  path: (string | number)[];
  data: unknown;
  typeName?: string;
  keys?: string[];
  warnings?: RulrWarning[];
  message?: string;
}

const require = createRequire(import.meta.url);
const validateStatement = (require('xapi-validation') as { default: (data: unknown) => RulrWarning[] }).default;

export interface InvalidStatement {
  /** Position in the list given. */
  index: number;
  id: string | undefined;
  verb: string | undefined;
  reasons: string[];
}

function describe(w: RulrWarning): string[] {
  if (w.warnings?.length) return w.warnings.flatMap(describe);
  const at = (w.path ?? []).join('.');
  const data = JSON.stringify(w.data);
  const detail = w.typeName ? `expected ${w.typeName}` : w.keys ? `keys not allowed: ${w.keys.join(', ')}` : '';
  return [`${w.name} at ${at}${detail ? ` (${detail})` : ''}: ${data === undefined ? 'missing' : data.length > 120 ? data.slice(0, 117) + '...' : data}`];
}

/** The statements xapi-validation finds fault with, each with its reasons (empty when all are valid). */
export function validateStatements(statements: unknown[]): InvalidStatement[] {
  const out: InvalidStatement[] = [];
  statements.forEach((s, index) => {
    const warnings = validateStatement(s);
    if (!warnings.length) return;
    const st = s as Partial<Statement>;
    out.push({ index, id: st?.id, verb: st?.verb?.id, reasons: warnings.flatMap(describe) });
  });
  return out;
}

/** One line per invalid statement, for failure messages. */
export const formatInvalid = (list: InvalidStatement[]): string =>
  list.map((i) => `#${i.index} ${i.verb ? short(i.verb) : '?'} ${i.id}: ${i.reasons.join('; ')}`).join('\n');

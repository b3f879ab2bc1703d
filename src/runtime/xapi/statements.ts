/**
 * xAPI 1.0.3 statements of the course, built as plain JSON (no client library at run time).
 *
 * Activity ids: stable IRIs under the course IRI, never positions or build times, so a
 * republished course keeps its reports:
 *   course       course.id (xAPI: the launch `activity_id` when the LMS gives one; cmi5: the
 *                launch `activityId`, which the LMS generates for the AU)
 *   module       {course.id}/modules/{module id}
 *   page         {course.id}/pages/{page id}
 *   interaction  {course.id}/interactions/{interaction id}
 * (`course.id` without a trailing slash; ids percent-encoded with encodeURIComponent.)
 *
 * The types are our own: @xapi/xapi's `LanguageMap` type requires every RFC 5646 tag as a key,
 * which no real language map satisfies. Its `Agent` type is used for the learner.
 */
import type { Agent } from '@xapi/xapi';
import type { RuntimeCourse, RuntimeInteraction } from '../../model.ts';
import type { InteractionRecord } from '../adapters/types.ts';
import { isoDuration } from '../time.ts';
import { uuid } from './uuid.ts';
import { CMI5_CATEGORY, CMI5_MASTERY_SCORE, CMI5_MOVEON_CATEGORY, CMI5_SESSION_ID } from './cmi5-vocabulary.ts';

export type LanguageMap = Record<string, string>;

export interface Component {
  id: string;
  description?: LanguageMap;
}

export interface Definition {
  type?: string;
  name?: LanguageMap;
  description?: LanguageMap;
  interactionType?: InteractionRecord['type'];
  correctResponsesPattern?: string[];
  choices?: Component[];
  scale?: Component[];
  extensions?: Record<string, unknown>;
}

export interface Activity {
  objectType: 'Activity';
  id: string;
  definition?: Definition;
}

export interface ContextActivities {
  parent?: Activity[];
  grouping?: Activity[];
  category?: Activity[];
  other?: Activity[];
}

export interface Context {
  registration?: string;
  contextActivities?: ContextActivities;
  platform?: string;
  language?: string;
  extensions?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Score {
  scaled: number;
  raw?: number;
  min?: number;
  max?: number;
}

export interface Result {
  score?: Score;
  success?: boolean;
  completion?: boolean;
  response?: string;
  duration?: string;
  extensions?: Record<string, unknown>;
}

export interface Verb {
  id: string;
  display: LanguageMap;
}

export interface Statement {
  id: string;
  actor: Agent;
  verb: Verb;
  object: Activity;
  result?: Result;
  context?: Context;
  timestamp: string;
}

const ADL_VERB = 'http://adlnet.gov/expapi/verbs/';
const ADL_TYPE = 'http://adlnet.gov/expapi/activities/';

export type VerbName =
  | 'initialized'
  | 'experienced'
  | 'answered'
  | 'completed'
  | 'passed'
  | 'failed'
  | 'suspended'
  | 'resumed'
  | 'terminated';

export const verb = (name: VerbName): Verb => ({ id: ADL_VERB + name, display: { 'en-US': name } });

/** The cmi5 IRIs the statements use (all of them: cmi5-vocabulary.ts). */
export const CMI5 = {
  category: CMI5_CATEGORY,
  moveOn: CMI5_MOVEON_CATEGORY,
  sessionId: CMI5_SESSION_ID,
  masteryScore: CMI5_MASTERY_SCORE,
};

/** What the platform reports in `context.platform`. */
export const PLATFORM = 'coursepack';

export interface ActivityIds {
  module(id: string): string;
  page(id: string): string;
  interaction(id: string): string;
}

export function activityIds(courseId: string): ActivityIds {
  const base = courseId.replace(/\/+$/, '');
  const under = (kind: string) => (id: string) => `${base}/${kind}/${encodeURIComponent(id)}`;
  return { module: under('modules'), page: under('pages'), interaction: under('interactions') };
}

export const activity = (id: string, definition?: Definition): Activity =>
  definition ? { objectType: 'Activity', id, definition } : { objectType: 'Activity', id };

const lang = (language: string, text: string): LanguageMap | undefined => (text ? { [language]: text } : undefined);

/** Drops undefined properties, so the JSON stays compact and validators see no nulls. */
function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function courseDefinition(course: RuntimeCourse): Definition {
  return clean({ type: ADL_TYPE + 'course', name: lang(course.language, course.title) });
}

export function moduleActivity(course: RuntimeCourse, ids: ActivityIds, moduleId: string): Activity {
  const m = course.modules.find((x) => x.id === moduleId);
  return activity(ids.module(moduleId), clean({ type: ADL_TYPE + 'module', name: lang(course.language, m?.title || '') }));
}

export function pageActivity(course: RuntimeCourse, ids: ActivityIds, pageId: string): Activity {
  const p = course.pages.find((x) => x.id === pageId);
  const type = p?.type === 'quiz' ? 'assessment' : 'lesson';
  return activity(ids.page(pageId), clean({ type: ADL_TYPE + type, name: lang(course.language, p?.title || '') }));
}

/** One item of a fill-in response: `[,]` would split it, a leading `{` would read as a parameter. */
function textItem(s: string, language: string): string {
  const t = s.split('[,]').join('[ ,]');
  return t.startsWith('{') ? `{lang=${language}}${t}` : t;
}

/** Response (and correct response) pattern of xAPI-Data §2.4.4.1, from the neutral values. */
export function responsePattern(type: InteractionRecord['type'], values: string[], language: string): string {
  if (type === 'fill-in' || type === 'long-fill-in') return textItem(values.join(' '), language);
  if (type === 'choice') return values.join('[,]');
  return values[0] || '';
}

const shorten = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1).trimEnd() + '…' : s);

/** The full interaction activity definition: type, prompt, correct responses, choices or scale. */
export function interactionDefinition(
  it: RuntimeInteraction | undefined,
  r: InteractionRecord,
  language: string,
): Definition {
  const def: Definition = {
    type: ADL_TYPE + 'cmi.interaction',
    name: lang(language, shorten(r.description || r.id, 120)),
    description: lang(language, r.description),
    interactionType: r.type,
  };
  // No pattern for polls and free text: "any answer is correct" is said by leaving it out.
  if (r.correct.length) def.correctResponsesPattern = r.correct.map((c) => responsePattern(r.type, c, language));
  const components =
    it && it.kind !== 'response' ? it.choices.map((c) => clean({ id: c.id, description: lang(language, c.text) })) : [];
  if (components.length && r.type === 'choice') def.choices = components;
  if (components.length && r.type === 'likert') def.scale = components;
  return clean(def);
}

/** Score of the standards: scaled −1…1 to 4 decimals (cmi5 masteryScore precision). */
export function score(raw: number, min: number, max: number, integerRawOnly = false): Score {
  const scaled = Math.round(Math.min(Math.max((raw - min) / (max - min || 1), -1), 1) * 10000) / 10000;
  // cmi5 §9.5.1 wants an integer raw: a fractional best (66.67%) is reported by `scaled` alone.
  return integerRawOnly && !Number.isInteger(raw) ? { scaled, min, max } : { scaled, raw, min, max };
}

const asArray = (x: unknown): Activity[] => (Array.isArray(x) ? x : x && typeof x === 'object' ? [x as Activity] : []);

/**
 * The statement context: a copy of the template (cmi5 contextTemplate) with our additions. Nothing
 * the template provides is overwritten (cmi5 §10.2.1): its activities come first and keep their
 * place, its extensions win over ours.
 */
export function mergeContext(template: Context | undefined, add: Context): Context {
  const t: Context = template ? JSON.parse(JSON.stringify(template)) : {};
  const out: Context = { ...t };
  if (!out.registration && add.registration) out.registration = add.registration;
  const acts: ContextActivities = {};
  for (const k of ['parent', 'grouping', 'category', 'other'] as const) {
    const have = asArray(t.contextActivities?.[k]);
    const more = (add.contextActivities?.[k] || []).filter((a) => !have.some((h) => h.id === a.id));
    if (have.length + more.length) acts[k] = have.concat(more);
  }
  if (Object.keys(acts).length) out.contextActivities = acts;
  else delete out.contextActivities;
  if (add.extensions || t.extensions) out.extensions = { ...add.extensions, ...t.extensions };
  if (!out.platform && add.platform) out.platform = add.platform;
  if (!out.language && add.language) out.language = add.language;
  return out;
}

export interface StatementParts {
  verb: VerbName;
  object: Activity;
  result?: Result;
  context: Context;
  /** ms since the epoch. */
  at: number;
}

export function buildStatement(actor: Agent, template: Context | undefined, parts: StatementParts): Statement {
  const context = mergeContext(template, parts.context);
  return clean({
    id: uuid(),
    actor,
    verb: verb(parts.verb),
    object: parts.object,
    result: parts.result && Object.keys(parts.result).length ? clean(parts.result) : undefined,
    context: Object.keys(context).length ? context : undefined,
    timestamp: new Date(parts.at).toISOString(),
  });
}

/** The `answered` result: learner response, success when judged, time to answer. */
export function answeredResult(r: InteractionRecord, language: string): Result {
  return clean({
    response: responsePattern(r.type, r.response, language),
    success: r.result === 'neutral' ? undefined : r.result === 'correct',
    duration: isoDuration(r.latencyMs),
  });
}
